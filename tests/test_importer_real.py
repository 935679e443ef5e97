"""Imports of exports that look like real ones (#25, #26, #30), each into a
scratch copy of the site, built strictly: duplicate guids, reserved names,
code, line breaks, videos, media from outside, hostile paths and structures."""

from __future__ import annotations

import contextlib
import http.server
import re
import threading
from pathlib import Path

import importer_cases
import pytest
import yaml
from bs4 import BeautifulSoup
from importer_cases import fetch_export, markdown_blog, uploads, wordpress_export

from conftest import build, copy_sources
from tools.importer import Options, run
from tools.importer.html2md import html_to_markdown, prepare_wordpress, video_url
from tools.importer.media import clean_relative, content_type
from tools.localsite import DEMO

pytestmark = pytest.mark.build

SERIES = "annas-werkbank"


class Foreign:
    def image(self, src: str) -> str | None:
        return None

    def link(self, href: str) -> str | None:
        return None


def md(html: str) -> str:
    return html_to_markdown(prepare_wordpress(html)[0], Foreign()).markdown


@pytest.fixture(scope="module")
def wxr(tmp_path_factory):
    base = tmp_path_factory.mktemp("real-wxr")
    (base / "aussen").mkdir()
    export = wordpress_export(base / "export.xml")
    media = uploads(base / "uploads", base / "aussen")
    root = copy_sources(base / "site", content=DEMO)
    report = run(Options(source=export, root=root, media=media))
    assert report.ok, report.format()
    result = build(root, root / "site")
    assert result.returncode == 0, report.format() + result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return root, report


def page(root, url: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_duplicate_guid_goes_to_the_post_with_that_id_and_is_reported(wxr):
    root, report = wxr
    redirects = yaml.safe_load((root / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert redirects["?p=568"] == f"{SERIES}/erster.md" and redirects["?p=569"] == f"{SERIES}/zweiter.md"
    assert any("„?p=568“ gehört zu mehreren Einträgen" in n[2] for n in report.notes)


def test_site_pages_are_never_covered_by_redirects(wxr):
    root, report = wxr
    redirects = yaml.safe_load((root / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert "impressum/" not in redirects and "datenschutz/" not in redirects
    assert "Impressum" in page(root, "impressum").title.get_text()
    assert sum("/impressum/ ist eine Adresse dieser Website" in n[2] for n in report.notes) == 1


def test_reimport_does_not_bring_back_a_redirect_or_change_anything(wxr, tmp_path):
    root, _report = wxr
    second = run(Options(source=wordpress_export(tmp_path / "export.xml"), root=root, media=None))
    assert second.ok
    assert "impressum/" not in yaml.safe_load((root / "data" / "redirects.yml").read_text(encoding="utf-8"))


def test_reserved_tag_name_is_renamed_and_reported(wxr):
    root, report = wxr
    tags = yaml.safe_load((root / "data" / "tags.yml").read_text(encoding="utf-8"))
    assert "Index (Thema)" in tags and "Index" not in tags
    assert (root / "site" / "tags" / "index-thema" / "index.html").is_file()
    assert any("„Index“ in „Index (Thema)“ umbenannt" in n[2] for n in report.notes)


def test_code_stays_verbatim_with_its_language(wxr):
    root, _report = wxr
    text = (root / "docs" / SERIES / "code-und-zeilen.md").read_text(encoding="utf-8")
    assert "```csharp\ncontainer.RegisterType<WebApplication>();\nvar x = a -- b; // \"quoted\"\n    eingerückt\n```" in text
    assert "```php\n$a = array(\"x\" => 1);\necho $a;\n```" in text
    html = page(root, f"{SERIES}/code-und-zeilen")
    code = [c.get_text() for c in html.select("article pre code")]
    assert any("RegisterType<WebApplication>()" in c and 'a -- b; // "quoted"' in c for c in code)
    assert any("if (a < b) {\n    run();\n}" in c for c in code)  # the code from the quote
    assert "List<string>" in html.select_one("article").get_text()


def test_line_breaks_and_links_survive(wxr):
    root, _report = wxr
    article = page(root, f"{SERIES}/code-und-zeilen").select_one("article")
    address = next(p for p in article.find_all("p") if "Musterstraße" in p.get_text())
    assert len(address.find_all("br")) == 2
    assert article.find("a", href="https://www.example.com/seite") is not None
    assert article.find("a", href="mailto:info@example.com") is not None
    assert "Titel\nText danach" in next(p for p in article.find_all("p") if "Titel" in p.get_text()).get_text()


def test_title_markup_becomes_text(wxr):
    root, _report = wxr
    assert page(root, f"{SERIES}/code-und-zeilen").select_one("article h1").get_text(strip=True) == "Code & Zeilen"


def test_media_post_has_one_h1_videos_and_nothing_foreign(wxr):
    root, report = wxr
    article = page(root, f"{SERIES}/medien").select_one("article")
    assert len(article.find_all("h1")) == 1
    assert len(article.select(".kn-video")) >= 3 or len(article.select("[data-kn-video], .kn-video")) >= 3
    assert article.find("a", href="https://media.ccc.de/v/xyz/oembed") is not None
    assert article.find("video") is None and article.find("iframe") is None
    assert article.find("a", href="https://blog.example/wp-content/uploads/2020/01/ton.mp3") is not None
    for img in article.find_all("img"):
        assert not img["src"].startswith(("http:", "https:", "//")), img
    thumb = article.find("img", alt="Foto")
    assert thumb.parent.name == "a" and thumb.parent["href"].endswith("foto.png")
    assert "[[" not in article.get_text()


def test_hostile_media_paths_are_refused(wxr):
    root, report = wxr
    copied = [p.relative_to(root / "docs").as_posix() for p in (root / "docs" / SERIES / "bilder").rglob("*") if p.is_file()]
    assert sorted(copied) == [f"{SERIES}/bilder/2020/01/foto-300x200.png", f"{SERIES}/bilder/2020/01/foto.png"]
    assert any("zeigt aus dem Medienordner hinaus" in n[2] for n in report.notes)


def test_deep_html_long_slug_and_comment_cycle_are_reported_not_raised(wxr):
    root, report = wxr
    problems = " ".join(n[2] for n in report.notes)
    assert "tief verschachtelt" in problems and "gekürzt" in problems and "antwortet im Kreis" in problems
    assert all(len(p.name) < 100 for p in (root / "docs" / SERIES).iterdir())


# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "canonical"), [
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("//player.vimeo.com/video/76979871?title=0", "https://vimeo.com/76979871"),
    ("https://vimeo.com/channels/staffpicks/76979871", "https://vimeo.com/76979871"),
    ("https://www.youtube.com/embed/kurz", None),  # the build wants 11 characters
    ("https://media.ccc.de/v/abc", None),
])
def test_video_urls_are_what_the_build_accepts(url, canonical):
    from kn.markdown.embeds import parse_video

    assert video_url(url) == canonical
    if canonical:
        assert parse_video(canonical) is not None


@pytest.mark.parametrize("rel", ["/etc/passwd", "../x.png", "%2e%2e%2fx.png", "%252e%252e%252fx.png", "a/../../x.png",
                                 "C:/x.png", "a\\..\\..\\x.png", ""])
def test_escaping_media_paths_are_refused(rel):
    assert clean_relative(rel) is None


def test_content_type_is_read_from_the_bytes():
    assert content_type(b"\x89PNG\r\n\x1a\n....") == ".png"
    assert content_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ".webp"
    assert content_type(b"<svg onload=alert(1)>") is None


@pytest.mark.parametrize(("html", "expected"), [
    ('[sourcecode lang="js"]if (a && b) { x<y>(); }[/sourcecode]', "```javascript\nif (a && b) { x<y>(); }\n```\n"),
    ("[python]print('x')[/python]", "```python\nprint('x')\n```\n"),
    ("<p>Zeile eins\nZeile zwei</p>", "Zeile eins  \nZeile zwei\n"),
    ('<p><a href="www.example.de">x</a></p>', "[x](https://www.example.de)\n"),
    ("<h1>A</h1><h2>B</h2>", "## A\n\n### B\n"),
    ('<a href="https://fremd.example/gross.jpg"><img src="https://fremd.example/klein.jpg" alt="Bild A"></a>',
     "[Bild A](https://fremd.example/gross.jpg)\n"),
])
def test_wordpress_html_conversions(html, expected):
    assert md(html) == expected


# -----------------------------------------------------------------------------
# A Material-for-MkDocs blog
# -----------------------------------------------------------------------------

MD_SERIES = "notizen-aus-der-praxis"


@pytest.fixture(scope="module")
def mdblog(two_imports):
    root, md_report, _fetch_report, _seen = two_imports
    return root, md_report


def test_markdown_blog_takes_its_title_and_owner_from_its_config(mdblog):
    root, report = mdblog
    assert report.series == MD_SERIES
    assert "title: Notizen aus der Praxis" in (root / "docs" / MD_SERIES / "index.md").read_text(encoding="utf-8")


def test_markdown_blog_iframes_become_videos_or_links(mdblog):
    root, _report = mdblog
    text = (root / "docs" / MD_SERIES / "videos.md").read_text(encoding="utf-8")
    assert "[Vortrag](https://www.youtube.com/watch?v=dQw4w9WgXcQ){ .video }" in text
    assert "[Eingebetteter Inhalt](https://media.ccc.de/v/abc/oembed)" in text and "<iframe" not in text
    article = page(root, f"{MD_SERIES}/videos").select_one("article")
    assert article.find("iframe") is None and len(article.find_all("h1")) == 1


def test_markdown_blog_nested_image_is_rewritten_and_copied_and_links_out_are_refused(mdblog):
    root, report = mdblog
    article = page(root, f"{MD_SERIES}/videos").select_one("article")
    img = article.find("img", alt="Skizze")
    assert img is not None and (root / "docs" / MD_SERIES / "bilder" / "bilder" / "skizze.png").is_file()
    assert not (root / "docs" / MD_SERIES / "bilder" / "bilder" / "fremd.png").exists()
    assert any("symbolischer Link" in n[2] for n in report.notes)
    assert "# kein Titel, sondern ein Kommentar" in article.find("code").get_text()


def test_markdown_blog_undated_page_comes_in_and_is_linked(mdblog):
    root, _report = mdblog
    assert page(root, f"{MD_SERIES}/seiten/about").select_one("article h1").get_text(strip=True) == "Über mich"
    overview = page(root, MD_SERIES)
    assert overview.find("a", href="seiten/about/") is not None


def test_material_date_url_is_redirected(mdblog):
    root, _report = mdblog
    redirects = yaml.safe_load((root / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert redirects["blog/2025/06/22/videos-aus-der-praxis/"] == f"{MD_SERIES}/videos.md"
    assert (root / "site" / "blog" / "2025" / "06" / "22" / "videos-aus-der-praxis" / "index.html").is_file()


def test_hostile_front_matter_is_refused_quickly_in_german(mdblog):
    _root, report = mdblog
    skipped = dict(report.items)
    assert "Anker und Verweise" in skipped["docs/blog/posts/lachen.md"]
    assert "tiefer als" in skipped["docs/blog/posts/tief.md"]


# -----------------------------------------------------------------------------
# Pictures fetched from the old site (--bilder-laden), served from 127.0.0.1
# -----------------------------------------------------------------------------


class _Pictures(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_GET(self):
        self.seen.append((self.headers.get("Host", ""), self.path))
        path = self.path.split("?", 1)[0]
        if path in importer_cases.REDIRECTS:
            self.send_response(302)
            self.send_header("Location", importer_cases.REDIRECTS[path])
            self.end_headers()
            return
        body = importer_cases.PICTURES.get(path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # the importer stops reading a picture that is too big
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def two_imports(tmp_path_factory):
    """Two imports side by side in one copy of the site, built once: the
    Markdown blog (section MD_SERIES) and the WordPress export whose pictures
    are fetched from the old site (section bilder-blog). Each import has its
    own report; the sections, their pictures and redirects are apart."""
    base = tmp_path_factory.mktemp("real-md-and-fetch")
    (base / "aussen").mkdir()
    source = markdown_blog(base / "blog", base / "aussen")
    root = copy_sources(base / "site", content=DEMO)
    md_report = run(Options(source=source, root=root))
    assert md_report.ok, md_report.format()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"127.0.0.1:{server.server_address[1]}"
    try:
        export = fetch_export(base / "export.xml", f"http://{address}")
        fetch_report = run(Options(source=export, root=root, series="bilder-blog", fetch=True, connect_to={
            "example.files.wordpress.com": address, "fremd.example": address}))
    finally:
        server.shutdown()
        server.server_close()
    assert fetch_report.ok, fetch_report.format()
    result = build(root, root / "site")
    assert result.returncode == 0, md_report.format() + fetch_report.format() + result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr  # was asserted for the Markdown blog's build
    return root, md_report, fetch_report, list(_Pictures.seen)


@pytest.fixture(scope="module")
def fetched(two_imports):
    root, _md_report, fetch_report, seen = two_imports
    return root, fetch_report, seen


def test_pictures_are_fetched_into_the_section(fetched):
    root, report, _seen = fetched
    folder = root / "docs" / "bilder-blog" / "bilder"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == ["2019/05/eins.gif", "2019/05/galerie-901.jpg", "2019/05/galerie-902.jpg", "2019/05/team.png",
                     "2019/05/werkstatt.jpg", "2019/05/zwei.webp"]
    assert report.fetched == (6, 3)
    assert "Bilder vom alten Server geladen: 6" in report.format()


def test_fetched_pictures_show_as_one_image_and_galleries_as_grids(fetched):
    root, _report, _seen = fetched
    article = page(root, "bilder-blog/mit-bildern").select_one("article")
    for img in article.find_all("img"):
        assert not img["src"].startswith(("http:", "https:", "//")), img
    werkstatt = article.find("img", alt="Werkstatt")
    assert werkstatt is not None and werkstatt.parent.name != "a"  # thumbnail and full size are one file
    grids = article.select("p.kn-galerie")
    assert [len(g.find_all("img")) for g in grids] == [2, 2]
    assert "[[" not in article.get_text()


def test_nothing_is_fetched_from_hosts_not_allowed_and_fakes_are_refused(fetched):
    _root, report, seen = fetched
    assert not [s for s in seen if s[0].startswith("fremd.example")]
    problems = " ".join(n[2] for n in report.notes)
    assert "kein Bild (PNG, JPEG, GIF oder WebP) laut Inhalt" in problems
    assert "größer als 10 MB" in problems
    assert "fremd.example/spion.png“ ist nicht freigegeben" in problems


def test_a_post_over_its_time_budget_becomes_text_and_a_note(tmp_path, monkeypatch):
    import sys
    import time

    module = sys.modules["tools.importer.run"]
    monkeypatch.setattr(module, "POST_SECONDS", 0.2)
    slow = sys.modules["tools.importer.wxr"].convert

    def convert(post, resolver):
        if post.slug == "erster":
            time.sleep(5)
        return slow(post, resolver)

    monkeypatch.setattr(sys.modules["tools.importer.wxr"], "convert", convert)
    root = copy_sources(tmp_path / "site", content=DEMO)
    report = run(Options(source=wordpress_export(tmp_path / "export.xml"), root=root))
    assert report.ok
    text = (root / "docs" / SERIES / "erster.md").read_text(encoding="utf-8")
    assert "~~~text\n<p>Eins.</p>\n~~~" in text
    assert any("länger als 0.2 Sekunden" in n[2] for n in report.notes)


# -----------------------------------------------------------------------------
# Blog sections (`art: blog`)
# -----------------------------------------------------------------------------


def test_imported_blog_is_a_blog_section_newest_first_with_pinned_posts_and_years(wxr):
    root, _report = wxr
    assert "art: blog" in (root / "docs" / SERIES / "index.md").read_text(encoding="utf-8")
    overview = page(root, SERIES).select_one("article")
    headings = [h.get_text(strip=True) for h in overview.find_all("h2")]
    assert headings[1:3] == ["Angeheftet", "2020"] and "Alle Teile" not in headings  # after „Seiten“
    pinned = overview.find("h2", id="angeheftet").find_next("ul")
    assert [a.get_text(strip=True) for a in pinned.select(".kn-list__title")] == ["Medien"]
    assert not overview.select("ol.kn-list--numbered")
    # The overview lists the imported WordPress pages, so that they are reachable.
    assert overview.find("a", href="seiten/impressum/") is not None


def test_blog_posts_show_no_part_numbers(wxr):
    root, _report = wxr
    article = page(root, f"{SERIES}/erster")
    assert "Teil " not in article.select_one("article").get_text()
    assert article.select_one(".kn-series-nav__position") is None


def test_feed_entries_keep_the_old_guid(wxr):
    root, _report = wxr
    feed = (root / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<id>https://blog.example/?p=570</id>" in feed


def test_one_setting_turns_a_blog_into_a_series_and_bad_values_are_named(wxr, tmp_path):
    root, _report = wxr
    index = root / "docs" / SERIES / "index.md"
    text = index.read_text(encoding="utf-8")
    try:
        index.write_text(text.replace("art: blog", "art: reihe"), encoding="utf-8")
        assert build(root, tmp_path / "reihe").returncode == 0
        overview = BeautifulSoup((tmp_path / "reihe" / SERIES / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert overview.find("h2", id="alle-teile") is not None
        article = (tmp_path / "reihe" / SERIES / "erster" / "index.html").read_text(encoding="utf-8")
        assert re.search(r"Teil \d von \d", article)
        index.write_text(text.replace("art: blog", "art: tagebuch"), encoding="utf-8")
        result = build(root, tmp_path / "falsch")
        assert result.returncode != 0
        assert f"'{SERIES}/index.md', Feld 'art': unbekannter Wert 'tagebuch'. Erlaubt sind: reihe, blog." in result.stderr
    finally:
        index.write_text(text, encoding="utf-8")


def convert_markdown_post(folder: Path, body: str):
    """One Markdown-blog post with this body, converted as the importer does."""
    import datetime

    from tools.importer.mdblog import Blog, convert
    from tools.importer.model import Post

    post = Post(source="x.md", kind="post", title="T", slug="x", when=datetime.datetime(2020, 1, 1), draft=False,
                tags=[], authors=[], comments="off", body=body, path="s/x.md")
    blog = Blog(folder)
    blog.files[id(post)] = "x.md"
    converted, _missing = convert(post, blog, {}, "s/bilder", {})
    return converted


def test_markdown_blog_raw_html_is_made_safe_and_reported(tmp_path):
    body = ('Text <script>alert(1)</script> und <img src="https://fremd.example/a.png" alt="Alt" onerror="x()">\n\n'
            '<a href="javascript:alert(1)" onclick="y()">k</a>\n\n'
            '<video controls poster="https://v.example/p.jpg"><source src="https://v.example/a.mp4"></video>\n\n'
            '<form action="https://fremd.example/"><input name="q"></form>\n\n'
            "```html\n<script>bleibt</script>\n```\n")
    converted = convert_markdown_post(tmp_path, body)
    text = converted.markdown
    assert "alert(1)" not in text.split("```")[0] and "onerror" not in text and "onclick" not in text
    assert "[Alt](https://fremd.example/a.png)" in text and "[Video: a.mp4](https://v.example/a.mp4)" in text
    assert "<form" not in text and "<input" not in text and "poster" not in text
    assert "<script>bleibt</script>" in text  # code stays code
    assert len(converted.notes) >= 4


def test_markdown_blog_styles_and_handlers_on_any_tag_go_so_that_the_page_builds(tmp_path):
    from kn.security import active_html_problems

    body = ('<p style="text-align:center" onclick="x()">Zentriert</p>\n\n'
            '<div class="hinweis" data-kn-consent="youtube" onmouseover=\'y()\'><span STYLE="color:red">rot</span></div>\n\n'
            '```html\n<p style="bleibt">Code</p>\n```\n')
    converted = convert_markdown_post(tmp_path, body)
    text = converted.markdown
    prose = text.split("```")[0]
    assert "<p>Zentriert</p>" in prose and '<div class="hinweis">' in prose and "<span>rot</span>" in prose
    assert '<p style="bleibt">Code</p>' in text  # code stays code
    assert any("Attribute" in note[0] for note in converted.notes)
    html = prose.replace("\n\n", "\n")
    assert active_html_problems("s/x.md", text, html) == []


def test_attachment_pages_lead_to_their_post_and_als_reihe_makes_a_series(tmp_path):
    from conftest import ROOT

    root = copy_sources(tmp_path / "site", content=DEMO)
    source = ROOT / "tests" / "fixtures" / "import" / "wordpress.xml"
    report = run(Options(source=source, root=root, series="werkstatt", as_series=True))
    assert report.ok, report.format()
    redirects = yaml.safe_load((root / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert redirects["2019/03/größe-zeigen-kooperation-im-handwerk/werkstatt/"] == \
        "werkstatt/groesse-zeigen-kooperation-im-handwerk.md"
    assert redirects["?attachment_id=301"] == "werkstatt/groesse-zeigen-kooperation-im-handwerk.md"
    assert "art:" not in (root / "docs" / "werkstatt" / "index.md").read_text(encoding="utf-8")


def test_command_line_knows_the_new_options(capsys):
    from tools.importer.__main__ import parser

    args = parser().parse_args(["x.xml", "--bilder-laden", "--bilder-hosts", "a.example, B.example", "--als-reihe"])
    assert args.bilder_laden and args.als_reihe and args.bilder_hosts == "a.example, B.example"
    assert "--bilder-laden" in parser().format_help()


def test_markdown_blog_pictures_are_fetched_from_its_own_site_only(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        source = tmp_path / "blog"
        (source / "posts").mkdir(parents=True)
        (source / "mkdocs.yml").write_text(f"site_name: Mein Blog\nsite_url: {base}/\n", encoding="utf-8")
        (source / "posts" / "bild.md").write_text(
            f"---\ndate: 2024-05-01\ntitle: Bild\n---\n\n![Team]({base}/wp-content/uploads/2019/05/team.png)\n\n"
            "![Fremd](https://cdn.example/y.png)\n", encoding="utf-8")
        root = copy_sources(tmp_path / "site", content=DEMO)
        report = run(Options(source=source, root=root, fetch=True))
    finally:
        server.shutdown()
        server.server_close()
    assert report.ok, report.format()
    text = (root / "docs" / "mein-blog" / "bild.md").read_text(encoding="utf-8")
    assert "![Team](bilder/127-0-0-1/wp-content/uploads/2019/05/team.png)" in text
    assert (root / "docs" / "mein-blog" / "bilder" / "127-0-0-1" / "wp-content" / "uploads" / "2019" / "05" / "team.png").is_file()
    assert "[Fremd](https://cdn.example/y.png)" in text and report.fetched == (1, 0)
