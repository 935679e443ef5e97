"""The content check of the owner's site (`make pruefen`, tools/pruefen.py):
its rules as functions, and on sites a site owner really has (tests/scenarios.py:
a draft, an imported WordPress export, an imported Markdown blog with 60 posts
and its own tags, five series), where it must find no error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import scenarios

from conftest import ROOT, article
from tools import pruefen


def page(tmp_path: Path, rel: str, html: str) -> Path:
    path = tmp_path / "site" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang=de><body>{html}</body></html>", encoding="utf-8")
    return path


# -----------------------------------------------------------------------------
# Rules (unit)
# -----------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(("url", "external"), [
    ("https://example.org/x.js", True), ("//cdn.example.org/x.css", True), ("HTTP://x.org/", True),
    ("../assets/kn.css", False), ("bild.png", False), ("mailto:a@b.de", False), ("data:image/png;base64,AA", False),
    ("#kommentare", False), ("javascript:void(0)", False),
])
def test_external_means_another_origin(url, external):
    assert pruefen.is_external(url) is external


@pytest.mark.unit
def test_build_messages_keep_file_field_and_line_and_translate_mkdocs_links(tmp_path):
    docs = tmp_path / "docs"
    (docs / "s").mkdir(parents=True)
    (docs / "s" / "a.md").write_text("---\ntitle: A\n---\n\nEin [Link](fehlt.md).\n", encoding="utf-8")
    output = (
        "ERROR   -  2 Probleme in den Inhalten; die Website wurde nicht gebaut:\n"
        "  Fehler in 's/a.md', Zeile 3, Feld 'tags': unbekanntes Thema 'Netzwerkk'.\n"
        "  Fehler in 'data/tags.yml', Feld 'X': doppelt.\n"
        "WARNING -  Doc file 's/a.md' contains a link 'fehlt.md', but the target 's/fehlt.md' is not found among documentation files.\n"
        "Aborted with 1 warnings in strict mode!\n"
    )
    found = [str(f) for f in pruefen.build_findings(output, docs)]
    assert found == [
        "Fehler in 's/a.md', Zeile 3, Feld 'tags': unbekanntes Thema 'Netzwerkk'.",
        "Fehler in 'data/tags.yml', Feld 'X': doppelt.",
        "Fehler in 's/a.md', Zeile 5: Der Link „fehlt.md“ führt auf „s/fehlt.md“, eine Datei, die es unter docs/ nicht gibt.",
    ]


@pytest.mark.unit
def test_a_field_without_line_gets_the_line_of_that_field(tmp_path):
    docs = tmp_path / "docs"
    (docs / "s").mkdir(parents=True)
    (docs / "s" / "a.md").write_text("---\ntitle: A\ndate: 2026-01-01\ntags: [Netzwerkk]\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "authors.yml").write_text("jana:\n  name: Jana\n  bio: 3\n", encoding="utf-8")
    output = ("  Fehler in 's/a.md', Feld 'tags': unbekanntes Thema.\n"
              "  Fehler in 'data/authors.yml', Feld 'jana.bio': kein Text.\n")
    assert [str(f) for f in pruefen.build_findings(output, docs)] == [
        "Fehler in 's/a.md', Zeile 4, Feld 'tags': unbekanntes Thema.",
        "Fehler in 'data/authors.yml', Zeile 3, Feld 'jana.bio': kein Text.",
    ]


@pytest.mark.unit
def test_a_crash_without_our_message_is_still_reported():
    [finding] = pruefen.build_findings("Traceback …\nKeyError: 'x'\n")
    assert finding.level == "Fehler" and "KeyError" in finding.text


@pytest.mark.unit
def test_broken_internal_links_name_the_source_file_and_line(tmp_path):
    docs = tmp_path / "docs"
    (docs / "s").mkdir(parents=True)
    (docs / "s" / "a.md").write_text("Text\n\n<a href=\"../weg/\">weg</a> und [da](../b/)\n", encoding="utf-8")
    page(tmp_path, "s/a/index.html", '<a href="../weg/">weg</a> <a href="../b/">da</a> <a href="#x">x</a>'
                                     ' <a href="https://example.org/">aus</a> <img src="../b/bild.png">')
    page(tmp_path, "s/b/index.html", "b")
    found = [str(f) for f in pruefen.link_findings(tmp_path / "site", docs)]
    assert found == [
        "Fehler in 's/a.md', Zeile 3: Der Link „../weg/“ führt auf eine Seite oder Datei, die es auf der Website nicht gibt.",
        "Fehler in 's/a.md': Der Link „../b/bild.png“ führt auf eine Seite oder Datei, die es auf der Website nicht gibt.",
    ]


@pytest.mark.unit
def test_anything_loaded_from_another_server_is_an_error_a_link_is_not(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page(tmp_path, "index.html", '<a href="https://example.org/">Link</a> <img src="https://example.org/a.png">'
                                 '<script src="//cdn.example.org/x.js"></script><link rel="stylesheet" href="https://x.org/s.css">'
                                 '<span style="background: url(https://x.org/b.png)"></span>'
                                 '<img srcset="bild.png 1x, https://x.org/2.png 2x">'
                                 '<link rel="alternate" href="https://x.org/feed.xml">')
    (tmp_path / "site" / "a.css").write_text("@import 'https://fonts.example.org/f.css';", encoding="utf-8")
    found = [f.text for f in pruefen.origin_findings(tmp_path / "site", docs)]
    loaded = sorted(re.search(r"„([^“]+)“", text)[1] for text in found)
    assert loaded == sorted(["https://example.org/a.png", "//cdn.example.org/x.js", "https://x.org/s.css",
                             "https://x.org/b.png", "https://x.org/2.png", "https://fonts.example.org/f.css"])


@pytest.mark.unit
def test_unknown_words_are_hints_with_file_and_line_or_errors_when_strict(tmp_path):
    from conftest import require_tool

    require_tool("hunspell")
    (tmp_path / "docs" / "s").mkdir(parents=True)
    (tmp_path / "docs" / "s" / "a.md").write_text(article("Ein Titel") + "\nEine Kooperatoin.\n", encoding="utf-8")
    [hint] = pruefen.spelling_findings(tmp_path)
    assert str(hint).startswith("Hinweis in 's/a.md', Zeile 12: „Kooperatoin“ steht nicht im Wörterbuch.")
    assert [f.level for f in pruefen.spelling_findings(tmp_path, strict=True)] == ["Fehler"]


# -----------------------------------------------------------------------------
# On the owner's site and on sites an owner may have (build)
# -----------------------------------------------------------------------------


def errors_of(root: Path, tmp_path: Path) -> list[str]:
    findings, output = pruefen.check(root, tmp_path / "gebaut")
    return [str(f) for f in findings if f.level == "Fehler"] + ([output] if any(f.level == "Fehler" for f in findings) else [])


@pytest.mark.build
def test_content_check_finds_the_errors_and_names_article_field_and_line(tmp_path, capsys):
    """`make pruefen` (pruefen.main) exits with 1 and prints the error with
    article, line and field. One check of the site: main prints every finding
    of `pruefen.check` as a line „  Fehler in …“ (pruefen.report)."""
    root = scenarios.owner_site(tmp_path / "site")
    (root / "docs" / "kooperation-netzwerke" / "neu.md").write_text(
        article("Neu", tags="[Netzwerkk]") + "\nEin [Link](fehlt.md).\n", encoding="utf-8")
    assert pruefen.main(["--root", str(root)]) == 1
    printed = capsys.readouterr().out
    found = [line.strip() for line in printed.splitlines() if line.startswith("  Fehler")]
    assert any(f.startswith("Fehler in 'kooperation-netzwerke/neu.md', Zeile 5, Feld 'tags'") for f in found), printed


@pytest.mark.build
def test_content_check_passes_on_a_site_with_every_kind_of_owner_content(tmp_path):
    """One site with all scenarios at once (one build instead of five; each
    alone: `python -m tests.scenarios ZIEL entwurf` etc.): a draft from
    `make artikel`, the WordPress export, a 60-post Markdown blog with its own
    tags, and five series. The owner's site as it is today is checked by
    `make pruefen` itself, in `make test`."""
    root = scenarios.owner_site(tmp_path / "site")
    for name, make in scenarios.SCENARIOS.items():
        result = make(root)
        if result is not None:
            assert result.returncode == 0, (name, result.stdout + result.stderr)
    assert len([p for p in (root / "docs").glob("*/index.md") if p.parent.name not in ("checklisten", "tags")]) >= 5
    assert len(list((root / "docs" / "altes-blog").glob("*.md"))) > 60
    assert errors_of(root, tmp_path) == []


@pytest.mark.unit
def test_no_product_test_reads_the_real_docs():
    """Product tests build tests/sites/demo; only the content check reads docs/."""
    reads_docs = re.compile(r'ROOT / "docs"(?! / "assets")')  # the stylesheet and scripts are product
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        if path.name == "test_pruefen.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if reads_docs.search(line):
                pytest.fail(f"{path.name}:{number} reads the real docs/: {line.strip()}")
