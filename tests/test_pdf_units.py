"""Checklist PDFs: the pure helpers of hooks/kn/publish/checklist_pdf.py and
hooks/kn/publish/pdf_document.py, without a build."""

from __future__ import annotations

import datetime

import pytest

from kn.publish import checklist_pdf, pdf_document
from kn.read import checklists

pytestmark = pytest.mark.unit

SITE = "https://beispiel.example/kn/"


@pytest.mark.parametrize(("size", "label"), [
    (100, "1 KB"), (48 * 1024, "48 KB"), (138_000, "135 KB"), (1_300_000, "1,2 MB"),
])
def test_size_label(size, label):
    assert checklist_pdf.size_label(size) == label


def test_only_links_into_the_site_stay_links():
    html = ('<p><a href="https://evil.example/x">fremd</a>, <a href="../index.md">relativ</a>, '
            f'<a href="{SITE}checklisten/">eigen</a></p>')
    assert checklist_pdf.own_links_only(html, SITE) == f'<p>fremd, relativ, <a href="{SITE}checklisten/">eigen</a></p>'
    assert checklist_pdf.own_links_only(html, "") == "<p>fremd, relativ, eigen</p>"


def test_day_of_a_date_with_time():
    moment = datetime.datetime(2026, 12, 1, 18, 30, tzinfo=datetime.timezone.utc)
    assert checklist_pdf.day(moment) == datetime.date(2026, 12, 1)
    assert checklist_pdf.day(None) is None


@pytest.mark.parametrize(("meta", "expected"), [
    ({}, {}),
    ({"rechtlich": True, "felder": False}, {"legal": True, "fields": False}),
    ({"updated": "2026-10-05"}, {"updated": datetime.date(2026, 10, 5)}),
])
def test_checklist_front_matter(meta, expected):
    assert checklists.checklist_options("checklisten/x.md", meta) == (expected, None)


@pytest.mark.parametrize(("meta", "needle"), [
    ({"rechtlich": "ja"}, "Feld 'rechtlich': 'ja' ist kein Wahrheitswert"),
    ({"title": "X"}, "Feld 'title': unbekanntes Feld im Kopfbereich einer Checkliste. Erlaubt sind: rechtlich"),
])
def test_bad_checklist_front_matter(meta, needle):
    options, problem = checklists.checklist_options("checklisten/x.md", meta)
    assert options == {} and needle in problem and problem.startswith("Fehler in 'checklisten/x.md'")


def test_parse_checklist_with_front_matter():
    text = "---\nrechtlich: true\n---\n\n!!! checkliste \"Titel\"\n\n    - [ ] Punkt eins.\n"
    checklist, problem = checklists.parse_checklist("x", "checklisten/x.md", "checklisten/x/", text)
    assert problem is None
    assert checklist.legal and checklist.fields and checklist.items == ("Punkt eins.",)
    assert checklist.source.startswith("!!! checkliste")


def test_weasyprint_reads_nothing_but_the_allowed_files(tmp_path):
    font = tmp_path / "font.ttf"
    font.write_bytes(b"x")
    other = tmp_path / "other.css"
    other.write_text("body { color: red }")
    import weasyprint

    fetch = pdf_document.local_fetcher(weasyprint, frozenset({str(font)}))
    response = fetch.fetch(font.as_uri())
    response.close()
    for url in (other.as_uri(), "https://evil.example/x.png", "http://127.0.0.1:1/x", "data:text/css,body{}"):
        with pytest.raises(ValueError):
            fetch.fetch(url)


def test_a_document_with_foreign_resources_renders_without_them():
    html = ('<html lang="de-DE"><head><title>T</title><link rel="stylesheet" href="https://evil.example/a.css">'
            '</head><body><p>Text <img src="https://evil.example/b.png"></p>'
            '<p style="background: url(file:///etc/hostname)">x</p></body></html>')
    data = pdf_document.render_pdf(html, ())
    assert data.startswith(b"%PDF") and b"evil.example" not in data


def test_last_change_is_the_last_commit_or_the_modification_time(tmp_path):
    import os
    import shutil
    import subprocess

    if not shutil.which("git"):
        pytest.skip("git is not installed")
    docs = tmp_path / "docs"
    (docs / "checklisten").mkdir(parents=True)
    for name in ("alt", "neu", "geaendert"):
        (docs / "checklisten" / f"{name}.md").write_text("x\n", encoding="utf-8")
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_COMMITTER_DATE="2026-03-04T12:00:00+00:00",
               GIT_AUTHOR_DATE="2026-03-04T12:00:00+00:00")
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, env=env, capture_output=True)
    git("init", "-q")
    git("add", "docs/checklisten/alt.md", "docs/checklisten/geaendert.md")
    git("commit", "-q", "-m", "x")
    (docs / "checklisten" / "geaendert.md").write_text("y\n", encoding="utf-8")
    os.utime(docs / "checklisten" / "neu.md", (1_790_000_000, 1_790_000_000))  # 2026-09-21
    found = checklist_pdf.last_changes(tmp_path, docs, ["checklisten/alt.md", "checklisten/neu.md",
                                                        "checklisten/geaendert.md"])
    assert found["checklisten/alt.md"] == datetime.date(2026, 3, 4)
    assert found["checklisten/neu.md"] == datetime.date.fromtimestamp(1_790_000_000)
    assert found["checklisten/geaendert.md"] == datetime.date.today()


def test_a_missing_font_is_named(tmp_path):
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="fehlt die Schrift data/fonts/OpenSans-Regular.ttf"):
        checklist_pdf.font_files(tmp_path)


@pytest.mark.unit
def test_a_checklist_of_few_but_long_items_prints_smaller_like_a_long_one():
    from kn.registry import Checklist

    def sheet(items: list[str]) -> str:
        return checklists.page_modifiers(Checklist("x", "checklisten/x.md", "checklisten/x/", "X", items, ""))

    assert "kn-checklist--long" not in sheet(["Kurz."] * checklists.LONG_CHECKLIST)
    assert "kn-checklist--long" in sheet(["Kurz."] * (checklists.LONG_CHECKLIST + 1))
    long_item = "Ein Punkt mit einem langen Satz, der über zwei Zeilen geht. " * 2
    few_long = [long_item] * (checklists.LONG_CHECKLIST_CHARS // len(long_item) + 1)
    assert len(few_long) < checklists.LONG_CHECKLIST
    assert "kn-checklist--long" in sheet(few_long)
