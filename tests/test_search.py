"""Search (hooks/kn/publish/search.py, docs/assets/kn-search.js): the Pagefind index of a
small site this module writes itself, and the header's search field in Chromium."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import Project, article
from kn import registry
from kn.publish.search import EXCLUDE, SearchEntry, entry_for, for_index, index_pages

SERIES = "suchtest"
SERIES_TITLE = "Suchen & Finden"
# name -> (title, text): each article holds one word form the queries look for.
ARTICLES = {
    "einzahl-kooperation": ("Der erste Handschlag", "Eine Kooperation beginnt mit einem ehrlichen Gespräch über Ziele."),
    "mehrzahl-kooperationen": ("Gemeinsam mehr erreichen", "Viele Kooperationen scheitern an unklaren Zuständigkeiten."),
    "einzahl-netzwerk": ("Kontakte am Stammtisch", "Ein regionales Netzwerk lebt von regelmäßigen Treffen."),
    "mehrzahl-netzwerke": ("Wer kennt wen", "Digitale Netzwerke ersetzen das persönliche Treffen nicht."),
    "pruefen": ("Angebote in Ruhe ansehen", "Bevor Sie unterschreiben, sollten Sie jedes Angebot gründlich prüfen."),
    "groesse": ("Wachsen ohne Eile", "Die Größe eines Betriebs sagt wenig über seine Zuverlässigkeit."),
    "vertraege": ("Schriftlich festhalten", "Verträge schützen beide Seiten, wenn es später Streit gibt."),
    "vertrag": ("Die Unterschrift", "Ein mündlicher Vertrag gilt auch, ist aber schwer zu beweisen."),
}
# Query as a reader types it -> articles that must be among the results.
QUERIES = {
    "Kooperation": {"einzahl-kooperation", "mehrzahl-kooperationen"},
    "Kooperationen": {"einzahl-kooperation", "mehrzahl-kooperationen"},
    "Netzwerk": {"einzahl-netzwerk", "mehrzahl-netzwerke"},
    "Netzwerke": {"einzahl-netzwerk", "mehrzahl-netzwerke"},
    "prüfen": {"pruefen"},
    "pruefen": {"pruefen"},
    "Größe": {"groesse"},
    "Groesse": {"groesse"},
    "Verträge": {"vertraege", "vertrag"},
    "Vertrag": {"vertraege", "vertrag"},
    "Vertraege": {"vertraege", "vertrag"},
    # Inflected and without umlaut, a word's beginning, a title word in the plural.
    "Zustaendigkeit": {"mehrzahl-kooperationen"},
    "Zuverlässig": {"groesse"},
    "Stammtische": {"einzahl-netzwerk"},
}
NO_HIT = "Quastenflosser"
SECRET_AUTHOR = "Zyprian Kommentarschreiber"  # only in the comment archive
DRAFT_WORD = "Entwurfsgeheimnis"


def write_site(project: Project) -> None:
    """Replace the site's series by our own: articles, a draft, a comment archive."""
    docs = project.root / "docs"
    for index in docs.glob("*/index.md"):
        if index.parent.name not in {"checklisten", "tags"}:
            shutil.rmtree(index.parent)
    shutil.rmtree(project.root / "data" / "comments", ignore_errors=True)
    project.write(f"docs/{SERIES}/index.md", f"---\ntitle: {SERIES_TITLE}\n---\n\nArtikel, an denen die Suche geprüft wird.\n")
    for day, (name, (title, text)) in enumerate(ARTICLES.items(), start=1):
        body = article(title, date=f"2026-10-{day:02d}", tags="[Partnersuche]").replace("Ein Absatz mit Text.", text)
        project.write(f"docs/{SERIES}/{name}.md", body)
    draft = article("Noch nicht fertig", draft="true", date="2026-10-20").replace("Ein Absatz mit Text.", f"Das {DRAFT_WORD}.")
    project.write(f"docs/{SERIES}/entwurf.md", draft)
    project.write(f"data/comments/{SERIES}/vertrag.yml",
                  f"- author: {SECRET_AUTHOR}\n  date: 2026-10-09\n  text: Danke für den Hinweis.\n")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("search") / "project")
    write_site(project)
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


@pytest.fixture(scope="module")
def index(fixture_site):
    return {page["url"]: page for page in index_pages(fixture_site.root / "pagefind")}


def url_of(name: str) -> str:
    return f"/{SERIES}/{name}/"


# -----------------------------------------------------------------------------
# Helpers (no build)
# -----------------------------------------------------------------------------


@pytest.mark.unit
def test_pagefind_reads_checklist_labels_as_text():
    html = '<li><label class="task-list-control"><input type="checkbox"> Prüfen Sie …</label></li>'
    assert for_index(html) == '<li><span class="task-list-control"><input type="checkbox"> Prüfen Sie …</span></li>'


@pytest.mark.unit
def test_entry_names_kind_and_series():
    site = registry.Site()
    series = registry.Series(name="s", title="Reihe A", index_uri="s/index.md", url="s/")
    site.series["s"] = series
    entry = entry_for(site, "s/index.md", "Reihe A")
    assert entry == SearchEntry("Reihe", "Reihe A")
    assert entry_for(site, "index.md", "Start") == SearchEntry("Startseite")
    assert entry_for(site, "impressum.md", "Impressum") == SearchEntry("Seite")


# -----------------------------------------------------------------------------
# The index
# -----------------------------------------------------------------------------


@pytest.mark.build
def test_index_is_german_and_written_by_the_build(fixture_site):
    entry = json.loads((fixture_site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["de"]
    assert fixture_site.page(url_of("vertrag")).html["lang"] == "de"
    assert "Suchindex (Pagefind):" in fixture_site.output
    # Material's search and its index are gone.
    assert not (fixture_site.root / "search").exists()
    assert not (fixture_site.root / "pagefind" / "pagefind-ui.js").exists()


@pytest.mark.build
def test_index_holds_articles_series_checklists_and_pages(index):
    for name, (title, text) in ARTICLES.items():
        page = index[url_of(name)]
        assert page["meta"]["title"] == title
        assert page["meta"]["reihe"] == SERIES_TITLE and page["meta"]["art"] == "Artikel"
        assert text in page["content"]
        assert page["filters"]["reihe"] == [SERIES_TITLE] and page["filters"]["thema"] == ["Partnersuche"]
    assert index[f"/{SERIES}/"]["meta"]["art"] == "Reihe"
    checklist = next(p for url, p in index.items() if url.startswith("/checklisten/") and url != "/checklisten/")
    assert checklist["meta"]["art"] == "Checkliste"
    assert len(checklist["content"].split()) > 20  # its items, not only its title
    assert index["/datenschutz/"]["meta"]["art"] == "Seite"


@pytest.mark.build
def test_index_leaves_out_furniture_comments_and_drafts(fixture_site, index):
    assert "/404.html" not in index and "/impressum/" not in index
    # The Datenschutz page (copied from the project) says „Stand: …“ in its own text.
    text = " ".join(page["content"] for url, page in index.items() if url != "/datenschutz/")
    for never in (SECRET_AUTHOR, DRAFT_WORD, "Teilen", "Link kopieren", "Das könnte Sie auch interessieren",
                  "Min. Lesezeit", "Stand:", "Vorheriger Teil", "Nächster Teil", "¶"):
        assert never not in text, never
    # The series overview holds its own text, not its list of parts.
    overview = index[f"/{SERIES}/"]["content"]
    assert "Artikel, an denen die Suche geprüft wird." in overview
    assert ARTICLES["vertrag"][0] not in overview
    assert not any(DRAFT_WORD in p.read_text(encoding="utf-8") for p in fixture_site.root.rglob("*.html"))
    assert EXCLUDE  # the selectors Pagefind is given


@pytest.mark.build
def test_no_page_links_material_search(fixture_site):
    page = fixture_site.page(url_of("vertrag"))
    assert page.select_one("input.md-search__input[data-kn-search-query]")
    assert page.select_one("[data-md-component=search]") is None
    assert "search_index.json" not in str(page)
    policy = page.select_one("meta[http-equiv=Content-Security-Policy]")["content"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()
    assert "'wasm-unsafe-eval'" in script_src and "'unsafe-eval'" not in script_src


# -----------------------------------------------------------------------------
# In the browser
# -----------------------------------------------------------------------------


def search(page, query: str) -> list[str]:
    """Type into the header's field as a reader does; the result URLs once shown."""
    field = page.locator("input.md-search__input")
    if not page.evaluate("document.getElementById('__search').checked"):
        opener = page.locator("label.md-header__button[for=__search]")
        # Phone: the magnifier in the header opens the field; desktop: the field itself.
        (opener if opener.is_visible() else field).click()
    field.fill("")
    # Key by key, quicker than the script's pause in typing (DEBOUNCE_MS): one search, for the whole query.
    page.keyboard.type(query)
    page.wait_for_function(
        "(q) => document.querySelector('[data-kn-search]').getAttribute('data-kn-search-done') === q", arg=query)
    return page.locator("a.md-search-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.fixture
def seen(browser_page):
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    return requests


@pytest.mark.browser
def test_german_queries_find_every_form(fixture_url, browser_page):
    page = browser_page
    page.goto(fixture_url + f"{SERIES}/")
    for query, names in QUERIES.items():
        found = search(page, query)
        missing = {name for name in names if url_of(name) not in found}
        assert not missing, (query, missing, found)
    assert url_of("groesse") not in search(page, "Netzwerk")


# On a phone Material's search is an overlay of its own: the same script and
# index (the queries above), so a few queries in each direction of every
# German rule, and their results must be on the screen.
PHONE_QUERIES = ("Kooperationen", "Netzwerk", "pruefen", "Größe", "Vertraege", "Zustaendigkeit")


@pytest.mark.browser
def test_search_on_a_phone_finds_the_forms_and_shows_them(fixture_url, tabs):
    page = tabs.page(viewport={"width": 390, "height": 800})
    page.goto(fixture_url + f"{SERIES}/")
    for query in PHONE_QUERIES:
        found = search(page, query)
        missing = {name for name in QUERIES[query] if url_of(name) not in found}
        assert not missing, (query, missing, found)
        first = page.locator("a.md-search-result__link").first
        assert first.is_visible() and first.bounding_box()["width"] <= 390, query


@pytest.mark.browser
def test_result_shows_title_series_and_marked_excerpt(fixture_url, browser_page):
    page = browser_page
    page.goto(fixture_url + f"{SERIES}/")
    search(page, "Vertraege")
    item = page.locator(f"a.md-search-result__link[href='{url_of('vertraege')}']")
    assert item.locator(".kn-search-result__title").inner_text() == "Schriftlich festhalten"
    assert item.locator(".kn-search-result__context").inner_text() == f"Reihe „{SERIES_TITLE}“"
    assert item.locator(".kn-search-result__excerpt mark").first.inner_text().startswith("Verträge")
    assert page.locator(".md-search-result__meta").inner_text().endswith("Treffer")


@pytest.mark.browser
def test_page_view_without_typing_fetches_no_search_data(fixture_url, browser_page, seen):
    page = browser_page
    # Every request of the page view, also one a script would make once the page is idle, before looking.
    page.goto(fixture_url + f"{SERIES}/vertrag/", wait_until="networkidle")
    page.mouse.wheel(0, 600)
    page.locator("article p").first.click()
    page.keyboard.press("End")
    page.wait_for_timeout(300)
    assert [url for url in seen if "/pagefind/" in url] == []
    # Going into the field starts loading Pagefind; typing fetches the index parts.
    page.locator("input.md-search__input").focus()
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/pagefind/pagefind.js'))")
    assert not [url for url in seen if url.endswith((".pf_index", ".pf_fragment"))]
    search(page, "Vertrag")
    assert [url for url in seen if url.endswith(".pf_index")] and [url for url in seen if url.endswith(".pf_fragment")]
    assert all(url.startswith(fixture_url) for url in seen)


@pytest.mark.browser
def test_no_hits_says_so_in_german_with_a_hint(fixture_url, browser_page):
    page = browser_page
    page.goto(fixture_url + f"{SERIES}/")
    assert search(page, NO_HIT) == []
    text = page.locator(".md-search-result__meta").inner_text()
    assert text.startswith(f"Keine Treffer für „{NO_HIT}“.")
    assert "Schreibweise" in page.locator(".kn-search__hint").inner_text()


@pytest.mark.browser
def test_keyboard_moves_through_results_opens_and_closes(fixture_url, browser_page):
    page = browser_page
    page.goto(fixture_url + f"{SERIES}/")
    page.keyboard.press("/")  # as in Material: opens the search
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    found = search(page, "Netzwerk")
    assert len(found) >= 2
    active = "document.activeElement.getAttribute('href')"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == found[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == found[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('__search').checked") is False
    search(page, "Netzwerk")
    page.keyboard.press("Enter")
    page.wait_for_url(fixture_url.rstrip("/") + found[0])
