"""Problems where authors wrote them: problems.Problem, line numbers, and the
GitHub workflow commands (hooks/kn/annotate.py), in the build and in the spell check."""

from __future__ import annotations

import copy

import pytest
import yaml

from conftest import CHECKLISTS, DOCS, ROOT, article, require_tool
from kn import annotate, problems, schema, yamlfile
from tools import pruefen

BAD_DATE = "docs/kooperation-netzwerke/falsches-datum.md"
BAD_TAG = "docs/kooperation-netzwerke/unbekanntes-thema.md"
BAD_INCLUDE = "docs/kooperation-netzwerke/falsche-checkliste.md"
COMMENTS = "data/comments/kooperation-netzwerke"
BAD_YAML = "- author: Anna\n  text: [kaputt\n"

# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------


def test_problem_is_the_same_text_as_before_with_its_place():
    problem = problems.error("serie/a.md", "tags", "unbekanntes Thema 'X'.", line=5)
    assert problem == "Fehler in 'serie/a.md', Feld 'tags': unbekanntes Thema 'X'."
    assert isinstance(problem, str) and str(problem) == problem
    assert (problem.src, problem.field, problem.line, problem.detail) == ("serie/a.md", "tags", 5, "unbekanntes Thema 'X'.")
    copied = copy.deepcopy(problem)
    assert copied == problem and (copied.src, copied.line, copied.detail) == ("serie/a.md", 5, problem.detail)
    plain = problems.error("data/tags.yml", None, "Die Themenliste fehlt.")
    assert plain == "Fehler in 'data/tags.yml': Die Themenliste fehlt." and plain.field is None and plain.line is None


def test_yaml_error_carries_its_line():
    text = "---\ntitle: [kaputt\n---\n"
    _meta, _body, problems = schema.split_front_matter("serie/a.md", text)
    assert problems[0].line == 3 and problems[0].startswith("Fehler in 'serie/a.md', Zeile 3: ungültiges YAML im Kopfbereich")


@pytest.mark.parametrize("text, expected", [
    ("50% Rabatt", "50%25 Rabatt"),
    ("zwei\nZeilen\r\n", "zwei%0AZeilen%0D%0A"),
    ("Feld 'a', Wert: b", "Feld 'a', Wert: b"),
])
def test_escape_data(text, expected):
    assert annotate.escape_data(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Eintrag 2, Feld 'date'", "Eintrag 2%2C Feld 'date'"),
    ("C:\\x%\n", "C%3A\\x%25%0A"),
])
def test_escape_property(text, expected):
    assert annotate.escape_property(text) == expected


def test_workflow_command_names_file_line_and_title():
    assert annotate.workflow_command("error", "a: b, 100%", file="docs/a,b.md", line=3, title="Feld 'x'") == (
        "::error file=docs/a%2Cb.md,line=3,title=Feld 'x'::a: b, 100%25"
    )
    assert annotate.workflow_command("error", "nur Text") == "::error::nur Text"
    assert annotate.workflow_command("warning", "w", file="docs/a.md") == "::warning file=docs/a.md::w"


@pytest.mark.parametrize("src, expected", [
    ("kooperation-netzwerke/a.md", "docs/kooperation-netzwerke/a.md"),
    ("index.md", "docs/index.md"),
    ("docs/tags/x.md", "docs/tags/x.md"),
    ("data/tags.yml", "data/tags.yml"),
    ("data/comments/s/a.yml", "data/comments/s/a.yml"),
    ("mkdocs.yml", "mkdocs.yml"),
])
def test_repo_path(src, expected):
    assert annotate.repo_path(src) == expected


def test_front_matter_lines_count_the_opening_dashes():
    text = "---\ntitle: T\ndescription: >\n  lang\ntags:\n  - A\n  - B\n---\n\nText\n"
    lines = annotate.front_matter_lines(text)
    assert lines[("title",)] == 2 and lines[("description",)] == 3 and lines[("tags",)] == 5
    assert lines[("tags", "2")] == 7


def test_yaml_lines_of_entries_and_nested_fields():
    text = "# Kommentar\n- author: A\n  date: 2026-01-01\n- author: B\n  text: x\n"
    lines = annotate.yaml_lines(text)
    assert annotate.line_of("Eintrag 2, Feld 'text'", lines) == 5
    assert annotate.line_of("Eintrag 2, Feld 'date'", lines) == 4  # missing: the entry's line
    assert annotate.line_of("Eintrag 1", lines) == 2
    nested = annotate.yaml_lines("extra:\n  comments:\n    default: zu\njana:\n  bio: x\n")
    assert annotate.line_of("extra.comments.default", nested) == 3
    assert annotate.line_of("jana.avatar", nested) == 4
    assert annotate.line_of("unbekannt", nested) is None
    assert annotate.yaml_lines("a: [kaputt") == {}


def test_body_first_line_and_word_lines():
    text = "---\ntitle: T\n---\n\nEin Wort.\nNoch ein Wortspiel und ein Wort\n"
    _meta, body, _problems = schema.split_front_matter("a.md", text)
    assert annotate.body_first_line(text, body) == 4
    assert annotate.body_first_line(text, "anderer Text") is None
    assert annotate.lines_with(text, "Wort") == [5, 6]


def test_changed_files_reads_names_and_name_status():
    lines = ["M\tdocs/a.md", "A\tdocs/b.md\n", "D\tdata/c.yml", "", "docs/d.md", "R100\talt.md\tneu.md"]
    assert annotate.changed_files(lines) == {
        "docs/a.md": "M", "docs/b.md": "A", "data/c.yml": "D", "docs/d.md": "", "neu.md": "R",
    }


def test_nothing_is_printed_outside_github_actions(monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    annotate.print_annotations([problems.error("a.md", None, "x")], root=ROOT, docs_dir=DOCS)
    assert capsys.readouterr().out == ""


# -----------------------------------------------------------------------------
# The build under GitHub Actions
# -----------------------------------------------------------------------------


@pytest.fixture
def broken(project):
    """A site with a bad field, an unknown tag, a bad include line and bad comments files."""
    project.write(BAD_DATE, article("Falsches Datum", date="2026-13-45"))
    project.write(BAD_TAG, article("Unbekanntes Thema", tags="[Partnersuche, 100% Netzwerk]"))
    project.write(BAD_INCLUDE, article("Falsche Checkliste") + '\nZwischentext.\n\n--8<-- "checklisten/fehlt.md"\n')
    project.write(f"{COMMENTS}/kooperation-beenden.yml", (
        "- author: Anna\n  date: 2026-01-02\n  text: Gut.\n"
        "- author: Bernd\n  date: 2026-01-03\n  text: Danke.\n  email: bernd@example.org\n"
    ))
    project.write(f"{COMMENTS}/vorsicht-bei-kooperationsangeboten.yml", BAD_YAML)
    project.write(f"{COMMENTS}/gibt-es-nicht.yml", "[]\n")
    return project


def yaml_problem(text: str) -> str:
    """PyYAML's own words (they differ between its C and Python parsers)."""
    try:
        yaml.load(text, Loader=yamlfile.Loader)
    except yaml.YAMLError as exc:
        return exc.problem
    raise AssertionError("valid YAML")


def test_build_prints_each_problem_on_its_line(broken, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result, _site = broken.build()
    assert result.returncode != 0
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    vocabulary, _ = schema.parse_vocabulary((broken.root / "data" / "tags.yml").read_text(encoding="utf-8"))
    note = schema.vocabulary_note(vocabulary)  # said once, after the last unknown tag
    tag_problem = schema.unknown_tags("x.md", ["100% Netzwerk"], vocabulary, note=note)[0].detail
    assert "'100% Netzwerk'" in tag_problem
    date_problem = schema.check_date("2026-13-45")[1]
    expected = [
        f"::error file={BAD_DATE},line=4,title=Feld 'date'::{date_problem}",
        f"::error file={BAD_TAG},line=5,title=Feld 'tags'::{tag_problem.replace('%', '%25')}",
        f"::error file={BAD_INCLUDE},line=14,title=Fehler::Die eingebundene Checkliste 'checklisten/fehlt.md' "
        f"gibt es nicht. Vorhanden sind: {', '.join(sorted(CHECKLISTS))}.",
        f"::error file={COMMENTS}/gibt-es-nicht.yml,title=Fehler::Zu dieser Kommentardatei gibt es keine Seite "
        "'docs/kooperation-netzwerke/gibt-es-nicht.md'. Benennen Sie die Datei wie den Artikel (Pfad unter docs/, "
        "Endung .yml statt .md) oder löschen Sie sie.",
        f"::error file={COMMENTS}/kooperation-beenden.yml,line=7,title=Eintrag 2%2C Feld 'email'::unbekanntes Feld. "
        "Erlaubt sind: author, date, text, reply_to. E-Mail-Adressen und andere private Angaben gehören nicht ins Repository.",
        f"::error file={COMMENTS}/vorsicht-bei-kooperationsangeboten.yml,line=3,title=Fehler::ungültiges YAML. "
        f"{schema.yaml_cause(yaml_problem(BAD_YAML))} (Meldung des Prüfprogramms: {yaml_problem(BAD_YAML)})",
    ]
    assert sorted(commands) == sorted(expected)
    # The German report in the log is unchanged.
    assert "Fehler in 'kooperation-netzwerke/falsches-datum.md', Feld 'date'" in result.stderr


def test_build_prints_no_workflow_commands_elsewhere(broken, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result, _site = broken.build()
    assert result.returncode != 0 and "::error" not in result.stdout + result.stderr


# -----------------------------------------------------------------------------
# The spell check under GitHub Actions
# -----------------------------------------------------------------------------


@pytest.mark.unit
def test_spell_check_warns_on_the_line_of_a_misspelt_word(tmp_path, monkeypatch, capsys):
    """`make pruefen` under GitHub Actions with a list of changed files: a
    warning on the line of the unknown word, only in changed files."""
    require_tool("hunspell")
    project = tmp_path / "project"
    rel = "docs/kooperation-netzwerke/tippfehler.md"
    (project / "docs" / "kooperation-netzwerke").mkdir(parents=True)
    (project / rel).write_text(article("Ein Testartikel") + "\nEine Kooperatoin, 100% ehrlich.\n", encoding="utf-8")
    # Not among the changed files: no warning (the hint is listed all the same).
    (project / "docs/kooperation-netzwerke/unveraendert.md").write_text(article("Netzwerkk"), encoding="utf-8")
    changed = tmp_path / "changed.txt"
    changed.write_text(f"A\t{rel}\nM\tdocs/index.md\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("KN_CHANGED_FILES", str(changed))
    findings = pruefen.spelling_findings(project)
    assert {f.file for f in findings} == {"kooperation-netzwerke/tippfehler.md", "kooperation-netzwerke/unveraendert.md"}
    pruefen.report(findings, root=project, build_output="")
    warnings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert warnings == [
        f"::warning file={rel},line=12::„Kooperatoin“ steht nicht im Wörterbuch. Bitte prüfen Sie die Schreibweise; "
        "ist das Wort richtig, tragen Sie es in tests/wortliste.txt ein."
    ]
