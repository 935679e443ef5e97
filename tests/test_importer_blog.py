"""What #25 still missed, imported and built strictly: comments on imported
WordPress pages (archived, shown closed, escaped like on articles), a blog
section's overview in pages (/<blog>/seite/2/ …), and the old feed /feed/.
The export is generated here: 60 posts, a sticky one, a page with a threaded
discussion that has umlauts and hostile strings. All names are made up."""

from __future__ import annotations

import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from importer_cases import item

from conftest import Site, assert_fails, build, copy_sources
from kn.publish.redirects import parse_redirects
from tools.importer import Options, run
from tools.localsite import DEMO

BLOG = "tagebuch"
POSTS = 60
PAGE_SIZE = 10  # extra.listen.seitengroesse of the test site
# Raw markup (dropped by the import) and markup written as text (WordPress stores it escaped: shown as text).
HOSTILE = ("<script>alert(1)</script> \"><img src=x onerror=alert(2)> [klick](javascript:alert(3)) "
           "&lt;script&gt;alert(4)&lt;/script&gt;")
PAGE_URL = f"{BLOG}/seiten/ueber-uns/"


def wp_comment(cid: int, parent: int, author: str, text: str, when: str) -> str:
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
      <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[geheim{cid}@leser.example]]></wp:comment_author_email>
      <wp:comment_author_IP><![CDATA[198.51.100.{cid}]]></wp:comment_author_IP>
      <wp:comment_date>{when}</wp:comment_date><wp:comment_content><![CDATA[{text}]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


PAGE_THREAD = "".join([
    wp_comment(901, 0, "Jürgen Größe", "Schöne Übersicht – danke für „die Seite“!", "2021-02-01 09:00:00"),
    wp_comment(902, 901, "Zoë Ärger", HOSTILE, "2021-02-02 10:00:00"),
    wp_comment(903, 902, "Jürgen Größe", "Antwort auf die Antwort, mit <strong>Fett</strong>.", "2021-02-03 11:00:00"),
    wp_comment(904, 0, "Ünal <b>Fett</b>", "Zweiter Strang.", "2021-02-04 12:00:00"),
])


def blog_export(path: Path) -> Path:
    """A WordPress blog with POSTS posts (one a day from 2019-12-01, the 6th sticky) and a page with comments."""
    start = datetime.datetime(2019, 12, 1, 8, 0)
    items = [
        item(1000 + n, f"Beitrag Nummer {n}", f"<p>Text des Beitrags {n} über Kooperation.</p>", slug=f"beitrag-{n}",
             date=(start + datetime.timedelta(days=n)).strftime("%Y-%m-%d %H:%M:%S"), sticky=n == 6,
             tags=("Netzwerk",))
        for n in range(1, POSTS + 1)
    ]
    items.append(item(2000, "Über uns", "<p>Wer hier schreibt.</p>", slug="ueber-uns", kind="page",
                      link="https://blog.example/ueber-uns/", comments=PAGE_THREAD))
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>{escape("Tagebuch & Werkstatt")}</title>
  <link>https://blog.example</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://blog.example</wp:base_site_url>
  <wp:author><wp:author_login><![CDATA[anna]]></wp:author_login>
    <wp:author_display_name><![CDATA[Anna Beispiel]]></wp:author_display_name></wp:author>
  {''.join(items)}
</channel>
</rss>
""", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The generated blog imported into a copy of the test site and built strictly: (root, site, report)."""
    base = tmp_path_factory.mktemp("blog-import")
    root = copy_sources(base / "site", content=DEMO)
    report = run(Options(source=blog_export(base / "export.xml"), root=root, series=BLOG))
    assert report.ok, report.format()
    result = build(root, root / "site")
    assert result.returncode == 0, report.format() + result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return root, Site(root / "site", result.stdout + result.stderr), report


# -----------------------------------------------------------------------------
# Comments on pages
# -----------------------------------------------------------------------------


@pytest.mark.build
def test_page_comments_are_archived_without_private_fields(imported):
    root, _site, report = imported
    archive = root / "data" / "comments" / BLOG / "seiten" / "ueber-uns.yml"
    entries = yaml.safe_load(archive.read_text(encoding="utf-8"))
    assert [(e["author"], e.get("reply_to")) for e in entries] == [
        ("Jürgen Größe", None), ("Zoë Ärger", 1), ("Jürgen Größe", 2), ("Ünal <b>Fett</b>", None)]
    assert all(set(e) <= {"author", "date", "text", "reply_to"} for e in entries)
    text = archive.read_text(encoding="utf-8")
    assert "leser.example" not in text and "198.51.100" not in text
    assert report.comments["archiviert"] == 4 and not any("Seite" in k for k in report.comments)


@pytest.mark.build
def test_page_shows_its_thread_closed_and_escaped_like_an_article(imported):
    _root, site, _report = imported
    page = site.page(PAGE_URL)
    section = page.select_one("section.kn-comments")
    assert section.select_one("h2#kommentare").get_text() == "Kommentare"
    top = section.select("ol.kn-comments__list:not(.kn-comments__list--replies) > li.kn-comment")
    assert [li.select_one(".kn-comment__author").get_text() for li in top] == ["Jürgen Größe", "Ünal <b>Fett</b>"]
    reply = top[0].select_one("ol.kn-comments__list--replies > li.kn-comment")
    assert reply.select_one(".kn-comment__reply a").get_text() == "Jürgen Größe"
    deeper = reply.select_one("ol.kn-comments__list--replies > li.kn-comment")
    assert deeper.select_one(".kn-comment__text strong").get_text() == "Fett"
    assert "„die Seite“" in top[0].select_one(".kn-comment__text").get_text()
    # Hostile text stays text: no script, no image, no javascript: link.
    hostile = reply.select_one(".kn-comment__text")
    assert "<script>alert(4)</script>" in hostile.get_text() and "alert(1)" not in hostile.get_text()
    assert not section.select("script, img, b") and not section.select("[onerror]")
    assert all(not a.get("href", "").startswith("javascript") for a in section.select("a"))
    assert section.select_one(".kn-comments__closed").get_text() == "Kommentarfunktion für diese Seite geschlossen."
    # Closed: nothing of a comment provider, and the page allows no other server.
    assert not page.select(".kn-isso, [data-kn-consent], iframe")


# -----------------------------------------------------------------------------
# A blog section's overview in pages
# -----------------------------------------------------------------------------


def titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".kn-list__title")]


def link(page, selector: str) -> str | None:
    element = page.select_one(selector)
    return element["href"] if element else None


@pytest.mark.build
def test_blog_overview_is_paged_newest_first_with_pinned_post_on_top(imported):
    _root, site, _report = imported
    pages = POSTS // PAGE_SIZE
    seen: list[str] = []
    for number in range(1, pages + 1):
        url = f"{BLOG}/" if number == 1 else f"{BLOG}/seite/{number}/"
        page = site.page(url)
        listed = titles(page)
        assert len(listed) == PAGE_SIZE, url
        seen += listed
        assert page.select_one(".kn-pager__position").get_text() == f"Seite {number} von {pages}"
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical.endswith("/" + url), (url, canonical)
        newer, older = link(page, "head link[rel=prev]"), link(page, "head link[rel=next]")
        assert (newer is None) == (number == 1) and (older is None) == (number == pages), url
        assert link(page, ".kn-pager a[rel=next]") == older and link(page, ".kn-pager a[rel=prev]") == newer
    assert not site.exists(f"{BLOG}/seite/{pages + 1}/") and not site.exists(f"{BLOG}/seite/1/")
    expected = ["Beitrag Nummer 6"] + [f"Beitrag Nummer {n}" for n in range(POSTS, 0, -1) if n != 6]
    assert seen == expected
    first = site.page(f"{BLOG}/")
    assert first.select_one("h2#angeheftet") and link(first, "head link[rel=next]") == "seite/2/"
    assert first.find("a", string="Über uns")  # the pages stay linked from the first page


@pytest.mark.build
def test_later_blog_pages_have_their_own_title_and_stay_out_of_the_search(imported):
    _root, site, _report = imported
    second = site.page(f"{BLOG}/seite/2/")
    assert second.select_one("article h1").get_text(strip=True) == "Tagebuch & Werkstatt – Seite 2 von 6"
    assert second.title.get_text().startswith("Tagebuch & Werkstatt – Seite 2 von 6")
    assert "Beiträge 11 bis 20 von 60" in second.select_one(".kn-lead").get_text()
    assert link(second, ".kn-lead a") == "../../"
    assert [h.get_text() for h in second.select("h2[id^=jahr-]")] == ["2020"]
    assert not second.select_one("[data-pagefind-body]")


# -----------------------------------------------------------------------------
# The old feed /feed/
# -----------------------------------------------------------------------------


@pytest.mark.build
def test_old_feed_address_leads_to_the_atom_feed(imported):
    root, site, report = imported
    redirects = yaml.safe_load((root / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert redirects["feed/"] == "feed.xml"
    page = site.page("feed/")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../feed.xml"
    assert page.find("a")["href"] == "../feed.xml" and page.find("a").get_text() == "Atom-Feed"
    assert site.exists("feed.xml")
    assert any("/feed/" in note[2] and "301" in note[2] for note in report.notes)


# -----------------------------------------------------------------------------
# Bad input and pure helpers
# -----------------------------------------------------------------------------


@pytest.mark.build
def test_comments_for_an_overview_or_with_a_private_field_fail_with_file_and_field(tmp_path):
    root = copy_sources(tmp_path / "site", content=DEMO)
    series = "kooperation-netzwerke"
    (root / "docs" / series / "seiten").mkdir()
    (root / "docs" / series / "seiten" / "info.md").write_text("# Info\n\nText.\n", encoding="utf-8")
    folder = root / "data" / "comments" / series
    (folder / "seiten").mkdir(parents=True)
    (folder / "seiten" / "info.yml").write_text(
        "- author: Leserin\n  date: 2021-01-01\n  text: Hallo\n  email: x@leser.example\n", encoding="utf-8")
    (folder / "index.yml").write_text("- author: Leserin\n  date: 2021-01-01\n  text: Hallo\n", encoding="utf-8")
    result = build(root, root / "site")
    output = assert_fails(result, f"data/comments/{series}/seiten/info.yml", "Feld 'email'",
                          f"data/comments/{series}/index.yml", "kein Artikel")
    assert "Traceback" not in output


@pytest.mark.unit
def test_redirect_to_the_feed_is_allowed_and_other_files_are_not():
    redirects, problems = parse_redirects({"feed/": "feed.xml", "alt/": "sitemap.xml"}, {"a.md": "a/index.html"}, set())
    assert [(r.old, r.output, r.target) for r in redirects] == [("feed/", "feed/index.html", "feed.xml")]
    assert len(problems) == 1 and "'sitemap.xml'" in problems[0] and "'feed.xml' für den Feed" in problems[0]


@pytest.fixture(scope="module")
def fixture_site(imported):
    return imported[1]  # served by conftest's fixture_url


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_paged_blog_and_page_comments_fit_phone_and_desktop(browser_page, fixture_url, width):
    # Each of the three pages is loaded once and measured for every check on it.
    browser_page.set_viewport_size({"width": width, "height": 900})

    def fits(url: str) -> None:
        assert browser_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), url

    browser_page.goto(fixture_url + f"{BLOG}/")
    fits(f"{BLOG}/")
    browser_page.goto(fixture_url + f"{BLOG}/seite/2/")
    fits(f"{BLOG}/seite/2/")
    # On a later page both pager links are visible and lead to the neighbours.
    newer, older = browser_page.locator(".kn-pager a[rel=prev]"), browser_page.locator(".kn-pager a[rel=next]")
    assert newer.is_visible() and older.is_visible()
    older.click()
    browser_page.wait_for_url(f"**/{BLOG}/seite/3/")
    assert browser_page.url.endswith(f"/{BLOG}/seite/3/")
    browser_page.goto(fixture_url + PAGE_URL)
    fits(PAGE_URL)
    # The deepest reply of the page's thread keeps a readable width.
    deepest = browser_page.locator(".kn-comments__list--replies .kn-comments__list--replies .kn-comment__text").first
    assert deepest.bounding_box()["width"] > width * 0.4
