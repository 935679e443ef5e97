"""Build messages for authors (#27): German, each saying what is expected and
what to do, and every problem of an article in one run."""

from __future__ import annotations

import pytest

from conftest import Project, assert_fails
from kn import schema
from tools import new_article


@pytest.mark.unit
@pytest.mark.parametrize(("value", "suggestion"), [
    ("27.11.2026", "2026-11-27"), ("1.2.2027", "2027-02-01"), ("2026/11/27", "2026-11-27"),
])
def test_german_or_slashed_date_gets_the_iso_form_to_write(value, suggestion):
    clean, problem = schema.check_date(value)
    assert clean is None
    assert "JJJJ-MM-TT" in problem and suggestion in problem and "ist kein Datum" not in problem


@pytest.mark.unit
def test_impossible_german_date_says_the_format():
    _clean, problem = schema.check_date("31.02.2026")
    assert "JJJJ-MM-TT" in problem and "2026-11-27" in problem


@pytest.mark.unit
@pytest.mark.parametrize(("front", "line", "needles"), [
    ("title: Vorsicht: Kooperation\n", 2, ["Doppelpunkt", 'title: "Vorsicht: Kooperation"']),
    ('title: "offen\n', 3, ["Anführungszeichen, das nicht geschlossen wird"]),
    ("tags: [Netzwerken\n", 3, ["Liste mit [, aber ohne ]"]),
    ("title: a\n\tdate: 2026-11-27\n", 3, ["Tabulator"]),
])
def test_yaml_errors_name_line_cause_and_remedy_in_german(front, line, needles):
    _meta, _body, problems = schema.split_front_matter("serie/a.md", "---\n" + front + "---\n\nText.\n")
    (problem,) = problems
    assert problem.startswith(f"Fehler in 'serie/a.md', Zeile {line}: ungültiges YAML im Kopfbereich.")
    assert "(Meldung des Prüfprogramms: " in problem and problem.line == line
    for needle in needles:
        assert needle in problem


@pytest.mark.unit
@pytest.mark.parametrize(("value", "guess"), [
    ("offen", "open"), ("geschlossen", "closed"), ("aus", "off"), ("keine", "off"), ("opne", "open"),
])
def test_comment_state_suggests_the_english_word(value, guess):
    _clean, problem = schema.check_comments(value)
    assert f"Meinten Sie '{guess}'?" in problem and "open, closed, off" in problem


@pytest.mark.unit
def test_tags_as_text_show_how_to_write_the_list():
    _clean, problem = schema.check_name_list("Partnersuche", "Themen aus data/tags.yml", "tags")
    assert "ist keine Liste" in problem and "'tags:' und darunter '  - Partnersuche'" in problem


@pytest.mark.unit
def test_unknown_tags_name_the_vocabulary_file_once():
    problems = schema.unknown_tags("a.md", ["Netzwerk"], {"Netzwerken": ""}, note=schema.vocabulary_note({"Netzwerken": ""}))
    assert problems[0].count("data/tags.yml") == 1 and "Meinten Sie 'Netzwerken'?" in problems[0]


@pytest.mark.unit
def test_every_template_sentence_of_make_artikel_is_caught():
    for placeholder in schema.TEMPLATE_PLACEHOLDERS:
        assert placeholder in new_article.TEMPLATE or placeholder in new_article.SERIES_TEMPLATE
    text = new_article.TEMPLATE.format(title="Neu", date="2026-11-27", part="").replace("draft: true\n", "")
    meta, body, _ = schema.split_front_matter("serie/neu.md", text)
    problems = schema.template_placeholders("serie/neu.md", text, body, meta)
    assert any("Feld 'description'" in p and "Platzhalter aus `make artikel`" in p for p in problems)
    body_problems = [p for p in problems if p.field is None]
    assert body_problems and all(p.line and f"Zeile {p.line}:" in p for p in body_problems)


SERIES = "testreihe"
OVERVIEW = "---\ntitle: Testreihe\ndescription: Eine Reihe zum Testen.\n---\n\nDie Reihe.\n"


def valid(title: str, **fields: str) -> str:
    meta = {"title": title, "description": "Ein Satz.", "date": "2026-11-20", "tags": "[Netzwerken]",
            "comments": "closed", "authors": "[redaktion]"}
    meta.update(fields)
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n\nEin Absatz.\n"


@pytest.fixture
def own_series(tmp_path):
    project = Project(tmp_path / "project")
    project.clear_series()
    project.write(f"docs/{SERIES}/index.md", OVERVIEW)
    project.write(f"docs/{SERIES}/eins.md", valid("Eins", teil="3"))
    return project


@pytest.mark.build
def test_a_wrong_date_does_not_hide_tags_authors_teil_or_checklists(own_series):
    broken = valid("Zwei", date="27.11.2026", tags="[Netzwerk]", authors="[max]", teil="3").replace(
        "Ein Absatz.\n", 'Ein Absatz.\n\n--8<-- "checklisten/gibt-es-nicht.md"\n')
    own_series.write(f"docs/{SERIES}/zwei.md", broken)
    result, built = own_series.build()
    output = assert_fails(
        result,
        f"Fehler in '{SERIES}/zwei.md', Feld 'date': '27.11.2026' ist nicht im Format JJJJ-MM-TT",
        "2026-11-27",
        "unbekanntes Thema 'Netzwerk'", "Meinten Sie 'Netzwerken'?",
        "unbekannte Autoren-ID 'max'", "trägt sich dort mit ID, Name",
        "Teil 3 gibt es in dieser Reihe schon",
        "checklisten/gibt-es-nicht.md",
    )
    assert "Traceback" not in output
    assert not built.exists(f"{SERIES}/zwei/")


@pytest.mark.build
def test_placeholder_of_make_artikel_stops_a_published_article(own_series):
    text = new_article.TEMPLATE.format(title="Neu", date="2026-11-27", part="teil: 2").replace("draft: true\n", "")
    own_series.write(f"docs/{SERIES}/neu.md", text)
    result, _built = own_series.build()
    assert_fails(result, f"Fehler in '{SERIES}/neu.md', Feld 'description': Das ist noch der Platzhalter",
                 f"Fehler in '{SERIES}/neu.md', Zeile ")
    own_series.write(f"docs/{SERIES}/neu.md", text.replace("comments: open\n", "comments: open\ndraft: true\n"))
    result, _built = own_series.build()
    assert result.returncode == 0, result.stdout + result.stderr
