"""The importer's pure helpers (tools/importer), and imports without a build:
counting, idempotence, refusing bad input. The built site: test_import_site.py."""

from __future__ import annotations

import datetime
import subprocess
import sys

import markdown
import pytest
import yaml

from conftest import DEMO, ROOT, copy_sources
from kn.markdown.typography import cut_at_word as cut
from tools.importer import Options, run
from tools.importer.html2md import autop, html_to_markdown, prepare_wordpress, video_url
from tools.importer.mdblog import names, split, to_datetime
from tools.importer.model import Comment, Post
from tools.importer.plan import assign_paths, describe, media_path, merge_tags, thread_entries
from tools.importer.report import KEPT, NEW, REPLACED, SAME
from tools.importer.wxr import comment_markdown, old_path

FIXTURES = ROOT / "tests" / "fixtures" / "import"
WXR = FIXTURES / "wordpress.xml"
MDBLOG = FIXTURES / "markdown-blog"
UPLOADS = FIXTURES / "uploads"


class Local:
    """Resolver for unit tests: images under /wp-content/uploads/ exist, others are foreign."""

    def image(self, src: str) -> str | None:
        if "alter-blog.example" not in src:
            return None
        return "bilder/" + src.rsplit("/", 1)[1] if "uploads" in src else ""

    def link(self, href: str) -> str | None:
        return "anderer.md" if href.endswith("/anderer/") else None


def convert(html: str) -> str:
    return html_to_markdown(html, Local()).markdown


def render(md_text: str) -> str:
    return markdown.markdown(md_text, extensions=["tables", "attr_list", "pymdownx.superfences"])


# -----------------------------------------------------------------------------
# HTML to Markdown
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "canonical"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ?t=3", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://vimeo.com/76979871"),
    ("https://player.vimeo.com/video/76979871?h=abc", "https://vimeo.com/76979871"),
    ("https://example.org/watch?v=dQw4w9WgXcQ", None),
    ("https://www.youtube.com/watch?v=<script>", None),
    ("javascript:alert(1)", None),
])
def test_video_url_is_canonical_or_none(url, canonical):
    assert video_url(url) == canonical


def test_autop_makes_paragraphs_and_keeps_blocks_and_pre():
    html = autop("Eins\nzwei\n\nDrei\n\n<ul>\n<li>a</li>\n</ul>\n\n<pre>x\n\ny</pre>")
    assert html == "<p>Eins<br>\nzwei</p>\n\n<p>Drei</p>\n\n<ul>\n<li>a</li>\n</ul>\n\n<pre>x\n\ny</pre>"


def test_gutenberg_comments_are_removed_and_more_is_kept():
    html, notes = prepare_wordpress('<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->\n\n<!--more-->\n\n<p>B</p>')
    md_text = convert(html)
    assert "wp:" not in md_text and notes == []
    assert md_text == "A\n\n<!-- more -->\n\nB\n"


def test_caption_becomes_image_with_italic_caption():
    html, _ = prepare_wordpress(
        '[caption id="a" width="300"]<a href="https://alter-blog.example/wp-content/uploads/x.png">'
        '<img src="https://alter-blog.example/wp-content/uploads/x-300x200.png" alt="Alt" /></a> Unterschrift[/caption]'
    )
    assert convert(html) == "![Alt](bilder/x-300x200.png)\n\n*Unterschrift*\n"


@pytest.mark.parametrize("html", [
    '<iframe title="Rundgang" src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
    "<p>[embed]https://youtu.be/dQw4w9WgXcQ[/embed]</p>",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://youtu.be/dQw4w9WgXcQ\n</div></figure>',
    "[youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ]",
])
def test_videos_become_the_consent_embed_paragraph(html):
    prepared, _ = prepare_wordpress(html)
    md_text = convert(prepared).strip()
    assert md_text.endswith("](https://www.youtube.com/watch?v=dQw4w9WgXcQ){ .video }")
    assert md_text.startswith("[Rundgang]" if "Rundgang" in html else "[Video auf YouTube]")


def test_other_iframe_becomes_a_plain_link_with_a_note():
    converted = html_to_markdown('<iframe src="https://karten.example/embed?x=1" title="Karte"></iframe>', Local())
    assert converted.markdown == "[Karte](https://karten.example/embed?x=1)\n"
    assert "iframe" in converted.notes[0][0]


def test_nested_lists_use_four_spaces_and_render_nested():
    md_text = convert("<ul><li>A<ul><li>A1</li></ul></li><li>B</li></ul><ol><li>Eins</li></ol>")
    assert md_text == "-   A\n    -   A1\n-   B\n\n<!-- -->\n\n1.  Eins\n"
    html = render(md_text)
    assert "<ul>\n<li>A<ul>\n<li>A1</li>" in html and "<ol>" in html


def test_table_and_code_with_language():
    md_text = convert('<table><tr><td>A|B</td><td>2</td></tr></table><pre><code class="language-python">x = 1 &lt; 2</code></pre>')
    assert "| A\\|B | 2 |\n| --- | --- |" in md_text
    assert "```python\nx = 1 < 2\n```" in md_text
    assert "<table>" in render(md_text)


def test_images_own_missing_and_foreign():
    converted = html_to_markdown(
        '<p><img src="https://alter-blog.example/wp-content/uploads/a.png" alt="Da">'
        '<img src="https://alter-blog.example/wp-includes/fehlt.png" alt="Fehlt">'
        '<img src="https://fremd.example/b.png" alt="Fremd"></p>', Local())
    assert converted.markdown == "![Da](bilder/a.png)Fehlt[Fremd](https://fremd.example/b.png)\n"
    assert len(converted.notes) == 2


def test_links_are_resolved_and_unsafe_ones_dropped():
    md_text = convert('<p><a href="https://alter-blog.example/anderer/">x</a> <a href="mailto:a@b.example">y</a> '
                      '<a href="javascript:alert(1)">z</a></p>')
    assert md_text == "[x](anderer.md) [y](mailto:a@b.example) z\n"  # mailto: stays a link (#25)


def test_other_shortcodes_are_kept_and_noted():
    html, notes = prepare_wordpress('Text [gallery ids="1,2"] und [sic] und [box]Inhalt[/box]')
    assert '[gallery ids="1,2"]' in html and "[sic]" in html
    assert [n[1] for n in notes] == ['[gallery ids="1,2"]', "[box]"]


def test_comment_text_loses_e_mail_and_ip_addresses():
    text = comment_markdown("Mail an jemand@leser.example von 192.0.2.1 oder 2001:db8::1:2 – <b>danke</b>")
    assert "leser.example" not in text and "192.0.2.1" not in text and "2001:db8" not in text
    assert "**danke**" in text


# -----------------------------------------------------------------------------
# Planning
# -----------------------------------------------------------------------------


def test_cut_stops_at_a_word_boundary_with_ellipsis():
    text = "Ein langer Satz " * 30
    short = cut(text)
    assert len(short) <= 200 and short.endswith("…") and not short.endswith(" …")
    assert text.startswith(short[:-1])
    assert cut("Kurz.") == "Kurz."


@pytest.mark.parametrize(("excerpt", "body", "expected"), [
    ("Der Auszug.", "Erster Absatz.", "Der Auszug."),
    ("", "![Bild](a.png)\n\nVorne **fett**.\n\n<!-- more -->\n\nHinten.", "Vorne fett."),
    ("", "## Titel\n\n[V](https://vimeo.com/1){ .video }\n\nErster [Absatz](x.md).\n\nZweiter.", "Erster Absatz."),
    ("", "![nur ein Bild](a.png)", "Der Titel"),
])
def test_description_from_excerpt_more_or_first_paragraph(excerpt, body, expected):
    assert describe(excerpt, body, "Der Titel") == expected


def post(slug: str, tags: list[str], when: str = "2020-01-01", kind: str = "post") -> Post:
    return Post(slug, kind, slug, slug, datetime.datetime.fromisoformat(when), False, tags, ["a"], "closed")


def test_tags_differing_in_case_or_slug_merge_into_the_most_used_or_existing_spelling():
    posts = [
        post("a", ["lernOS", "Netzwerk Tipps"]), post("b", ["lernOS", "netzwerken"]),
        post("c", ["LernOS", "Netzwerk-Tipps", "Netzwerk-Tipps"]),
    ]
    mapping, merged = merge_tags(posts, {"Netzwerken": "Beschreibung."})
    assert mapping["LernOS"] == "lernOS" and mapping["netzwerken"] == "Netzwerken"
    assert mapping["Netzwerk Tipps"] == mapping["Netzwerk-Tipps"]
    assert ("LernOS", "lernOS") in merged and ("netzwerken", "Netzwerken") in merged


def test_paths_are_unique_in_date_order_and_pages_go_to_their_folder():
    posts = [post("x", [], "2020-02-01"), post("x", [], "2020-01-01"), post("index", []), post("x", [], kind="page")]
    assign_paths(posts, "serie")
    assert [p.path for p in posts] == ["serie/x-2.md", "serie/x.md", "serie/index-1.md", "serie/seiten/x.md"]


def comment(cid: str, parent: str, when: str) -> Comment:
    return Comment(cid, parent, f"Person {cid}", datetime.datetime.fromisoformat(when), f"Text {cid}")


def test_thread_is_in_date_order_with_reply_numbers():
    entries = thread_entries([
        comment("1", "0", "2020-01-02 10:00"),
        comment("2", "1", "2020-01-02 12:00"),
        comment("3", "9", "2020-01-03 08:00"),  # parent not approved: top level
        comment("4", "2", "2020-01-02 11:00"),  # dated before its parent: after it
        comment("5", "0", "2020-01-01 09:00"),
    ])
    assert [(e["author"], e.get("reply_to")) for e in entries] == [
        ("Person 5", None), ("Person 1", None), ("Person 2", 2), ("Person 4", 3), ("Person 3", None),
    ]
    assert entries[0]["date"] == datetime.datetime(2020, 1, 1, 9, 0)  # the time of day is kept


def test_old_paths_decode_percent_encoding_and_separate_queries():
    hosts = {"alter-blog.example"}
    assert old_path("https://alter-blog.example/2019/03/gr%C3%B6%C3%9Fe/", hosts) == ("2019/03/größe/", None)
    assert old_path("https://alter-blog.example/?p=12", hosts) == (None, "?p=12")
    assert old_path("https://alter-blog.example/alt.html", hosts) == ("alt.html", None)
    assert old_path("https://anderswo.example/x/", hosts) == (None, None)
    assert old_path("https://alter-blog.example/", hosts) == (None, None)


# -----------------------------------------------------------------------------
# Markdown blogs
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-01-02", datetime.datetime(2024, 1, 2)),
    ("2024-01-02 14:30:00 +0100", datetime.datetime(2024, 1, 2, 14, 30)),
    ("2024-01-02T14:30:00+01:00", datetime.datetime(2024, 1, 2, 14, 30)),
    ({"created": "2024-01-02", "updated": "2024-03-01"}, datetime.datetime(2024, 1, 2)),
    (datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2)),
    ("2024-13-45", None),
    ("gestern", None),
    (None, None),
])
def test_dates_of_every_dialect(value, expected):
    assert to_datetime(value) == expected


def test_front_matter_yaml_and_toml():
    assert split("---\ntitle: A\n---\nText")[:2] == ({"title": "A"}, "Text")
    assert split('+++\ntitle = "A"\n+++\nText')[:2] == ({"title": "A"}, "Text")
    assert split("---\ntitle: [\n---\nText")[0] is None
    assert names("netzwerk tipps", split_words=True) == ["netzwerk", "tipps"]
    assert names(["A", 3, None]) == ["A", "3"]


# -----------------------------------------------------------------------------
# Whole imports (no build): counts, idempotence, refusal
# -----------------------------------------------------------------------------


@pytest.fixture
def root(tmp_path):
    return copy_sources(tmp_path / "site", content=DEMO)  # the test site, not docs/


def do_import(root, source=WXR, **kwargs):
    kwargs.setdefault("series", "werkstatt")
    if source == WXR:
        kwargs.setdefault("media", UPLOADS)
    return run(Options(source=source, root=root, **kwargs))


def written(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("source", "items", "comments"), [(WXR, 15, 14), (MDBLOG, 9, 0)])
def test_report_counts_every_item_and_comment_of_the_source(root, source, items, comments):
    report = do_import(root, source)
    assert report.ok, report.format()
    assert len(report.items) == items and sum(report.outcomes().values()) == items
    assert sum(report.comments.values()) == comments
    text = report.format()
    assert f"{items} in der Quelle\n" in text and f"zusammen: {items}" in text


def test_wxr_report_names_outcomes_and_skips(root):
    report = do_import(root)
    outcomes = report.outcomes()
    assert outcomes["importiert"] == 4 and outcomes["als Entwurf importiert"] == 3 and outcomes["als Seite importiert"] == 1
    for reason in ("privat", "passwortgeschützt", "im Papierkorb", "automatischer Entwurf", "Revision", "Menüeintrag",
                   "Mediendatei (Anhang)"):
        assert outcomes[f"übersprungen: {reason}"] == 1, reason
    assert report.comments["archiviert"] == 8  # the page's comment too (#25)
    for reason in ("Spam", "Pingback", "Trackback", "nicht freigegeben", "im Papierkorb", "Beitrag nicht importiert"):
        assert report.comments[f"übersprungen: {reason}"] == 1, reason
    text = report.format()
    assert "zusammengeführt: „LernOS“ → „lernOS“" in text
    assert "ohne Beschreibung (bitte in data/tags.yml ergänzen): Allgemein, Handwerk, Netzwerk-Tipps" in text
    assert "/?p=101 → werkstatt/groesse-zeigen-kooperation-im-handwerk.md" in text
    gallery = [n for n in report.notes if "gallery" in n[2]][0]  # the gallery became a picture grid (#25)
    assert "Bild 302 fehlt im Export" in gallery[2]
    assert "{ .kn-galerie }" in (root / gallery[0]).read_text(encoding="utf-8")


@pytest.mark.parametrize("source", [WXR, MDBLOG])
def test_import_twice_gives_the_same_files(root, source):
    first = do_import(root, source)
    after_first = written(root)
    second = do_import(root, source)
    assert written(root) == after_first
    assert {status for _path, status in second.files} == {SAME}
    assert {status for _path, status in first.files} <= {NEW, "ergänzt"}


def test_changed_file_is_kept_unless_replace(root):
    do_import(root)
    article = root / "docs" / "werkstatt" / "kurz-notiert.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nVon Hand ergänzt.\n", encoding="utf-8")
    report = do_import(root)
    assert ("docs/werkstatt/kurz-notiert.md", KEPT) in report.files
    assert "Von Hand ergänzt." in article.read_text(encoding="utf-8")
    assert "--ersetzen" in report.format()
    report = do_import(root, replace=True)
    assert ("docs/werkstatt/kurz-notiert.md", REPLACED) in report.files
    assert "Von Hand ergänzt." not in article.read_text(encoding="utf-8")


def test_existing_tags_and_authors_are_not_clobbered(root):
    tags_before = (root / "data" / "tags.yml").read_text(encoding="utf-8")
    authors_before = (root / "data" / "authors.yml").read_text(encoding="utf-8")
    do_import(root)
    tags = (root / "data" / "tags.yml").read_text(encoding="utf-8")
    authors = (root / "data" / "authors.yml").read_text(encoding="utf-8")
    assert tags.startswith(tags_before) and authors.startswith(authors_before)
    assert yaml.safe_load(tags)["lernOS"] == "Lernen in kleinen Gruppen nach der lernOS-Methode."
    assert "Partnersuche" not in tags[len(tags_before):]
    assert yaml.safe_load(authors)["hanna"] == {"name": "Hanna Beispiel"}


def test_pages_can_be_skipped(root):
    report = do_import(root, pages=False)
    assert report.outcomes()["übersprungen: Seite (--ohne-seiten)"] == 1
    assert not (root / "docs" / "werkstatt" / "seiten").exists()


def test_open_comments_follow_the_option(root):
    do_import(root, open_comments="open")
    assert "comments: open" in (root / "docs" / "werkstatt" / "netzwerke-pflegen.md").read_text(encoding="utf-8")
    assert "comments: closed" in (root / "docs" / "werkstatt" / "netzwerke-pflegen-2.md").read_text(encoding="utf-8")


def test_old_url_shared_by_two_items_goes_to_its_owner_and_is_reported(root, tmp_path):
    text = WXR.read_text(encoding="utf-8").replace(
        "<link>https://alter-blog.example/2019/06/kurz-notiert/</link>",
        "<link>https://alter-blog.example/2019/04/netzwerke-pflegen/</link>")
    source = tmp_path / "doppelt.xml"
    source.write_text(text, encoding="utf-8")
    report = do_import(root, source)
    assert report.ok, report.format()
    redirects = yaml.safe_load((root / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert redirects["2019/04/netzwerke-pflegen/"] == "werkstatt/netzwerke-pflegen.md"
    notes = [n for n in report.notes if "2019/04/netzwerke-pflegen/" in n[2]]
    assert notes and "Beitrag 111 „Kurz notiert“" in notes[0][2]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><title>&lol3;</title></channel></rss>
"""


@pytest.mark.parametrize(("text", "needle"), [
    (BILLION_LAUGHS, "Billion Laughs"),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss><channel>&e;</channel></rss>', "externe"),
    ("<rss><channel><item></channel></rss>", "kein gültiges XML (Zeile 1"),
    ("<html><body>kein Export</body></html>", "kein WordPress-Export"),
])
def test_bad_export_is_refused_with_a_german_message_and_nothing_written(root, tmp_path, text, needle):
    source = tmp_path / "export.xml"
    source.write_text(text, encoding="utf-8")
    before = written(root)
    report = do_import(root, source)
    assert not report.ok and needle in report.errors[0] and "export.xml" in report.errors[0]
    assert written(root) == before
    assert "Abgebrochen, es wurde nichts geschrieben" in report.format()


@pytest.mark.build  # three runs of the command line (python -m tools.importer): not the fast layer
def test_command_line_has_german_help_and_exit_codes(root, tmp_path):
    command = [sys.executable, "-m", "tools.importer"]
    help_text = subprocess.run([*command, "--help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "Aufruf:" in help_text and "--ersetzen" in help_text and "WordPress" in help_text
    missing = subprocess.run([*command, str(tmp_path / "fehlt.xml"), "--website", str(root)], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 1 and "gibt es nicht" in missing.stdout
    done = subprocess.run([*command, str(MDBLOG), "--serie", "notizen", "--website", str(root)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "Beiträge und Seiten: 9 in der Quelle" in done.stdout


@pytest.mark.parametrize(("rel", "clean"), [
    ("2019/03/werkstatt.png", "2019/03/werkstatt.png"),
    ("2019/03/Foto Größe.JPG", "2019/03/foto-groesse.jpg"),
    ("static/Bilder & Co/karte", "static/bilder-und-co/karte"),
])
def test_media_paths_need_no_quoting_in_markdown(rel, clean):
    assert media_path(rel) == clean


def test_heading_ids_survive_and_only_their_anchors_stay_links():
    md_text = convert('<h2 id="teil-zwei">Teil zwei</h2><p><a href="#teil-zwei">hin</a> <a href="#more-12">weg</a></p>')
    assert md_text == "## Teil zwei { #teil-zwei }\n\n[hin](#teil-zwei) weg\n"
