"""tools/pr_summary.py: the German summary of a pull request, rendered for
fixture pull requests (the changed files given as a list)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, article
from tools.localsite import shared_drawn

NEW = "docs/kooperation-netzwerke/neuer-artikel.md"


def summarize(project, *changed: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environ.update(env)
    with shared_drawn(project.root):
        return subprocess.run(
            [sys.executable, "-m", "tools.pr_summary", "--config", str(project.root / "mkdocs.yml"),
             "--site-dir", str(project.root / "site"), *changed],
            cwd=ROOT, env=environ, input=stdin, capture_output=True, text=True, timeout=300,
        )


def test_summary_of_a_good_pull_request(project):
    project.write(NEW, article(
        "Gemeinsam | stärker", tags="[Partnersuche, Probethema]", comments="open",
    ) + '\n--8<-- "checklisten/partner-pruefen.md"\n')
    project.write("data/tags.yml", project.read("data/tags.yml") + "Probethema: Ein Thema nur für diesen Test.\n")
    result = summarize(project, "A\t" + NEW, "M\tdata/tags.yml", "M\tdocs/checklisten/partner-pruefen.md")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "**Alles in Ordnung:**" in text
    assert "#### „Gemeinsam \\| stärker“" in text  # contributors' text is shown literally
    assert f"- Datei: `{NEW}` (neu)" in text
    series = [line for line in text.splitlines() if line.startswith("- Reihe: ")]
    assert len(series) == 1 and series[0].startswith("- Reihe: Kooperation & Netzwerke, Teil ")
    assert "- Themen: Partnersuche, Probethema (neu)" in text
    reading = re.search(r"^- Lesezeit: (\d+) Minuten? \((\d+) Wörter\)$", text, re.M)
    assert reading and int(reading[2]) > 100  # the included checklist counts
    assert "- Kommentare: offen" in text
    assert "- Prüfung: ✅ Alles in Ordnung" in text
    assert "#### „Kooperationspartner prüfen“" in text and "„Gemeinsam \\| stärker“" in text.split("### Checklisten")[1]
    assert "- `data/tags.yml` (geändert): ✅ Alles in Ordnung" in text
    assert "„Vorschau der Website“" in text and "python3 -m http.server --bind 127.0.0.1 8000" in text
    assert "http://127.0.0.1:8000/kooperation-netzwerke/neuer-artikel/" in text
    assert (project.root / "site" / "kooperation-netzwerke" / "neuer-artikel" / "index.html").is_file()


def test_summary_lists_problems_with_their_lines(project):
    project.write(NEW, article("Kaputt", tags="[Netzwerkk]", date="2026-02-30"))
    project.write("data/comments/kooperation-netzwerke/kooperation-beenden.yml", "- author: A\n  date: 2026-01-01\n")
    result = summarize(project, stdin=f"{NEW}\ndata/comments/kooperation-netzwerke/kooperation-beenden.yml\n")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    # A wrong date no longer hides the unknown tag: all problems in one run.
    assert "**3 Probleme gefunden.**" in text
    assert "#### „Kaputt“" in text and f"- Datei: `{NEW}` (geändert)" in text
    assert "- Prüfung: ❌ 2 Probleme\n  - Zeile 4, Feld 'date': '2026-02-30' ist kein gültiges Datum" in text
    assert "  - Zeile 5, Feld 'tags': unbekanntes Thema 'Netzwerkk'" in text
    assert ("- `data/comments/kooperation-netzwerke/kooperation-beenden.yml` (geändert): "
            "❌ Zeile 1, Eintrag 1, Feld 'text': fehlt.") in text
    assert "Eine Vorschau gibt es, sobald die Probleme oben behoben sind" in text
    assert "::error" not in text


def test_summary_goes_to_the_job_summary_and_problems_to_annotations(project, tmp_path):
    project.write(NEW, article("Kaputt", authors="[niemand]"))
    target = tmp_path / "summary.md"
    target.write_text("Vorher.\n", encoding="utf-8")
    result = summarize(
        project, NEW, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(target),
        GITHUB_SERVER_URL="https://github.com", GITHUB_REPOSITORY="verlag/blog", GITHUB_RUN_ID="7",
    )
    assert result.returncode == 0, result.stderr
    assert f"::error file={NEW},line=7,title=Feld 'authors'::" in result.stdout
    text = target.read_text(encoding="utf-8")
    assert text.startswith("Vorher.\n## Ihr Pull Request auf einen Blick")
    assert "Feld 'authors'" in text and "'niemand'" in text


def test_summary_of_an_empty_change_still_builds(project):
    result = summarize(project, stdin="")
    assert result.returncode == 0, result.stderr
    assert "Dieser Pull Request ändert keine Dateien." in result.stdout
    assert "Übersichtsseite dieses Laufs" in result.stdout


# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------


def pr_summary():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tools import pr_summary as module

    return module


@pytest.mark.parametrize("path, uri", [
    ("docs/kooperation-netzwerke/a.md", "kooperation-netzwerke/a.md"),
    ("docs/kooperation-netzwerke/index.md", None),
    ("docs/checklisten/a.md", None),
    ("docs/index.md", None),
    ("data/tags.yml", None),
])
def test_article_uri(path, uri):
    assert pr_summary().article_uri(path, "docs") == uri


def test_checklist_name():
    module = pr_summary()
    assert module.checklist_name("docs/checklisten/partner-pruefen.md", "docs") == "partner-pruefen"
    assert module.checklist_name("docs/checklisten/index.md", "docs") is None


def test_markdown_from_contributors_is_shown_literally():
    assert pr_summary().md("**fett** <b>x</b> | [a](b)\n# Titel") == (
        "\\*\\*fett\\*\\* \\<b\\>x\\</b\\> \\| \\[a\\](b) \\# Titel"
    )


# -----------------------------------------------------------------------------
# Which part failed: „Ihr Artikel“ (make pruefen) or „der Code der Website“ (pytest)
# -----------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(("content", "product", "shown", "hidden"), [
    ("fehler", "ok", "Was fehlgeschlagen ist: Ihr Artikel.", "der Code der Website."),
    ("ok", "fehler", "Was fehlgeschlagen ist: der Code der Website.", "Ihr Artikel."),
    ("fehler", "fehler", "Ihr Artikel.", None),
    ("ok", "ok", "bestanden", "fehlgeschlagen"),
])
def test_summary_says_whether_the_article_or_the_code_failed(tmp_path, content, product, shown, hidden):
    from tools.pr_summary import which_failed

    (tmp_path / "inhalte").write_text(content + "\n", encoding="utf-8")
    (tmp_path / "produkt").write_text(product + "\n", encoding="utf-8")
    text = "\n".join(which_failed({"KN_STATUS_DIR": str(tmp_path)}))
    assert shown in text
    if hidden:
        assert hidden not in text
    if content == product == "fehler":
        assert "der Code der Website." in text


@pytest.mark.unit
def test_summary_without_status_says_nothing_about_failures(tmp_path):
    from tools.pr_summary import which_failed

    assert which_failed({}) == [] and which_failed({"KN_STATUS_DIR": str(tmp_path)}) == []


@pytest.mark.unit
@pytest.mark.parametrize(("exitstatus", "recorded"), [(0, "ok"), (1, "fehler")])
def test_product_tests_record_their_result_for_the_summary(tmp_path, monkeypatch, exitstatus, recorded):
    import conftest

    monkeypatch.setenv("KN_STATUS_DIR", str(tmp_path / "status"))
    session = type("Session", (), {"config": object()})()
    conftest.pytest_sessionfinish(session, exitstatus)
    assert (tmp_path / "status" / "produkt").read_text(encoding="utf-8").strip() == recorded
