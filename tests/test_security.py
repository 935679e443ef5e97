"""Hardening of the built site: the Content Security Policy on every page (and
in the real browser), plain-text fields escaped exactly once everywhere they
appear (HTML, feeds, search index, browser), and the comment sanitizer."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import CSP_RECORDER, Project, article, serve, settled_violations
from kn.publish.search import index_pages

SERIES = "kooperation-netzwerke"
ENTITY_RE = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
PRINT_STUB = """
if (typeof window !== "undefined") {
  window.print = function () { window.__printed = (window.__printed || 0) + 1; };
}
"""


def csp_of(soup) -> str:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    return meta["content"]


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# -----------------------------------------------------------------------------
# The policy as built
# -----------------------------------------------------------------------------


def test_every_page_has_the_policy_first_in_head(site):
    for path in site.html_pages():
        soup = site.page(path.relative_to(site.root).as_posix())
        head = [el for el in soup.head.children if getattr(el, "name", None)]
        assert head[0].get("charset") == "utf-8", path
        assert head[1].get("http-equiv") == "Content-Security-Policy", path
        policy = directives(csp_of(soup))
        assert policy["default-src"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
        assert policy["frame-src"] == ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
        # The comment provider of this site is Isso; giscus is allowed nowhere.
        assert "giscus" not in csp_of(soup)
        assert policy["connect-src"][0] == "'self'"
        assert "'unsafe-inline'" not in " ".join(policy["script-src"] + policy["style-src"])


def test_every_inline_script_of_the_theme_has_its_hash(site):
    for path in site.html_pages():
        soup = site.page(path.relative_to(site.root).as_posix())
        sources = directives(csp_of(soup))["script-src"]
        for script in soup.find_all("script"):
            if script.get("src") or script.get("type") in ("application/json", "application/ld+json"):
                continue  # data blocks (config, JSON-LD) are never run
            digest = base64.b64encode(hashlib.sha256(script.string.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in sources, path


def test_policy_gives_no_hash_to_scripts_in_the_content():
    from kn.csp import add_policy, inline_script_hashes

    content = "<p>x</p><script>alert(1)</script>"
    theme = ('var target=document.getElementById(location.hash.slice(1));'
             'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))')
    page = f'<html><head><meta charset="utf-8"><script>{theme}</script></head><body>{content}</body></html>'
    out = add_policy(page, content)
    assert out.index("Content-Security-Policy") < out.index("<script>")
    assert len(inline_script_hashes(page)) == 2
    policy = re.search(r'content="([^"]*)"', out).group(1)
    assert policy.count("'sha256-") == 1
    assert inline_script_hashes('<script type="application/json">{}</script><script src="a.js"></script>') == []
    preview = add_policy(page, content, nonce="abc")
    assert "'unsafe-inline'" not in preview and "'nonce-abc'" in preview and policy.count("'sha256-") == 1


# -----------------------------------------------------------------------------
# Titles, descriptions: escaped exactly once in the real site
# -----------------------------------------------------------------------------


def test_no_double_escapes_in_title_description_and_social_meta(site):
    for path in site.html_pages():
        soup = site.page(path.relative_to(site.root).as_posix())
        values = [soup.title.get_text()] if soup.title else []
        for meta in soup.find_all("meta"):
            if meta.get("name") == "description" or str(meta.get("property", "")).startswith(("og:", "article:")):
                values.append(meta["content"])
        for value in values:
            assert not ENTITY_RE.search(value), (path, value)


def test_tag_page_with_ampersand_is_escaped_once(site):
    page = site.page("tags/groesse-und-wachstum/")
    assert page.find("meta", property="og:title")["content"] == "Größe & Wachstum"
    assert page.title.get_text().startswith("Größe & Wachstum – ")
    assert page.select_one("article h1").get_text(strip=True) == "Größe & Wachstum"
    raw = site.path("tags/groesse-und-wachstum/").read_text(encoding="utf-8")
    assert "&amp;amp;" not in raw


# -----------------------------------------------------------------------------
# The policy in the browser
# -----------------------------------------------------------------------------


def watch(page):
    """Record violations, requests and dialogs of a browser page."""
    seen = {"requests": [], "dialogs": []}
    page.add_init_script(CSP_RECORDER)
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    return seen


def search(page, query: str) -> None:
    """Type into the header's search field as a reader does (Pagefind, in Material's markup)."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def test_browser_no_violation_on_any_page(site, site_url, browser_page):
    page = browser_page
    seen = watch(page)
    for path in site.html_pages():
        url = site_url + path.relative_to(site.root).as_posix().removesuffix("index.html")
        page.goto(url, wait_until="load")
        assert violations(page) == [], url
    assert [r for r in seen["requests"] if not r.startswith(site_url)] == []


def test_browser_no_violation_in_normal_use(site_url, browser_page):
    page = browser_page
    page.add_init_script(PRINT_STUB)
    seen = watch(page)
    page.goto(site_url + f"{SERIES}/passende-partner-finden/")  # loaded: its scripts have run
    # Search
    search(page, "Partner")
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("Escape")
    # Palette toggle
    page.locator("form[data-md-component=palette] label:visible").click()
    # Checklist: tick, print in a frame, reset
    checklist = page.locator(".kn-checklist").first
    checklist.locator(".task-list-item label").first.click()
    checklist.locator("[data-kn-print]").click()
    page.wait_for_function(
        "() => document.querySelector('.kn-print-frame') && document.querySelector('.kn-print-frame').contentWindow.__printed"
    )
    checklist.locator("[data-kn-reset]").click()
    assert settled_violations(page) == []
    frame = page.frame_locator(".kn-print-frame")
    assert frame.locator("body").evaluate("() => window.__csp") == []
    assert seen["dialogs"] == []
    assert [r for r in seen["requests"] if not r.startswith(site_url)] == []


GISCUS_STUB = """
var link = document.createElement("link");
link.rel = "stylesheet"; link.href = "https://giscus.app/default.css";
document.head.prepend(link);
var frame = document.createElement("iframe");
frame.className = "giscus-frame"; frame.src = "https://giscus.app/widget";
document.querySelector(".giscus").appendChild(frame);
"""


INJECTED = """\

<img src="https://evil.example/pixel.png" alt="fremd">

<img src="data:," alt="kaputt" onerror="window.__knPwned = 'onerror'">

<button type="button" id="knprobe" onclick="window.__knPwned = 'onclick'">Klick</button>

<script>window.__knPwned = "script";</script>
"""


@pytest.fixture(scope="module")
def giscus_site(tmp_path_factory):
    """ONE build for two browser tests: the test site with the giscus provider
    (test_browser_no_violation_with_comments_after_consent) and, beside its
    articles, a closed article whose built page gets INJECTED afterwards
    (test_browser_blocks_injected_handlers_and_foreign_images; a closed
    article's policy names no comment provider, Isso or giscus alike). Served."""
    project = Project(tmp_path_factory.mktemp("giscus") / "project")
    project.replace("mkdocs.yml", "provider: isso", "provider: giscus")
    project.write(f"docs/{SERIES}/injiziert.md", article("Injiziert").replace("Ein Absatz mit Text.", "Hier-wird-injiziert."))
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve(built.root)
    yield built, url
    server.shutdown()


def test_browser_no_violation_with_comments_after_consent(giscus_site, browser_page):
    # A site with the giscus provider (Isso's client: tests/test_comments_isso.py, with a real server).
    site, site_url = giscus_site
    page = browser_page
    open_article = next(
        path for path in site.html_pages() if site.page(path.relative_to(site.root).as_posix()).select_one("[data-kn-giscus]")
    )
    watch(page)
    page.route("https://giscus.app/client.js", lambda r: r.fulfill(status=200, content_type="text/javascript", body=GISCUS_STUB))
    page.route("https://giscus.app/default.css", lambda r: r.fulfill(status=200, content_type="text/css", body=".giscus{}"))
    page.route("https://giscus.app/widget", lambda r: r.fulfill(status=200, content_type="text/html", body="<p>giscus</p>"))
    page.goto(site_url + open_article.relative_to(site.root).as_posix().removesuffix("index.html"))
    with page.expect_request("https://giscus.app/widget"):
        page.get_by_role("button", name="Kommentare laden").click()
    page.wait_for_function("() => Array.from(document.styleSheets).some(s => s.href === 'https://giscus.app/default.css')")
    assert violations(page) == []


def test_browser_blocks_injected_handlers_and_foreign_images(giscus_site, tabs):
    # The build refuses foreign images (hooks/kn/markdown/embeds.py): the payload stands for
    # content that slipped through anyway, put into the built page afterwards.
    built, url = giscus_site
    target = built.path(f"{SERIES}/injiziert/")
    html = target.read_text(encoding="utf-8")
    assert "giscus" not in csp_of(built.page(f"{SERIES}/injiziert/"))  # the policy of any closed article
    target.write_text(html.replace("Hier-wird-injiziert.", INJECTED), encoding="utf-8")
    try:
        page = tabs.page()
        watch(page)
        # Chromium reports a request blocked by CSP, then fails it: what counts
        # is that none reaches the network (here: the route that would answer).
        reached: list[str] = []
        page.route("https://evil.example/**", lambda route: (reached.append(route.request.url), route.abort()))
        blocked: list[str] = []
        page.on("requestfailed", lambda request: blocked.append(request.failure))
        with page.expect_event("requestfailed", lambda request: request.url == "https://evil.example/pixel.png"):
            page.goto(url + f"{SERIES}/injiziert/")
        page.locator("#knprobe").click()
        found = " | ".join(settled_violations(page))  # every violation so far, the click's too
        assert page.evaluate("window.__knPwned") is None
        assert "img-src https://evil.example/pixel.png" in found
        assert "script-src-attr" in found and "script-src-elem inline" in found
        assert reached == []
        assert blocked and all("csp" in failure.lower() for failure in blocked), blocked
    finally:
        target.write_text(html, encoding="utf-8")


# -----------------------------------------------------------------------------
# Every plain-text field with a markup payload
# -----------------------------------------------------------------------------


def payload(field: str) -> str:
    return f"Q&A: <Tipps> für „Profis“ {field} <img src=https://evil.example/{field}.png onerror=alert(1)>"


TITLE, DESCRIPTION, SERIES_TITLE = payload("titel"), payload("beschreibung"), payload("serie")
CHECKLIST, TAG_DESCRIPTION = payload("checkliste"), payload("themabeschreibung")
AUTHOR, BIO, COMMENT_AUTHOR = payload("autor"), payload("bio"), payload("leser")
TAG = "Q&A <img src=//evil.example/t onerror=alert(1)>"  # a tag name has at most 60 characters
TAG_SLUG = "q-und-a-img-src-evil-example-t-onerror-alert-1"
SITE_NAME = "Kooperation & Netzwerke"


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("nutzlast") / "project")
    project.replace(f"docs/{SERIES}/index.md", "title: Kooperation & Netzwerke", f'title: "{SERIES_TITLE}"')
    project.write("data/tags.yml", project.read("data/tags.yml") + f'"{TAG}": "{TAG_DESCRIPTION}"\n')
    project.write("data/authors.yml", project.read("data/authors.yml") + f'nutzlast:\n  name: "{AUTHOR}"\n  bio: "{BIO}"\n')
    project.write("docs/checklisten/nutzlast.md", f'!!! checkliste "{CHECKLIST}"\n\n    - [ ] Ein Punkt.\n')
    text = article(f'"{TITLE}"', description=f'"{DESCRIPTION}"', tags=f'["{TAG}"]', authors="[nutzlast]")
    project.write(f"docs/{SERIES}/nutzlast.md", text + '\n--8<-- "checklisten/nutzlast.md"\n')
    project.write(f"data/comments/{SERIES}/nutzlast.yml", f'- author: "{COMMENT_AUTHOR}"\n  date: 2026-11-21\n  text: Danke.\n')
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


def text_of(soup, selector: str, attribute: str | None = None) -> list[str]:
    found = soup.select(selector)
    return [el[attribute] if attribute else el.get_text(" ", strip=True) for el in found]


ARTICLE = f"{SERIES}/nutzlast/"
PLACES = [
    # (url, CSS selector, attribute or None, expected exact value)
    (ARTICLE, "article h1", None, TITLE),
    (ARTICLE, "title", None, f"{TITLE} – {SITE_NAME}"),
    (ARTICLE, "meta[property='og:title']", "content", TITLE),
    (ARTICLE, "meta[name=description]", "content", DESCRIPTION),
    (ARTICLE, "meta[property='og:description']", "content", DESCRIPTION),
    (ARTICLE, "p.kn-lead", None, DESCRIPTION),
    (ARTICLE, "nav.md-tags a", None, TAG),
    (ARTICLE, "meta[property='article:tag']", "content", TAG),
    (ARTICLE, ".kn-author__name", None, AUTHOR),
    (ARTICLE, "meta[property='article:author']", "content", AUTHOR),
    (ARTICLE, ".kn-authors__item strong", None, AUTHOR),
    (ARTICLE, ".kn-authors__item p", None, f"{AUTHOR} {BIO}"),
    (ARTICLE, ".kn-checklist .admonition-title", None, CHECKLIST),
    (ARTICLE, ".kn-comment__author", None, COMMENT_AUTHOR),
    (ARTICLE, ".kn-series-nav__position a", None, f"„{SERIES_TITLE}“"),
    (ARTICLE, ".md-header__topic:last-child .md-ellipsis", None, TITLE),
    (ARTICLE, ".md-nav__link[href='../']", None, SERIES_TITLE),
    ("", ".kn-list__title[href='kooperation-netzwerke/nutzlast/']", None, TITLE),
    ("", ".kn-list__title[href='kooperation-netzwerke/']", None, SERIES_TITLE),
    ("", ".kn-list__title[href='checklisten/nutzlast/']", None, CHECKLIST),
    (f"{SERIES}/", "article h1", None, SERIES_TITLE),
    (f"{SERIES}/", "title", None, f"{SERIES_TITLE} – {SITE_NAME}"),
    (f"{SERIES}/", "meta[property='og:title']", "content", SERIES_TITLE),
    (f"tags/{TAG_SLUG}/", "article h1", None, TAG),
    (f"tags/{TAG_SLUG}/", "title", None, f"{TAG} – {SITE_NAME}"),
    (f"tags/{TAG_SLUG}/", "meta[property='og:title']", "content", TAG),
    (f"tags/{TAG_SLUG}/", "meta[name=description]", "content", TAG_DESCRIPTION),
    (f"tags/{TAG_SLUG}/", "p.kn-lead", None, TAG_DESCRIPTION),
    ("tags/", f".kn-list__title[href='{TAG_SLUG}/']", None, TAG),
    ("tags/", f".kn-list__item:has(a[href='{TAG_SLUG}/']) .kn-list__description", None, TAG_DESCRIPTION),
    (f"{SERIES}/", ".kn-list__item:has(a[href='nutzlast/']) .kn-list__description", None, DESCRIPTION),
    ("checklisten/nutzlast/", "article h1", None, CHECKLIST),
    ("checklisten/nutzlast/", "title", None, f"{CHECKLIST} – {SITE_NAME}"),
    (ARTICLE, ".kn-checklist .admonition-title", None, CHECKLIST),  # its own page shows it once, as h1
    ("checklisten/", ".kn-list__title[href='nutzlast/']", None, CHECKLIST),
]


@pytest.mark.parametrize(("url", "selector", "attribute", "expected"), PLACES)
def test_plain_text_field_shows_as_written(payload_site, url, selector, attribute, expected):
    values = text_of(payload_site.page(url), selector, attribute)
    assert values and all(value == expected for value in values), values


def test_plain_text_payload_is_never_markup(payload_site):
    for path in payload_site.html_pages():
        raw = path.read_text(encoding="utf-8")
        soup = payload_site.page(path.relative_to(payload_site.root).as_posix())
        assert not soup.select("[onerror]"), path
        assert not [img for img in soup.find_all("img") if "evil.example" in img.get("src", "")], path
        assert "&amp;lt;" not in raw and "&amp;amp;" not in raw, path


def test_plain_text_fields_in_the_feeds(payload_site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(payload_site.path("feed.xml")).getroot()
    entry = next(e for e in feed.iter(f"{atom}entry") if e.findtext(f"{atom}title") == TITLE)
    assert entry.findtext(f"{atom}summary") == DESCRIPTION
    assert entry.findtext(f"{atom}author/{atom}name") == AUTHOR
    assert entry.find(f"{atom}category").get("term") == TAG
    tag_feed = ET.parse(payload_site.path(f"tags/{TAG_SLUG}/feed.xml")).getroot()
    assert tag_feed.findtext(f"{atom}title") == f"{SITE_NAME} – Thema „{TAG}“"


def test_plain_text_fields_in_the_search_index(payload_site):
    # Pagefind's index (hooks/kn/publish/search.py) holds text, not HTML: every field
    # exactly as written (the payload's tags as characters, never as an
    # element and never escaped); kn-search.js shows it as text.
    pages = {page["url"].strip("/") + "/": page for page in index_pages(payload_site.root / "pagefind")}
    for location, expected in ((ARTICLE, TITLE), (f"{SERIES}/", SERIES_TITLE), (f"tags/{TAG_SLUG}/", TAG),
                               ("checklisten/nutzlast/", CHECKLIST)):
        assert pages[location]["meta"]["title"] == expected, location
    assert pages[ARTICLE]["meta"]["reihe"] == SERIES_TITLE
    assert pages[ARTICLE]["filters"]["thema"] == [TAG]
    for text in (TITLE, DESCRIPTION, CHECKLIST):
        assert text in pages[ARTICLE]["content"], text
    assert TAG_DESCRIPTION in pages[f"tags/{TAG_SLUG}/"]["content"]
    for location, page in pages.items():
        assert not ENTITY_RE.search(json.dumps(page, ensure_ascii=False)), location


def test_browser_plain_text_payload_runs_nothing_and_requests_nothing(payload_site, browser_page):
    page = browser_page
    seen = watch(page)
    server, payload_url = serve(payload_site.root)
    try:
        for url in (ARTICLE, "", f"{SERIES}/", f"tags/{TAG_SLUG}/", "tags/", "checklisten/nutzlast/"):
            page.goto(payload_url + url)  # loaded: its scripts (and any payload) have run
        search(page, "Tipps")
        page.locator(".md-search-result__item").first.wait_for()
        results = page.locator(".md-search-result").inner_text()
    finally:
        server.shutdown()
    assert "Q&A: <Tipps> für „Profis“ titel" in results
    assert page.locator("img[src*='evil.example'], [onerror]").count() == 0
    assert seen["dialogs"] == []
    assert [r for r in seen["requests"] if not r.startswith(payload_url)] == []
    assert settled_violations(page) == []


# -----------------------------------------------------------------------------
# Comment HTML: the second lock
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("dirty", "clean"), [
    ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow ugc noopener">x</a>'),
    ('<a href="https://example.org/" title="t" rel="me">x</a>', '<a href="https://example.org/" rel="nofollow ugc noopener">x</a>'),
    ('<a href="../artikel/">x</a>', '<a href="../artikel/" rel="nofollow ugc noopener">x</a>'),
    ('<a href="mailto:eva@example.org">x</a>', '<a rel="nofollow ugc noopener">x</a>'),
    ("<img src=x onerror=alert(1)>", ""),
    ("<script>alert(1)</script><style>p{}</style>", ""),
    ('<p style="color:red" class="x" onclick="y">Text</p>', "<p>Text</p>"),
    ("<iframe src=https://evil.example/></iframe><p>a</p>", "<p>a</p>"),
    ("<blockquote><p><em>a</em> <strong>b</strong> <code>c</code></p></blockquote>",
     "<blockquote><p><em>a</em> <strong>b</strong> <code>c</code></p></blockquote>"),
])
def test_sanitize_html_keeps_only_the_allow_list(dirty, clean):
    from kn.read.comments import sanitize_html

    assert sanitize_html(dirty) == clean
