"""Imports into a temporary copy of the site, built strictly: articles, threaded
comments, redirects, tags, and no e-mail address or IP from the export anywhere."""

from __future__ import annotations

import posixpath
import re

import pytest
from bs4 import BeautifulSoup

from conftest import DEMO, ROOT, Site, build, copy_sources
from kn.publish.redirects import output_path, parse_redirects
from tools.importer import Options, run

FIXTURES = ROOT / "tests" / "fixtures" / "import"
WXR = FIXTURES / "wordpress.xml"
ARTICLE = "werkstatt/groesse-zeigen-kooperation-im-handwerk/"


def imported_site(tmp_path_factory, name: str, *imports: dict) -> tuple:
    """Each import (its own source and series) into one copy of the test site,
    built once strictly: (root, site, one report per import)."""
    root = copy_sources(tmp_path_factory.mktemp(name) / "project", content=DEMO)  # the test site, not docs/
    reports = []
    for options in imports:
        report = run(Options(root=root, **options))
        assert report.ok, report.format()
        reports.append(report)
    result = build(root, root / "site")
    assert result.returncode == 0, "".join(r.format() for r in reports) + result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    return root, Site(root / "site", result.stdout + result.stderr), reports


@pytest.fixture(scope="module")
def imported_both(tmp_path_factory):
    """The WordPress export (series werkstatt) and the Markdown blog (series
    notizen) side by side in one site, one build for both: their pages, tags
    and redirects are apart (each test reads its own import's pages and report)."""
    return imported_site(tmp_path_factory, "imports",
                         {"source": WXR, "series": "werkstatt", "media": FIXTURES / "uploads"},
                         {"source": FIXTURES / "markdown-blog", "series": "notizen"})


@pytest.fixture(scope="module")
def wxr_site(imported_both):
    root, site, (report, _md_report) = imported_both
    return root, site, report


@pytest.fixture(scope="module")
def md_site(imported_both):
    root, site, (_wxr_report, report) = imported_both
    return root, site, report


def redirect_target(site: Site, old: str) -> str:
    """The URL (under the site) that the redirect page for `old` sends to."""
    page = site.page(old)
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    target = refresh.split("url=", 1)[1]
    link = page.find("a")["href"]
    assert link == target and page.html["lang"] == "de"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    base = old if old.endswith("/") else posixpath.dirname(old) + "/"
    return posixpath.normpath(posixpath.join(base, target)) + "/"


# -----------------------------------------------------------------------------
# WordPress
# -----------------------------------------------------------------------------


def test_published_posts_become_articles_and_drafts_and_skipped_items_do_not(wxr_site):
    _root, site, _report = wxr_site
    for url, title in [
        (ARTICLE, "Größe zeigen: Kooperation im Handwerk & was sie bringt"),
        ("werkstatt/netzwerke-pflegen/", "Netzwerke pflegen"),
        ("werkstatt/netzwerke-pflegen-2/", "Netzwerke pflegen, Teil 2"),
        ("werkstatt/kurz-notiert/", "Kurz notiert"),
        ("werkstatt/seiten/ueber-dieses-blog/", "Über dieses Blog"),
    ]:
        assert site.page(url).select_one("article h1").get_text(strip=True) == title
    for url in ("werkstatt/ausblick/", "werkstatt/gemeinsam-einkaufen/", "werkstatt/entwurf-nachlese-zur-handwerksmesse/",
                "werkstatt/privat-zahlen/", "werkstatt/nur-fuer-mitglieder/"):
        assert not site.exists(url), url
    listed = [a.get_text(strip=True) for a in site.page("werkstatt/").select(".kn-list__title")]
    # An imported blog is a blog section (`art: blog`): newest first (#25).
    assert listed == ["Kurz notiert", "Netzwerke pflegen, Teil 2", "Netzwerke pflegen",
                      "Größe zeigen: Kooperation im Handwerk & was sie bringt"]


def test_article_body_keeps_structure_media_and_videos(wxr_site):
    root, site, _report = wxr_site
    content = site.page(ARTICLE).select_one("article")
    image = content.find("img", alt="Die gemeinsame Werkstatt")
    assert site.exists(posixpath.normpath(ARTICLE + image["src"]))
    assert content.find("em", string="Die gemeinsame Werkstatt im Gewerbehof")
    assert content.select("ul > li > ul > li") and content.select("ol > li")
    assert [td.get_text() for td in content.select("table tr td")][:2] == ["Tischlerei A | Nord", "40\u00a0%"]
    videos = [(f["data-kn-video-title"], f.select_one(".kn-video__link a")["href"]) for f in content.select("figure.kn-video")]
    assert videos == [("Rundgang durch die Werkstatt", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
                      ("Video auf Vimeo", "https://vimeo.com/76979871")]
    assert "[gallery ids=" not in content.get_text()  # a picture grid from the export's attachments (#25)
    assert content.select("p.kn-galerie img")
    links = {a.get_text(): a["href"] for a in content.select("p a")}
    assert links["Netzwerke pflegen"] == "../netzwerke-pflegen/" and links["dritten Teil"] == "../netzwerke-pflegen-2/"
    assert "Das Team vor der Halle" in content.get_text()
    second = site.page("werkstatt/netzwerke-pflegen-2/").select_one("article")
    links = {a.get_text(): a["href"] for a in second.select("p a")}
    assert links["oben"] == "#fair-trennen" and second.find("h3", id="fair-trennen")
    assert links["Kontaktseite"] == "https://alter-blog.example/kontakt/" and "Weiterlesen-Anker" not in links
    plan = site.page("werkstatt/kurz-notiert/").find("img", alt="Der Plan")
    assert plan["src"] == "../bilder/2019/03/plan-groesse.png" and site.exists("werkstatt/bilder/2019/03/plan-groesse.png")
    code = site.page("werkstatt/netzwerke-pflegen/").select_one("article pre code")
    assert "treffen: monatlich" in code.get_text()


def test_nothing_is_loaded_from_another_server(wxr_site):
    _root, site, _report = wxr_site
    for path in (site.root / "werkstatt").rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not page.select("iframe, object, embed"), path
        for element in page.select("[src]"):
            assert not re.match(r"(https?:)?//", element["src"]), (path, element)


def test_comments_are_threaded_in_date_order_with_closed_notice(wxr_site):
    _root, site, _report = wxr_site
    page = site.page(ARTICLE)
    top = page.select("ol.kn-comments__list:not(.kn-comments__list--replies) > li.kn-comment")
    authors = [li.select_one(".kn-comment__author").get_text() for li in top]
    assert authors == ["Erika Test", "Petra Probe", "Otto Normal"]
    reply = top[1].select_one("ol.kn-comments__list--replies > li.kn-comment")
    assert reply.select_one(".kn-comment__author").get_text() == "Hanna Beispiel"
    assert reply.select_one("strong").get_text() == "gemeinsamen Vertrag"
    nested = reply.select_one("ol.kn-comments__list--replies > li.kn-comment")
    assert nested.select_one(".kn-comment__author").get_text() == "Petra Probe"
    assert "[E-Mail-Adresse entfernt]" in nested.get_text()
    assert "Kommentarfunktion für diesen Artikel geschlossen." in page.get_text()
    text = page.get_text()
    for hidden in ("nie freigegeben.", "Kaufen Sie jetzt", "lesenswerter Beitrag", "Trackback-Text", "Im Papierkorb."):
        assert hidden not in text


def test_old_permalinks_redirect_to_the_new_pages(wxr_site):
    _root, site, report = wxr_site
    assert redirect_target(site, "2019/03/größe-zeigen-kooperation-im-handwerk/") == ARTICLE
    assert redirect_target(site, "2019/04/netzwerke-pflegen/") == "werkstatt/netzwerke-pflegen/"
    assert redirect_target(site, "2019/05/netzwerke-pflegen/") == "werkstatt/netzwerke-pflegen-2/"
    assert redirect_target(site, "ueber-dieses-blog/") == "werkstatt/seiten/ueber-dieses-blog/"
    canonical = site.page("2019/04/netzwerke-pflegen/").find("link", rel="canonical")["href"]
    assert canonical.endswith("/kooperation-netzwerke/werkstatt/netzwerke-pflegen/")
    assert ("?p=102", "werkstatt/netzwerke-pflegen.md") in report.redirects
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    assert "2019/04" not in sitemap


def test_tags_are_merged_and_new_ones_may_lack_a_description(wxr_site):
    _root, site, _report = wxr_site
    page = site.page("tags/lernos/")
    assert page.select_one("p.kn-lead").get_text() == "Lernen in kleinen Gruppen nach der lernOS-Methode."
    # The export's three lernOS/LernOS posts on one page (the Markdown blog beside it brings its own: not counted).
    listed = [a["href"] for a in page.select(".kn-list__item a.kn-list__title")]
    assert len(page.select(".kn-list__item")) == len(listed)
    assert len([h for h in listed if h.startswith("../../werkstatt/")]) == 3, listed
    assert all(h.startswith(("../../werkstatt/", "../../notizen/")) for h in listed), listed
    assert not site.page("tags/handwerk/").select("p.kn-lead")
    names = [a.get_text(strip=True) for a in site.page("tags/").select(".kn-list__title")]
    assert "lernOS" in names and "LernOS" not in names and "Netzwerk-Tipps" in names and "Netzwerk Tipps" not in names


def test_imported_authors_show_their_name_without_bio(wxr_site):
    _root, site, _report = wxr_site
    box = site.page(ARTICLE).select_one("aside.kn-authors p")
    assert box.get_text() == "Hanna Beispiel" and not box.find("br")


def private_values() -> set[str]:
    """Every e-mail address and IP address in the export."""
    text = WXR.read_text(encoding="utf-8")
    values = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))
    values |= set(re.findall(r"<wp:comment_author_IP><!\[CDATA\[([^\]]+)\]\]>", text))
    values |= {"192.0.2.44"}  # written into a comment's text
    return values


def test_no_e_mail_or_ip_of_the_export_appears_in_the_tree_or_the_site(wxr_site):
    root, _site, _report = wxr_site
    values = private_values()
    assert len(values) >= 15 and "petra.privat@leserin.example" in values and "2001:db8::4711" in values
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yml", ".html", ".json", ".xml", ".txt", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for value in values:
                assert value not in text, (path, value)


# -----------------------------------------------------------------------------
# Markdown blogs
# -----------------------------------------------------------------------------


def test_markdown_posts_of_three_dialects_become_articles(md_site):
    _root, site, _report = md_site
    for url, title in [
        ("notizen/willkommen-im-netzwerk/", "Willkommen im Netzwerk"),
        ("notizen/zweiter/", "Der zweite Beitrag"),
        ("notizen/jekyll-beitrag/", "Ein Beitrag aus Jekyll"),
        ("notizen/hugo-gruss/", "Grüße aus Hugo"),
    ]:
        article = site.page(url).select_one("article")
        assert article.h1.get_text(strip=True) == title
        assert len(article.find_all("h1")) == 1
    for url in ("notizen/idee/", "notizen/unveroeffentlicht/", "notizen/zweiter-hugo/"):
        assert not site.exists(url)


def test_markdown_links_and_images_are_rewritten_and_copied(md_site):
    _root, site, _report = md_site
    page = site.page("notizen/willkommen-im-netzwerk/").select_one("article")
    image = page.find("img", alt="Der Stammtisch")
    assert site.exists(posixpath.normpath("notizen/willkommen-im-netzwerk/" + image["src"]))
    links = {a.get_text(): a["href"] for a in page.select("p a")}
    assert links["zweiten Beitrag"] == "../zweiter/" and links["Hugo-Gruß"] == "../hugo-gruss/"
    hugo = site.page("notizen/hugo-gruss/").select_one("article")
    assert site.exists(posixpath.normpath("notizen/hugo-gruss/" + hugo.find("img", alt="Die Karte")["src"]))
    assert hugo.select_one("figure.kn-video .kn-video__link a")["href"] == "https://www.youtube.com/watch?v=abcDEF12345"
    second = site.page("notizen/zweiter/").select_one("article")
    assert "kaputten Link" in second.get_text() and "ins Leere" in second.get_text()
    jump = [p for p in second.select("p") if "Springen" in p.get_text()][0]
    assert [(a.get_text(), a["href"]) for a in jump.select("a")] == [("nach oben", "#offene-fragen")]


def test_wordpress_archive_addresses_redirect_to_topics_overview_and_posts(wxr_site):
    _root, site, _report = wxr_site
    assert redirect_target(site, "category/kooperation/") == "tags/kooperation/"
    assert redirect_target(site, "tag/lernos/") == "tags/lernos/"
    assert redirect_target(site, "author/hanna/") == "werkstatt/"


def test_markdown_aliases_redirect_and_tags_merge(md_site):
    _root, site, report = md_site
    assert redirect_target(site, "alt/hugo-gruss/") == "notizen/hugo-gruss/"
    assert redirect_target(site, "2023/11/05/jekyll-beitrag.html") == "notizen/jekyll-beitrag/"
    assert ("netzwerken", "Netzwerken") in report.tags_merged
    titles = [a.get_text(strip=True) for a in site.page("tags/netzwerken/").select(".kn-list__title")]
    assert "Willkommen im Netzwerk" in titles and "Grüße aus Hugo" in titles
    dropped = [n for n in report.notes if n[0] == "blog/posts/2024/01/willkommen.md"][0]
    assert dropped[2] == "Felder nicht übernommen: pin, readtime"


# -----------------------------------------------------------------------------
# The redirects hook
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "output"), [
    ("2019/03/x/", "2019/03/x/index.html"), ("2019/03/x", "2019/03/x/index.html"),
    ("/alt.html", "alt.html"), ("größe/", "größe/index.html"),
])
def test_redirect_output_paths(old, output):
    assert output_path(old) == output


def test_query_redirects_are_kept_apart():
    redirects, problems = parse_redirects({"?p=12": "a.md", "alt/": "a.md"}, {"a.md": "serie/a/index.html"}, set())
    assert problems == [] and [(r.old, r.output) for r in redirects] == [("?p=12", ""), ("alt/", "alt/index.html")]


@pytest.mark.parametrize(("data", "needle"), [
    ({"?p=12&x=<a>": "a.md"}, "kein Pfad"),
    ({"https://x.example/a/": "a.md"}, "kein Pfad"),
    ({"../a/": "a.md"}, "kein Pfad"),
    ({"alt/": "fehlt.md"}, "keine Seite unter docs/"),
    ({"serie/a/": "a.md"}, "steht schon eine Seite"),
    (["alt/"], "keine Zuordnung"),
])
def test_bad_redirect_entries_are_rejected_naming_the_entry(data, needle):
    redirects, problems = parse_redirects(data, {"a.md": "serie/a/index.html"}, {"serie/a/index.html"})
    assert redirects == [] and len(problems) == 1
    assert problems[0].startswith("Fehler in 'data/redirects.yml'") and needle in problems[0]


def test_bad_redirects_file_fails_the_build(project):
    project.write("data/redirects.yml", "alt/seite/: kooperation-netzwerke/gibt-es-nicht.md\n")
    result, _built = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Feld 'alt/seite/'" in output and "gibt-es-nicht.md" in output


# Records every navigation the page starts, and sets __knMapRead one task after
# alte-adressen.json was parsed: after the script's own handlers of the map
# (promise callbacks) have run.
MAP_READ_PROBE = """
window.__knNavigations = [];
window.__knMapRead = false;
navigation.addEventListener("navigate", (event) => window.__knNavigations.push(event.destination.url));
const json = Response.prototype.json;
Response.prototype.json = function () {
  const parsed = json.call(this);
  if (new URL(this.url).pathname.endsWith("/alte-adressen.json")) {
    const done = () => setTimeout(() => { window.__knMapRead = true; });
    parsed.then(done, done);
  }
  return parsed;
};
"""


def test_short_links_go_through_the_start_page_script(wxr_site, browser_page):
    from conftest import serve

    _root, site, _report = wxr_site
    assert site.page("").select_one('script[src$="assets/kn-alte-adressen.js"]')["data-map"] == "alte-adressen.json"
    server, url = serve(site.root)
    try:
        browser_page.goto(url + "?p=102")
        browser_page.wait_for_url(url + "werkstatt/netzwerke-pflegen/", timeout=10000)
        browser_page.goto(url + "?page_id=201")
        browser_page.wait_for_url(url + "werkstatt/seiten/ueber-dieses-blog/", timeout=10000)
        # An unknown short link stays on the start page: once the script has read
        # the map and acted on it, no navigation was started (the Navigation API's
        # `navigate` event fires at once for location.replace).
        browser_page.add_init_script(MAP_READ_PROBE)
        browser_page.goto(url + "?p=999")
        browser_page.wait_for_function("() => window.__knMapRead === true", timeout=10000)
        assert browser_page.evaluate("window.__knNavigations") == []
        assert browser_page.url == url + "?p=999"
    finally:
        server.shutdown()


def test_start_page_without_short_links_loads_no_script(site):
    assert not site.page("").select('script[src$="kn-alte-adressen.js"]')


def test_manual_excerpt_becomes_the_lead_and_no_lead_repeats_the_text(wxr_site):
    root, site, _report = wxr_site
    # Without an excerpt the build takes the teaser from the text: no description, no lead.
    assert "description:" not in (root / "docs" / ARTICLE.rstrip("/")).with_suffix(".md").read_text(encoding="utf-8")
    assert site.page(ARTICLE).select_one("article .kn-lead") is None
    assert "Drei Tischlereien" in site.page(ARTICLE).select_one('meta[name="description"]')["content"]
    # A manual excerpt is the description, shown as the lead.
    lead = site.page("werkstatt/netzwerke-pflegen/").select_one("article .kn-lead")
    assert lead.get_text(strip=True) == "Wie Sie Kontakte im Handwerk pflegen, damit aus einem Netzwerk echte Zusammenarbeit wird."
