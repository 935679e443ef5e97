"""Issue #26: what a pull request may publish. The body's raw HTML on a
leash (sanitize.active_html), files beside the pages by an allow-list checked
by content, no hard links, no links out of their folder, no hostile names.
Pure functions; tests/test_hardening_build.py proves the wiring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

# -----------------------------------------------------------------------------
# Raw HTML in the body
# -----------------------------------------------------------------------------

REFUSED = [
    ("<script>alert(1)</script>", "<script>"),
    ("<SCRIPT SRC=x.js></SCRIPT>", "<script>"),
    ('<iframe src="x.html"></iframe>', "<iframe>"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "srcdoc="),
    ('<object data="x.pdf"></object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ('<form action="https://evil.example/"><input name=q></form>', "<form>"),
    ('<base href="https://evil.example/">', "<base>"),
    ('<meta http-equiv="refresh" content="0; url=https://evil.example/">', "<meta>"),
    ('<link rel="stylesheet" href="x.css">', "<link>"),
    ("<style>body{display:none}</style>", "<style>"),
    ('<img src=x onerror="alert(1)">', "onerror="),
    ('<div onmouseover=alert(1)>x</div>', "onmouseover="),
    ('<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', "<animate>"),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>', "javascript:"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "javascript:"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "data:"),
    ('<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">', "data:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript:"),
    ('<button formaction="javascript:alert(1)">x</button>', "javascript:"),
    ('<p style="background:url(x)">x</p>', "style="),
    ('<td style="text-align: left;">x</td>', "style="),
    ('<img name="currentScript" src="x.png">', "name="),
    ('<figure data-kn-video data-kn-video-src="https://www.youtube-nocookie.com/embed/x"></figure>', "data-kn-video"),
    ('<div data-md-component="consent"></div>', "data-md-component"),
    ("<![>", "<!["),
    ('<div id="__config">{}</div>', "id="),
    ('<label for="__drawer">x</label>', "for="),
]
ALLOWED = [
    '<p>Text mit <a href="https://example.org/">Link</a> und <a href="../x/">relativ</a>.</p>',
    '<img src="../bilder/x.png" alt="Bild" width="10"><img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    '<table><tr><th class="kn-align-left">A</th><td>B</td></tr></table>',
    "<details><summary>Mehr</summary><p>Inhalt</p></details>",
    '<div class="x" id="y"><span title="t">a</span><abbr title="b">c</abbr><kbd>K</kbd><sup>1</sup></div>',
    '<a href="mailto:redaktion@example.org">Mail</a> <a href="#kommentare">Sprung</a> <a name="anker"></a>',
    '<button type="button" class="md-button" data-kn-consent-revoke>Widerrufen</button><p data-kn-consent-status></p>',
    "<!-- ein Kommentar --><![CDATA[x]]>",
]


@pytest.mark.parametrize(("html", "needle"), REFUSED)
def test_active_html_is_found(html, needle):
    from kn.sanitize import active_html

    found = active_html(html)
    assert found, html
    assert any(needle in what for what, _where in found), found


@pytest.mark.parametrize("html", ALLOWED)
def test_plain_html_is_allowed(html):
    from kn.sanitize import active_html

    assert active_html(html) == []


def test_active_html_problem_names_file_and_line():
    from kn.security import active_html_problems

    source = "---\ntitle: x\n---\n\nText.\n\n<p>ok</p>\n\n<img src=x.png\n  onerror=alert(1)>\n"
    problems = active_html_problems("serie/x.md", source, '<p>ok</p><img src=x.png onerror="alert(1)">')
    assert problems == [problems[0]] and problems[0].startswith("Fehler in 'serie/x.md', Zeile 10: Das Attribut onerror=")


# -----------------------------------------------------------------------------
# Files beside the pages
# -----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
FILES = [
    ("bilder/x.png", PNG, None),
    ("bilder/x.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, None),
    ("bilder/x.gif", b"GIF89a" + b"\0" * 20, None),
    ("bilder/x.webp", b"RIFF\0\0\0\0WEBPVP8 ", None),
    ("bilder/x.avif", b"\0\0\0\x1cftypavif\0\0", None),
    ("bilder/x.pdf", b"%PDF-1.7\n", None),
    ("assets/kn-neu.js", b"alert(1)", None),  # the project's own assets
    ("bilder/x.js", b"alert(1)", "'.js'"),
    ("x.html", b"<script>alert(1)</script>", "'.html'"),
    ("bilder/x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle r="1" fill="#4a6"/></svg>', None),
    ("bilder/x.svg", b'<?xml version="1.0"?>\n<!-- Inkscape -->\n<svg><use href="#a"/><rect fill="url(#g)"/></svg>', None),
    ("bilder/x.svg", b"<svg onload=alert(1)>", "onload="),
    ("bilder/x.svg", b"<svg><script>alert(1)</script></svg>", "<script"),
    ("bilder/x.svg", b'<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "href="),
    ("bilder/x.svg", b'<svg><image href="https://evil.example/p.png"/></svg>', "href="),
    ("bilder/x.svg", b"<svg><foreignObject><iframe src=x></iframe></foreignObject></svg>", "<foreignobject"),
    ("bilder/x.svg", b'<svg><animate attributeName="href" to="x"/></svg>', "<animate"),
    ("bilder/x.svg", b'<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "kein SVG-Bild"),
    ("bilder/x.svg", b"<html><script>alert(1)</script></html>", "kein SVG-Bild"),
    ("feed.xml", b"<feed/>", "schreibt die Website selbst 'feed.xml'"),
    ("bilder/x.png", b"<script>alert(1)</script>", "kein PNG-Bild"),
    ("bilder/avatar.html.png", b"GIF89a", "kein PNG-Bild"),
    ("bilder/x.pdf", b"<html>", "kein PDF-Dokument"),
    ("bilder/README", b"text", "werden nicht veröffentlicht"),
]


@pytest.mark.parametrize(("src", "content", "needle"), FILES)
def test_published_files_by_allow_list_and_content(tmp_path, src, content, needle):
    from kn.security import published_file_problems

    path = tmp_path / "f"
    path.write_bytes(content)
    problems = published_file_problems(src, path)
    if needle is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(f"Fehler in 'docs/{src}'") and needle in problems[0]


# -----------------------------------------------------------------------------
# Links and names under docs/, data/, overrides/
# -----------------------------------------------------------------------------


def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for folder in ("docs", "data", "overrides"):
        (root / folder).mkdir(parents=True)
    (root / "docs" / "index.md").write_text("x")
    (root / "data" / "tags.yml").write_text("A: b\n")
    return root


def problems_of(root: Path) -> list[str]:
    from kn.security import outside_links

    return outside_links(root, [root / "docs", root / "data", root / "overrides"])


def test_a_clean_tree_has_no_problems(tmp_path):
    root = repo(tmp_path)
    (root / "docs" / "bild.png").symlink_to("index.md")  # a link inside its own folder
    assert problems_of(root) == []


def test_hard_link_is_refused(tmp_path):
    root = repo(tmp_path)
    outside = tmp_path / "geheim.txt"
    outside.write_text("root:x:0:0")
    os.link(outside, root / "docs" / "passwd.md")
    problems = problems_of(root)
    assert len(problems) == 1 and "docs/passwd.md" in problems[0] and "harter Link" in problems[0]
    assert "root:x" not in problems[0]


def test_link_from_docs_into_data_is_refused(tmp_path):
    root = repo(tmp_path)
    (root / "docs" / "daten").symlink_to("../data")
    problems = problems_of(root)
    assert len(problems) == 1 and "docs/daten" in problems[0] and "symbolischer Link" in problems[0]


@pytest.mark.parametrize("folder", ["docs", "data"])
def test_content_folder_that_is_a_link_out_of_the_repository_is_refused(tmp_path, folder):
    root = repo(tmp_path)
    elsewhere = tmp_path / "anderswo"
    elsewhere.mkdir()
    (elsewhere / "index.md").write_text("x")
    (root / folder).rename(tmp_path / "weg")
    (root / folder).symlink_to(elsewhere)
    problems = problems_of(root)
    assert len(problems) == 1 and f"Fehler in '{folder}'" in problems[0] and "aus dem Repository hinaus" in problems[0]


@pytest.mark.parametrize(("name", "needle"), [
    ("neu\n::warning file=x::gefälscht.md", "'\\n'"),
    ("esc\x1b[31m.md", "'\\x1b'"),
    ('zitat"><script>.md', "'\"'"),
    ("avatar<img>.png", "'<'"),
])
def test_hostile_file_names_are_refused_and_shown_escaped(tmp_path, name, needle):
    root = repo(tmp_path)
    (root / "docs" / name).write_text("x")
    problems = problems_of(root)
    assert len(problems) == 1 and needle in problems[0]
    assert "\n" not in problems[0] and "\x1b" not in problems[0]


def test_latin1_file_name_is_refused_without_traceback(tmp_path):
    root = repo(tmp_path)
    with open(os.path.join(os.fsencode(root / "docs"), b"gr\xf6\xdfe.md"), "w") as handle:
        handle.write("x")
    problems = problems_of(root)
    assert len(problems) == 1 and "nicht in UTF-8" in problems[0] and "gr\\udcf6" not in problems[0]


def test_markdown_table_alignment_becomes_classes():
    import markdown

    from kn.markdown.embeds import TableAlignExtension
    from kn.sanitize import active_html

    html = markdown.markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", extensions=["tables", TableAlignExtension()])
    assert "style=" not in html and active_html(html) == []
    assert html.count('class="kn-align-left"') == 2 and html.count('class="kn-align-right"') == 2
