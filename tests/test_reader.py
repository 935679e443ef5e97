"""Reader features: authors, reading time, series position, Atom feeds, social meta."""

from __future__ import annotations

import datetime
import math
import re

import feedparser
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ARTICLES as ARTICLE_FILES
from conftest import DEMO, DOCS, FIXTURES, ROOT, SERIES, article, article_url, assert_fails, normalise
from kn.derive.reader import check_avatar, parse_authors, reading_minutes
from kn.read.articles import HOME_NEWEST
from kn.text import count_words, slugify

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
AUTHORS = yaml.safe_load((DEMO / "data" / "authors.yml").read_text(encoding="utf-8"))
INCLUDE = re.compile(r'^--8<-- "checklisten/([^"]+)\.md"[ \t]*$', re.M)


# -----------------------------------------------------------------------------
# The articles, read independently of the hooks
# -----------------------------------------------------------------------------


def read_articles() -> list[dict]:
    """Every article of every series: front matter, URL and expected reading time."""
    found = []
    for path in ARTICLE_FILES:
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(front)
        found.append({**meta, "series": path.parent.name, "url": article_url(path), "minutes": expected_minutes(body)})
    return found


def reading_order(articles: list[dict]) -> list[dict]:
    """Numbered parts (`teil`) first, then the others by date."""
    return sorted(articles, key=lambda a: (a.get("teil") is None, a.get("teil") or 0, str(a["date"]), a["url"]))


def expected_minutes(body: str) -> int:
    """Words as a reader sees them: checklists inlined, Markdown rendered to
    text, every whitespace-separated token with a letter or digit counted."""
    inlined = INCLUDE.sub(lambda m: (DOCS / "checklisten" / f"{m.group(1)}.md").read_text(encoding="utf-8"), body)
    html = markdown.markdown(inlined, extensions=["admonition", "attr_list", "md_in_html", "tables"])
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    words = [token for token in text.split() if any(char.isalnum() for char in token)]
    return math.ceil(len(words) / 200)


ARTICLES = read_articles()
BY_URL = {a["url"]: a for a in ARTICLES}
PARTS = {name: reading_order([a for a in ARTICLES if a["series"] == name]) for name in SERIES}


def names(ids: list[str]) -> list[str]:
    return [AUTHORS[i]["name"] for i in ids]


def byline(ids: list[str]) -> list[str]:
    """Names as the line under the title shows them: the editorial team as „der Redaktion“."""
    return ["der Redaktion" if i == "redaktion" else AUTHORS[i]["name"] for i in ids]


def feed(site, url: str):
    path = site.path(url)
    assert path.is_file(), url
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def local_url(link: str) -> str:
    assert link.startswith(SITE_URL), link
    return link[len(SITE_URL):]


# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("html", "words"), [
    ("<p>Ein kurzer Satz.</p>", 3),
    ('<h2 id="x">Überschrift<a class="headerlink" href="#x">¶</a></h2>\n'
     "<p>Text mit <strong>fett</strong> und <em>kursiv</em>.</p>", 6),
    ('<p>Ein <a href="https://example.org/lange/adresse">Link</a> hier.</p>', 3),
    ('<p>Bild: <img alt="Alternativtext mit Wörtern" src="bild.png"></p>', 1),
    ("<ol>\n<li>Erster</li>\n<li>Zweiter</li>\n</ol>", 2),
    ("<p>Gedankenstrich – zählt nicht | auch nicht</p>", 5),
    ("<p>Vor</p>\n<pre><code>print(&quot;kein Wort&quot;)\n</code></pre>\n<p>mit <code>x = 1</code> nach</p>", 3),
    ("<!-- kn-checkliste:erstgespraech -->\n<p>Text</p><!-- ein\nKommentar -->", 1),
    ("<p>Stra&szlig;e &amp; Weg</p>", 2),
])
def test_count_words_counts_only_visible_text(html, words):
    assert count_words(html) == words


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (1000, 5), (1001, 6)])
def test_reading_minutes_round_up(words, minutes):
    assert reading_minutes(words) == minutes



@pytest.mark.parametrize("avatar", [
    "https://example.org/bild.jpg", "http://example.org/bild.jpg", "//example.org/bild.jpg",
    "data:image/png;base64,AAAA", "/bilder/jana.jpg", "../jana.jpg", "",
])
def test_avatar_must_be_a_local_file_under_docs(avatar):
    value, problem = check_avatar(avatar, lambda _p: True)
    assert value is None and problem


def test_avatar_file_must_exist():
    assert check_avatar("bilder/jana.jpg", lambda _p: False)[1]
    assert check_avatar("bilder/jana.jpg", lambda _p: True) == ("bilder/jana.jpg", None)


def test_authors_file_of_the_site_is_valid():
    authors, problems = parse_authors(AUTHORS, existing=lambda p: (DOCS / p).is_file())
    assert problems == [] and set(authors) == set(AUTHORS)


@pytest.mark.parametrize("entry", [
    {"bio": "Text"}, {"name": "", "bio": "Text"}, {"name": "J", "bio": ""}, "Jana", {"name": "J", "bio": "B", "foto": "x"},
])
def test_incomplete_author_entry_is_rejected(entry):
    _authors, problems = parse_authors({"jana": entry})
    assert problems and "data/authors.yml" in problems[0] and "jana" in problems[0]


def test_author_bio_is_optional():
    authors, problems = parse_authors({"jana": {"name": "Jana"}})
    assert problems == [] and authors["jana"].bio == ""


# -----------------------------------------------------------------------------
# Authors
# -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", list(BY_URL))
def test_article_names_its_authors_under_the_title(site, url):
    meta = site.page(url).select_one("article .kn-article-meta")
    shown = [span.get_text(strip=True) for span in meta.select(".kn-article-meta__authors .kn-author__name")]
    assert shown == byline(BY_URL[url]["authors"])
    assert meta.select_one(".kn-article-meta__authors").get_text(" ", strip=True).startswith("von ")


def test_editorial_team_signs_as_der_redaktion(site):
    url = next(a["url"] for a in ARTICLES if a["authors"] == ["redaktion"])
    meta = site.page(url).select_one("article .kn-article-meta__authors")
    assert meta.get_text(" ", strip=True) == "von der Redaktion"


def test_site_names_no_invented_person_as_author():
    # Only the editorial team signs until the operator names a real person.
    assert list(AUTHORS) == ["redaktion"]
    assert AUTHORS["redaktion"]["name"] == "Redaktion Kooperation & Netzwerke"


def test_article_shows_author_bio_after_the_text(site):
    url = ARTICLES[0]["url"]
    box = site.page(url).select_one("aside.kn-authors").get_text(" ", strip=True)
    for author_id in ARTICLES[0]["authors"]:
        assert AUTHORS[author_id]["name"] in box and AUTHORS[author_id]["bio"] in box


# An invented person with bio and picture, from tests/fixtures/authors.yml: an example, never on the site.
PERSON = "beispiel-autorin"
AVATAR_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1" fill="#4a6"/></svg>'


def with_example_person(project, avatar: str = "bilder/beispiel-autorin.svg") -> None:
    """Use the fixture authors file; the example person signs a new article."""
    project.write("docs/bilder/beispiel-autorin.svg", AVATAR_SVG)
    text = (FIXTURES / "authors.yml").read_text(encoding="utf-8")
    project.write("data/authors.yml", text.replace("bilder/beispiel-autorin.svg", avatar))
    project.write("docs/kooperation-netzwerke/gastartikel.md", article("Ein Gastartikel", authors=f"[{PERSON}, redaktion]"))


def message_about(output: str, file: str) -> str:
    """The build's German message line about `file` („Fehler in 'file', …“)."""
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith(f"Fehler in '{file}'")]
    assert len(lines) == 1, f"no single message about {file!r} in build output:\n{output}"
    return lines[0]


@pytest.fixture(scope="module")
def built_broken(tmp_path_factory):
    """One failing build with two independent author problems, each in its own
    file (the build collects both; each test asserts the message of its file):
    an article signed by an unknown ID, and the example person with an avatar
    from another server (the person stays known, so her article is not a third problem)."""
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("authors-broken") / "project")
    project.write("docs/kooperation-netzwerke/unbekannt.md", article("Unbekannte Autorin", authors="[redaktion, niemand]"))
    with_example_person(project, avatar="https://example.org/erika.jpg")
    return project.build()


def test_unknown_author_fails_naming_file_field_and_id(built_broken):
    result, built = built_broken
    output = assert_fails(result, "kooperation-netzwerke/unbekannt.md", "Feld 'authors'", "'niemand'", "redaktion")
    message = message_about(output, "kooperation-netzwerke/unbekannt.md")
    for needle in ("Feld 'authors'", "'niemand'", "redaktion"):
        assert needle in message, (needle, message)
    assert not built.exists("kooperation-netzwerke/unbekannt/")
    assert not built.exists("feed.xml")


def test_avatar_with_external_url_is_rejected(built_broken):
    result, built = built_broken
    output = assert_fails(result, "data/authors.yml", f"{PERSON}.avatar", "https://example.org/erika.jpg")
    message = message_about(output, "data/authors.yml")
    for needle in (f"{PERSON}.avatar", "https://example.org/erika.jpg"):
        assert needle in message, (needle, message)
    assert not built.exists("kooperation-netzwerke/gastartikel/")


@pytest.fixture(scope="module")
def built_variants(tmp_path_factory):
    """One passing build of the test site with three independent additions side
    by side (each test reads only its own): the example person signing a guest
    article (2026-11-20), 22 articles of January 2027 for the feed limit, and a
    draft of March 2027 for the feeds. The guest article is older than all 22
    and the draft is never published, so the newest twenty stay those of January."""
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("authors-feeds") / "project")
    with_example_person(project)
    for day in range(1, 23):
        project.write(f"docs/kooperation-netzwerke/test-{day:02d}.md", article(f"Testartikel {day}", date=f"2027-01-{day:02d}"))
    project.write("docs/kooperation-netzwerke/entwurf.md",
                  article("Geheimer Entwurf", date="2027-03-01", draft="true", tags="[Partnersuche, Trennung]"))
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


def test_person_with_bio_and_avatar_is_shown_in_byline_and_after_the_text(built_variants):
    built = built_variants
    person = yaml.safe_load((FIXTURES / "authors.yml").read_text(encoding="utf-8"))[PERSON]
    page = built.page("kooperation-netzwerke/gastartikel/")
    line = page.select_one(".kn-article-meta__authors")
    assert line.get_text(" ", strip=True) == f"von {person['name']} und der Redaktion"
    assert line.select_one(".kn-author__avatar")["src"] == "../../bilder/beispiel-autorin.svg"
    assert built.exists("bilder/beispiel-autorin.svg")
    box = page.select_one("aside.kn-authors")
    assert person["bio"] in box.get_text(" ", strip=True)
    assert box.select_one(".kn-authors__avatar")["src"] == "../../bilder/beispiel-autorin.svg"


# -----------------------------------------------------------------------------
# Reading time
# -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", list(BY_URL))
def test_article_shows_reading_time(site, url):
    shown = site.page(url).select_one("article .kn-article-meta .kn-reading-time").get_text(strip=True)
    assert shown == f"{BY_URL[url]['minutes']} Min. Lesezeit"


@pytest.mark.parametrize("listing", ["", *(f"{name}/" for name in SERIES)])
def test_every_listing_shows_reading_time(site, listing):
    items = site.page(listing).select(".kn-list__item:has(time)")
    assert len(items) == (min(len(ARTICLES), HOME_NEWEST) if not listing else len(PARTS[listing.strip("/")]))
    for item in items:
        url = item.select_one("a.kn-list__title")["href"]
        minutes = BY_URL[normalise(listing, url)]["minutes"]
        assert item.select_one(".kn-list__meta .kn-reading-time").get_text(strip=True) == f"{minutes} Min. Lesezeit"


# -----------------------------------------------------------------------------
# Series position
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "number"), [(n, i) for n in SERIES for i in range(1, len(PARTS[n]) + 1)])
def test_article_shows_its_part_of_the_series_with_neighbours(site, name, number):
    parts = PARTS[name]
    total = len(parts)
    url = parts[number - 1]["url"]
    page = site.page(url)
    assert page.select_one(".kn-article-meta__series").get_text(strip=True) == f"Teil {number} von {total}"
    nav = page.select_one("nav.kn-series-nav")
    assert f"Teil {number} von {total} der Reihe" in nav.select_one(".kn-series-nav__position").get_text(" ", strip=True)
    previous = nav.select_one("a[rel=prev]")
    following = nav.select_one("a[rel=next]")
    if number == 1:
        assert previous is None
    else:
        assert normalise(url, previous["href"]) == parts[number - 2]["url"]
        assert parts[number - 2]["title"] in previous.get_text(" ", strip=True)
    if number == total:
        assert following is None
    else:
        assert normalise(url, following["href"]) == parts[number]["url"]
        assert parts[number]["title"] in following.get_text(" ", strip=True)


@pytest.mark.parametrize("name", SERIES)
def test_series_overview_lists_every_part_with_description_and_reading_time(site, name):
    items = site.page(f"{name}/").select("ol.kn-list > .kn-list__item")
    assert [normalise(f"{name}/", i.a["href"]) for i in items] == [a["url"] for a in PARTS[name]]
    for item, expected in zip(items, PARTS[name], strict=True):
        assert item.select_one(".kn-list__description").get_text(strip=True) == expected["description"]
        assert item.select_one(".kn-reading-time").get_text(strip=True) == f"{expected['minutes']} Min. Lesezeit"


# -----------------------------------------------------------------------------
# Feeds
# -----------------------------------------------------------------------------


def check_entries(site, entries, expected: list[dict]) -> None:
    """Entries match the expected articles (newest first) in every field."""
    assert [local_url(e.link) for e in entries] == [a["url"] for a in expected]
    for entry, art in zip(entries, expected, strict=True):
        assert site.exists(local_url(entry.link))
        assert entry.title == art["title"]
        assert entry.summary == art["description"]
        assert datetime.date(*entry.published_parsed[:3]) == datetime.date.fromisoformat(str(art["date"]))
        assert entry.updated_parsed[:3] == entry.published_parsed[:3]
        assert [a.name for a in entry.authors] == names(art["authors"])
        assert [t.term for t in entry.tags] == art["tags"]


def newest_first(articles: list[dict]) -> list[dict]:
    return sorted(articles, key=lambda a: (str(a["date"]), a["url"]), reverse=True)


def test_main_feed_has_the_newest_articles_with_all_fields(site):
    parsed = feed(site, "feed.xml")
    assert parsed.feed.title == "Kooperation & Netzwerke"
    assert parsed.feed.link == SITE_URL
    assert len(parsed.entries) <= 20
    check_entries(site, parsed.entries, newest_first(ARTICLES)[:20])


def test_feed_has_one_per_used_tag_with_only_that_tags_articles(site):
    used = {tag for a in ARTICLES for tag in a["tags"]}
    assert used
    for tag in used:
        parsed = feed(site, f"tags/{slugify(tag)}/feed.xml")
        assert tag in parsed.feed.title
        check_entries(site, parsed.entries, newest_first([a for a in ARTICLES if tag in a["tags"]]))
    known = {p.parent.name for p in (site.root / "tags").glob("*/feed.xml")}
    assert known == {slugify(t) for t in used}


def test_feed_keeps_only_the_newest_twenty(built_variants):
    built = built_variants
    titles = [e.title for e in feed(built, "feed.xml").entries]
    assert titles == [f"Testartikel {day}" for day in range(22, 2, -1)]


def test_drafts_never_appear_in_feeds(built_variants):
    built = built_variants
    for path in built.root.rglob("feed.xml"):
        assert "Geheimer Entwurf" not in path.read_text(encoding="utf-8"), path
        assert "entwurf" not in [local_url(e.link).split("/")[-2] for e in feed(built, str(path.relative_to(built.root))).entries]
    assert not built.exists("kooperation-netzwerke/entwurf/")


def resolve(site, path, href: str) -> str:
    """Absolute URL of a link on the built page at `path` (links are relative)."""
    from urllib.parse import urljoin

    folder = path.parent.relative_to(site.root).as_posix()
    page_url = SITE_URL + ("" if folder == "." else folder + "/")
    return urljoin(page_url, href)


def test_every_page_has_a_visible_feed_link_in_the_footer(site):
    for path in site.html_pages():
        link = site.page(path.relative_to(site.root).as_posix()).select_one("footer a.kn-feed-link")
        assert link and resolve(site, path, link["href"]) == SITE_URL + "feed.xml", path


def test_every_page_links_the_main_feed(site):
    for path in site.html_pages():
        head = site.page(path.relative_to(site.root).as_posix()).head
        links = head.select('link[rel=alternate][type="application/atom+xml"]')
        assert links and resolve(site, path, links[0]["href"]) == SITE_URL + "feed.xml", path
        assert links[0]["title"]


@pytest.fixture(scope="module")
def tag_site(site, tmp_path_factory):
    """A built site with the tag page tags/partnersuche/: the real one once the
    tags hook generates tag pages, else a copy with a hand-written tag page."""
    if site.exists("tags/partnersuche/"):
        return site
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("tagpage") / "project")
    project.write("docs/tags/partnersuche.md", "# Partnersuche\n\nArtikel zum Thema.\n")
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


def test_tag_page_links_its_own_feed(tag_site):
    # In the text, not the head: Material fetches sitemap.xml next to every
    # <link rel=alternate>, which would be a 404 below tags/<slug>/.
    page = tag_site.page("tags/partnersuche/")
    head = [resolve(tag_site, tag_site.path("tags/partnersuche/"), link["href"])
            for link in page.head.select('link[rel=alternate][type="application/atom+xml"]')]
    assert head == [SITE_URL + "feed.xml"]
    link = page.select_one('article a[rel=alternate][type="application/atom+xml"]')
    assert resolve(tag_site, tag_site.path("tags/partnersuche/"), link["href"]) == SITE_URL + "tags/partnersuche/feed.xml"
    assert link.get_text(strip=True) == "Feed zu diesem Thema abonnieren"
    assert tag_site.exists("tags/partnersuche/feed.xml")


# -----------------------------------------------------------------------------
# Social previews and search engines
# -----------------------------------------------------------------------------


def meta_values(page: BeautifulSoup, prop: str) -> list[str]:
    return [m["content"] for m in page.head.find_all("meta", attrs={"property": prop})]


@pytest.mark.parametrize("url", list(BY_URL))
def test_article_has_open_graph_and_article_meta(site, url):
    art = BY_URL[url]
    page = site.page(url)
    assert meta_values(page, "og:type") == ["article"]
    assert meta_values(page, "og:title") == [art["title"]]
    assert meta_values(page, "og:description") == [art["description"]]
    assert meta_values(page, "og:url") == [SITE_URL + url]
    assert meta_values(page, "og:locale") == ["de_DE"]
    assert meta_values(page, "og:site_name") == ["Kooperation & Netzwerke"]
    assert meta_values(page, "article:published_time") == [str(art["date"])]
    assert meta_values(page, "article:tag") == art["tags"]
    assert meta_values(page, "article:author") == names(art["authors"])
    assert page.head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"


def test_other_pages_are_websites_without_article_meta(site):
    page = site.page("")
    assert meta_values(page, "og:type") == ["website"]
    assert meta_values(page, "og:url") == [SITE_URL]
    assert meta_values(page, "article:published_time") == []


def test_canonical_and_description_appear_once_per_page(site):
    for url in ["", *(f"{name}/" for name in SERIES), *BY_URL]:
        head = site.page(url).head
        canonical = head.find_all("link", rel="canonical")
        description = head.find_all("meta", attrs={"name": "description"})
        assert len(canonical) == 1 and canonical[0]["href"] == SITE_URL + url
        assert len(description) == 1 and description[0]["content"] == meta_values(site.page(url), "og:description")[0]


def test_social_meta_uses_no_other_origin(site):
    for url in ["", *BY_URL]:
        for tag in site.page(url).head.find_all("meta", attrs={"property": re.compile("^og:")}):
            content = tag["content"]
            assert not content.startswith("http") or content.startswith(SITE_URL), content


def test_team_authors_are_marked_and_checked():
    authors, problems = parse_authors({
        "redaktion": {"name": "Redaktion", "team": True},
        "jana": {"name": "Jana Beispiel", "bio": "Schreibt."},
        "kaputt": {"name": "Kaputt", "team": "ja"},
    })
    assert authors["redaktion"].team and not authors["jana"].team and not authors["kaputt"].team
    assert problems == [
        "Fehler in 'data/authors.yml', Feld 'kaputt.team': 'ja' ist kein Wahrheitswert. "
        "Erlaubt sind: true (eine Redaktion oder Firma), false (eine Person)."
    ]
