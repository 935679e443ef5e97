"""Reach: related articles, share links, social preview images, JSON-LD and
checklist backlinks (hooks/kn/derive/related.py, share.py, social.py, structured_data.py)."""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import random
import re
from itertools import combinations
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from PIL import Image

from conftest import ARTICLES, CHECKLISTS, DEMO, DOCS, ROOT, Project, article, article_url, build, normalise
from kn.derive.related import related_articles, tag_weights
from kn.markdown.typography import typeset
from kn.registry import Article
from kn.render import preview_image
from kn.render.preview_image import FOOTER_TOP, HEIGHT, MARGIN, TITLE_TOP, WIDTH, Preview, layout_title
from kn.render.share import share_links
from kn.render.social import css_colours
from kn.render.structured_data import script_json

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
# Published articles of every series of the test site (drafts have no page).
ARTICLE_URLS = sorted(article_url(p) for p in ARTICLES)
BOLD = ROOT / "data" / "fonts" / "OpenSans-Bold.ttf"
REGULAR = ROOT / "data" / "fonts" / "OpenSans-Semibold.ttf"
MAX_BYTES = 150 * 1024
TRICKY_TITLE = 'Wann Sie „Nein“ sagen </script><!-- & "warum" -->'


def front_matter(url: str) -> dict:
    text = (DOCS / (url.rstrip("/") + ".md")).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def json_ld(page) -> list[dict]:
    return [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]


# -----------------------------------------------------------------------------
# Related articles: the ranking (pure helper)
# -----------------------------------------------------------------------------


def make(name: str, day: int, tags: list[str], *, series: str = "s", draft: bool = False) -> Article:
    return Article(
        src_uri=f"{series}/{name}.md", url=f"{series}/{name}/", series=series, title=name, description="",
        date=datetime.date(2026, 1, 1) + datetime.timedelta(days=day), tags=tags, comments=None,
        authors=[], draft=draft, body="",
    )


def brute_force(articles: list[Article], excluded: dict[str, set[str]], limit: int = 3) -> dict[str, list[str]]:
    """Score every pair: the definition the fast index must match."""
    pool = [a for a in articles if not a.draft]
    weights = tag_weights(pool)
    result = {}
    for a in articles:
        scored = [
            (sum(weights[t] for t in set(a.tags) & set(b.tags)), b.date, b.src_uri)
            for b in pool
            if b.src_uri != a.src_uri and b.src_uri not in excluded.get(a.src_uri, set()) and set(a.tags) & set(b.tags)
        ]
        result[a.src_uri] = [uri for _s, _d, uri in sorted(scored, reverse=True)[:limit]]
    return result


def test_related_prefers_rare_shared_tags_then_newer():
    common = [make(f"c{i}", i, ["Netzwerken"]) for i in range(10)]
    a = make("a", 0, ["Netzwerken", "Verträge"])
    rare_old = make("rare-old", -50, ["Verträge"])
    both = make("both", -60, ["Netzwerken", "Verträge"])
    related = related_articles([a, rare_old, both, *common])
    assert [r.src_uri for r in related["s/a.md"]] == ["s/both.md", "s/rare-old.md", "s/c9.md"]


def test_related_never_itself_a_draft_or_a_series_neighbour():
    articles = [make(f"a{i}", i, ["Vertrauen"]) for i in range(6)] + [make("draft", 99, ["Vertrauen"], draft=True)]
    neighbours = {"s/a3.md": {"s/a2.md", "s/a4.md"}}
    related = related_articles(articles, neighbours=lambda art: neighbours.get(art.src_uri, set()))
    chosen = [r.src_uri for r in related["s/a3.md"]]
    assert chosen == ["s/a5.md", "s/a1.md", "s/a0.md"]
    assert all(r.src_uri != "s/draft.md" for rel in related.values() for r in rel)


def test_related_matches_scoring_every_pair_and_is_deterministic():
    rng = random.Random(7)
    vocabulary = [f"t{i}" for i in range(9)]
    articles = [make(f"a{i:03d}", rng.randint(0, 40), rng.sample(vocabulary, rng.randint(1, 4)),
                     draft=rng.random() < 0.05) for i in range(300)]
    excluded = {a.src_uri: {f"s/a{int(a.src_uri[3:6]) + 1:03d}.md"} for a in articles}
    fast = related_articles(articles, neighbours=lambda art: excluded[art.src_uri])
    assert {k: [r.src_uri for r in v] for k, v in fast.items()} == brute_force(articles, excluded)
    shuffled = articles[:]
    rng.shuffle(shuffled)
    again = related_articles(shuffled, neighbours=lambda art: excluded[art.src_uri])
    assert {k: [r.src_uri for r in v] for k, v in again.items()} == {k: [r.src_uri for r in v] for k, v in fast.items()}


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_article_shows_up_to_three_related_articles_never_itself_or_its_neighbours(site, url):
    page = site.page(url)
    section = page.select_one(".kn-related")
    links = [a["href"] for a in section.select(".kn-list__title")] if section else []
    assert len(links) <= 3
    assert section is None or section.select_one("h2").get_text(strip=True) == "Das könnte Sie auch interessieren"
    neighbours = {a["href"] for a in page.select(".kn-series-nav__link")}
    own_tags = set(front_matter(url)["tags"])
    for href in links:
        assert href not in neighbours and not href.endswith(url.split("/")[-2] + "/")
        other = normalise(url, href)
        assert own_tags & set(front_matter(other)["tags"]), (url, other)


@pytest.fixture(scope="module")
def fresh_site(tmp_path_factory):
    """The test site with a draft sharing tags with many articles and an
    article with a tricky title, side by side, built once without any cache
    (test_unchanged_images_come_from_the_cache builds it again, into folders
    of its own)."""
    project = Project(tmp_path_factory.mktemp("reach") / "project")
    project.write("docs/kooperation-netzwerke/entwurf.md",
                  article("Ein Entwurf", draft="true", tags="[Partnersuche, Kundenschutz, Vertrauen]"))
    project.write("docs/kooperation-netzwerke/heikel.md", article(json.dumps(TRICKY_TITLE, ensure_ascii=False)))
    result, built = project.build(shared_cache=False)
    return project, result, built


def test_related_articles_leave_out_drafts(fresh_site):
    _project, result, built = fresh_site
    assert result.returncode == 0, result.stderr
    for url in ARTICLE_URLS:
        assert not any("entwurf" in a["href"] for a in built.page(url).select(".kn-related a")), url


# -----------------------------------------------------------------------------
# Share links
# -----------------------------------------------------------------------------


def test_share_links_encode_title_and_address_as_single_values():
    url = "https://example.org/serie/artikel/?x=1&y=2"
    title = 'Vorsicht & „Kooperation“ #1? 100 % "fair"'
    links = {link.name: link for link in share_links(url, title)}
    assert parse_qs(urlsplit(links["LinkedIn"].href).query) == {"url": [url]}
    assert parse_qs(urlsplit(links["XING"].href).query) == {"url": [url]}
    assert parse_qs(urlsplit(links["WhatsApp"].href).query) == {"text": [f"{title} {url}"]}
    mail = urlsplit(links["E-Mail"].href)
    assert mail.scheme == "mailto" and "+" not in mail.query and " " not in mail.query
    assert parse_qs(mail.query) == {"subject": [title], "body": [f"{title}\r\n\r\n{url}"]}


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_article_has_share_links_built_from_its_canonical_url_and_title(site, url):
    page = site.page(url)
    share = page.select_one("section.kn-share")
    assert share.select_one("h2").get_text(strip=True) == "Teilen"
    canonical = page.head.find("link", rel="canonical")["href"]
    links = share.select("a.kn-share__link")
    assert [a.get_text(strip=True) for a in links] == ["LinkedIn", "XING", "E-Mail", "WhatsApp"]
    for link in links:
        assert link["rel"] == ["noopener"]
        assert link.select_one(".kn-share__icon svg") is not None
        assert link["aria-label"].endswith("teilen")
    expected = share_links(canonical, front_matter(url)["title"])
    assert [a["href"] for a in links] == [link.href for link in expected]
    button = share.select_one("button[data-kn-copy]")
    assert button["data-kn-copy"] == canonical and button.get_text(strip=True) == "Link kopieren"
    assert button.find_parent("li").has_attr("hidden")  # shown by kn.js
    # Nothing from the services is embedded: no script, image or frame.
    assert not share.select("script, img, iframe")


def test_pages_other_than_articles_have_no_share_links(site):
    for url in ["", "kooperation-netzwerke/", "checklisten/partner-pruefen/", "tags/"]:
        assert site.page(url).select_one(".kn-share") is None, url


# -----------------------------------------------------------------------------
# Social preview images
# -----------------------------------------------------------------------------


def longest_title() -> str:
    titles = [front_matter(url)["title"] for url in ARTICLE_URLS]
    return max(titles, key=len)


@pytest.mark.parametrize("title", [
    "longest",
    "Kooperationspartner prüfen",
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsbetriebsvereinbarung – ein Wort",
    "Vorsicht, Kooperation! Wenn der Vorschlag beim Buffet kommt und Sie eigentlich nur Häppchen wollten",
])
def test_title_layout_stays_inside_the_image_and_keeps_every_word(title):
    title = longest_title() if title == "longest" else title
    layout = layout_title(title, BOLD)
    assert layout.complete
    for left, top, right, bottom in layout.boxes:
        assert left >= MARGIN - 5 and right <= WIDTH - MARGIN + 5, layout
        assert top >= TITLE_TOP and bottom <= FOOTER_TOP - 10, layout
    # Only whole words or words split with a hyphen at a line end: joined again, the title.
    joined = ""
    for line in layout.lines:
        if joined.endswith("-") and not joined.endswith(" -"):
            joined = joined[:-1] + line if line[:1].islower() else joined + line
        else:
            joined = f"{joined} {line}" if joined else line
    assert joined.split() == title.split()


def test_too_long_title_ends_after_a_whole_word():
    title = " ".join(["Kooperationsvereinbarungen", "und", "Netzwerktreffen"] * 20)
    layout = layout_title(title, BOLD)
    assert not layout.complete
    assert layout.lines[-1].endswith(" …")
    kept = " ".join(layout.lines)[:-2].split()
    assert kept == title.split()[: len(kept)]
    assert all(bottom <= FOOTER_TOP - 10 for _l, _t, _r, bottom in layout.boxes)


def test_long_compound_is_hyphenated_at_a_german_hyphenation_point():
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsbetriebsvereinbarung"
    layout = layout_title(word, BOLD)
    assert len(layout.lines) > 1 and "".join(line.removesuffix("-") for line in layout.lines) == word
    points = set(preview_image.hyphenator().positions(word))
    done = 0
    for line in layout.lines[:-1]:
        assert line.endswith("-")
        done += len(line) - 1
        assert done in points, line


def test_preview_image_colours_come_from_the_stylesheet():
    colours = css_colours((ROOT / "docs" / "assets" / "kn.css").read_text(encoding="utf-8"))
    assert colours.background == "#0b5563" and colours.band == "#073c46"


def image_of(site, url: str) -> tuple[str, Image.Image, int]:
    head = site.page(url).head
    content = head.find("meta", attrs={"property": "og:image"})["content"]
    assert content.startswith(SITE_URL), content
    path = site.root / content[len(SITE_URL):]
    data = path.read_bytes()
    return content, Image.open(io.BytesIO(data)), len(data)


@pytest.mark.parametrize("url", [*ARTICLE_URLS, *(f"checklisten/{name}/" for name in CHECKLISTS)])
def test_every_article_and_checklist_has_its_own_preview_image(site, url):
    content, image, size = image_of(site, url)
    assert image.format == "PNG" and image.size == (1200, 630)
    assert size <= MAX_BYTES
    head = site.page(url).head

    def meta(prop: str) -> str:
        return head.find("meta", attrs={"property": prop})["content"]

    assert (meta("og:image:width"), meta("og:image:height")) == ("1200", "630")
    title = site.page(url).h1.get_text(strip=True) if url.startswith("checklisten") else front_matter(url)["title"]
    assert meta("og:image:alt").startswith(title)
    assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"


def test_preview_images_differ_per_page(site):
    urls = [*ARTICLE_URLS, *(f"checklisten/{name}/" for name in CHECKLISTS)]
    assert len({image_of(site, url)[0] for url in urls}) == len(urls)


def test_pages_without_preview_image_keep_the_small_card(site):
    for url in ["", "tags/", "kooperation-netzwerke/"]:
        head = site.page(url).head
        assert head.find("meta", attrs={"property": "og:image"}) is None
        assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"


def test_unchanged_images_come_from_the_cache(fresh_site):
    project, first, built = fresh_site
    assert first.returncode == 0, first.stderr
    # A fresh build draws every image: at least one per page that shows one.
    drawn = re.search(r"Vorschaubilder: (\d+) neu gezeichnet, 0 aus dem Zwischenspeicher", first.stdout + first.stderr)
    assert drawn, first.stderr
    pages = int(drawn[1])
    assert pages >= sum(1 for path in built.html_pages() if 'property="og:image"' in path.read_text(encoding="utf-8"))
    again = build(project.root, project.root / "site-again")
    assert "neu gezeichnet" not in again.stdout + again.stderr
    project.replace("docs/kooperation-netzwerke/empfehlungen.md",
                    "title: Empfehlungen geben und bekommen", "title: Empfehlungen geben")
    changed = build(project.root, project.root / "site-changed")
    assert f"Vorschaubilder: 1 neu gezeichnet, {pages - 1} aus dem Zwischenspeicher" in changed.stdout + changed.stderr
    # The old image of the changed title is removed from the cache.
    assert len(list((project.root / ".cache" / "social-images").glob("*.png"))) == pages


# -----------------------------------------------------------------------------
# Structured data (JSON-LD)
# -----------------------------------------------------------------------------


def test_script_json_cannot_end_the_script_element():
    data = {"headline": TRICKY_TITLE, "x": "a\u2028b"}
    text = script_json(data)
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text) == data


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_article_has_blog_posting_and_breadcrumbs(site, url):
    page = site.page(url)
    meta = front_matter(url)
    posting, trail = json_ld(page)
    canonical = SITE_URL + url
    assert posting["@context"] == "https://schema.org" and posting["@type"] == "BlogPosting"
    assert posting["headline"] == meta["title"]
    assert posting["description"] == meta["description"]
    assert posting["datePublished"] == str(meta["date"])
    assert "dateModified" not in posting
    assert posting["mainEntityOfPage"]["@id"] == posting["url"] == canonical
    assert posting["keywords"] == ", ".join(meta["tags"])
    assert posting["image"]["url"] == page.head.find("meta", attrs={"property": "og:image"})["content"]
    assert posting["publisher"]["@type"] == "Organization"
    assert posting["publisher"]["logo"]["url"] == SITE_URL + "assets/vorschau/logo.png"
    assert (site.root / "assets" / "vorschau" / "logo.png").is_file()
    authors = yaml.safe_load((DEMO / "data" / "authors.yml").read_text(encoding="utf-8"))
    expected = [authors[a]["name"] for a in meta["authors"]]
    assert [a["name"] for a in posting["author"]] == expected
    for author in posting["author"]:
        assert author["@type"] == ("Organization" if author["name"] == "Redaktion Kooperation & Netzwerke" else "Person")
    series = url.split("/")[0]  # the article's own series, whichever it is
    series_title = front_matter(f"{series}/index")["title"]
    assert posting["isPartOf"] == {"@type": "CreativeWorkSeries", "name": series_title, "url": SITE_URL + series + "/"}
    assert trail["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in trail["itemListElement"]] == [
        (1, "Startseite", SITE_URL), (2, series_title, SITE_URL + series + "/"),
        (3, meta["title"], canonical),
    ]


def test_start_page_has_website(site):
    (data,) = json_ld(site.page(""))
    assert data["@type"] == "WebSite" and data["url"] == SITE_URL and data["name"] == "Kooperation & Netzwerke"


def test_other_pages_have_no_structured_data(site):
    for url in ["tags/", "kooperation-netzwerke/", "checklisten/partner-pruefen/"]:
        assert json_ld(site.page(url)) == [], url


def test_title_with_script_end_tag_and_quotes_stays_valid_json(fresh_site):
    _project, result, built = fresh_site
    assert result.returncode == 0, result.stderr
    raw = built.path("kooperation-netzwerke/heikel/").read_text(encoding="utf-8")
    scripts = built.page("kooperation-netzwerke/heikel/").find_all("script", type="application/ld+json")
    assert len(scripts) == 2
    shown = typeset(TRICKY_TITLE)  # the title as the page shows it, with German typography
    assert json.loads(scripts[0].string)["headline"] == shown
    assert json.loads(scripts[1].string)["itemListElement"][2]["name"] == shown
    assert raw.count('<script type="application/ld+json">') == 2
    for script in scripts:
        assert "</script" not in script.string and "<!--" not in script.string


def test_updated_date_becomes_date_modified():
    from kn.registry import Series
    from kn.render.structured_data import blog_posting

    art = dataclasses.replace(make("a", 0, ["Vertrauen"]), updated=datetime.date(2026, 3, 1))
    data = blog_posting(art, url="u", series=Series("s", "S", "s/index.md", "s/"), series_url="su",
                        authors=[], publisher={"name": "P"}, home="h", image=None)
    assert data["dateModified"] == "2026-03-01"


# -----------------------------------------------------------------------------
# In the browser: no request to anyone, „Link kopieren“, print
# -----------------------------------------------------------------------------

SHARE_URL = "kooperation-netzwerke/kooperation-beenden/"


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default


@pytest.fixture(scope="module")
def share_page(browser, site_url):
    """One page of SHARE_URL, loaded once for the tests below; each sets the
    media and viewport it measures with. Every request it ever makes is
    recorded in `page.requests`."""
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # networkidle: every request the page makes by itself is made (and recorded) before a test checks them.
    page.goto(site_url + SHARE_URL, wait_until="networkidle")
    page.requests = requests
    yield page
    context.close()


def screen(page, viewport: dict = DEFAULT_VIEWPORT) -> None:
    page.emulate_media(media="screen")
    page.set_viewport_size(viewport)


def test_share_block_makes_no_request_and_copies_the_link(share_page, site_url):
    page = share_page
    screen(page)
    button = page.get_by_role("button", name="Link kopieren")
    button.scroll_into_view_if_needed()
    button.click()
    status = page.locator("[data-kn-copy-status]")
    status.wait_for(state="visible")
    assert status.inner_text() == "Link kopiert."
    assert page.evaluate("navigator.clipboard.readText()") == SITE_URL + SHARE_URL
    page.wait_for_timeout(200)  # a request the click might start has no event of its own to wait for
    assert page.requests and all(url.startswith(site_url) for url in page.requests), page.requests


def test_share_block_without_javascript_shows_the_address(tabs, site_url):
    page = tabs.page(java_script_enabled=False)
    page.goto(site_url + SHARE_URL)
    assert not page.get_by_role("button", name="Link kopieren").is_visible()
    address = page.locator(".kn-share__address a")
    assert address.is_visible() and address.get_attribute("href") == SITE_URL + SHARE_URL


def test_share_and_related_are_not_printed(share_page, tabs, site_url):
    page = share_page
    screen(page)
    page.emulate_media(media="print")
    for selector in (".kn-share", ".kn-related"):
        assert not page.locator(selector).is_visible(), selector
    screen(page)
    checklist = tabs.page()
    checklist.goto(site_url + "checklisten/partner-pruefen/")
    checklist.emulate_media(media="print")
    assert not checklist.locator(".kn-used-by").is_visible()


def test_share_links_are_large_enough_to_tap(share_page):
    page = share_page
    screen(page, {"width": 390, "height": 800})
    try:
        for box in page.locator(".kn-share__link").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])"):
            assert box[0] >= 24 and box[1] >= 24, box
    finally:
        screen(page)


def test_preview_helper_draws_a_png_of_the_right_size():
    data = preview_image.draw_preview(Preview("Seite", "Titel", "Serie", "Teil 1 von 1"), bold=BOLD, regular=REGULAR)
    image = Image.open(io.BytesIO(data))
    assert image.size == (WIDTH, HEIGHT) and len(data) <= MAX_BYTES


def test_every_tag_combination_is_indexed_once():
    weights = {"a": 3, "b": 2, "c": 1}
    from kn.derive.related import tag_combinations

    combos = tag_combinations(["a", "b", "c"], weights)
    assert len(combos) == len(set(combos)) == 7
    assert set(combos) == {frozenset(c) for n in (1, 2, 3) for c in combinations("abc", n)}


def test_author_is_person_unless_marked_as_team():
    from kn.registry import Author
    from kn.render.structured_data import author_node

    publisher = {"name": "Kooperation & Netzwerke"}
    assert author_node(Author("r", "Redaktion X", "", None, True), publisher, "https://x.example/")["@type"] == "Organization"
    # A name alone decides nothing: „Redaktion“ in a person's name is no team.
    assert author_node(Author("p", "Redaktionsleiterin Eva", "", None), publisher, "https://x.example/") == {
        "@type": "Person", "name": "Redaktionsleiterin Eva"}
