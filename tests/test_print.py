"""Printing: every checklist on one A4 sheet, articles that print well, and the
checklist behaviour in the browser (ticks kept, reset, print button).

The PDFs come from the real Chromium (Playwright's `page.pdf`, which prints
with the print stylesheet); their text is read with pdftotext."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from conftest import CHECKLISTS, checklist_includes, require_tool, serve

A4_POINTS = (595.3, 841.9)
# Texts of the header, navigation, search, footer and buttons: never on paper.
SITE_CHROME = (
    "Suche", "Impressum", "Datenschutz", "Themen", "Checklisten", "©",
    "Zum Inhalt", "Checkliste drucken", "Häkchen zurücksetzen",
)

# Stub for window.print in every frame: counts the calls instead of opening a dialog.
PRINT_STUB = "window.__printCalls = 0; window.print = function () { window.__printCalls += 1; };"


ARTICLE_CHECKLISTS = [(url, name) for name, urls in checklist_includes().items() for url in urls]


def normalise(text: str) -> str:
    """Text without hyphens (hyphenation splits words) and with single spaces."""
    text = text.replace("\u00ad", "")
    text = re.sub(r"-\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def item_texts(soup, name: str) -> list[str]:
    items = soup.select(f'.kn-checklist[data-checklist="{name}"] .task-list-item')
    assert items, name
    return [normalise(item.get_text(" ")) for item in items]


def print_pdf(page, url: str, path) -> PdfReader:
    """Print a page with Chromium to an A4 PDF, without background graphics."""
    page.goto(url)
    page.pdf(path=str(path), format="A4", print_background=False)
    return PdfReader(str(path))


def page_texts(path) -> list[str]:
    """The normalised text of every PDF page (pdftotext keeps the reading order)."""
    pdftotext = require_tool("pdftotext")
    out = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [normalise(text) for text in out.split("\f") if text.strip()]


def assert_a4(reader: PdfReader) -> None:
    for pdf_page in reader.pages:
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        assert width == pytest.approx(A4_POINTS[0], abs=2) and height == pytest.approx(A4_POINTS[1], abs=2)


# -----------------------------------------------------------------------------
# Checklist pages: one A4 sheet each
# -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(tabs, site_url, tmp_path_factory):
    """url -> (PDF, text of each of its pages): each page of the test site is printed
    once (in a page as in a new context: nothing ticked) and read by every test
    that checks that print."""
    folder = tmp_path_factory.mktemp("print")
    done: dict[str, tuple[PdfReader, list[str]]] = {}

    def get(url: str) -> tuple[PdfReader, list[str]]:
        if url not in done:
            path = folder / f"{len(done)}.pdf"
            done[url] = print_pdf(tabs.page(), site_url + url, path), page_texts(path)
        return done[url]

    return get


@pytest.mark.browser
@pytest.mark.parametrize("name", CHECKLISTS)
def test_checklist_page_prints_on_one_a4_page_with_every_item(site, printed, name):
    reader, texts = printed(f"checklisten/{name}/")
    assert len(reader.pages) == 1
    assert_a4(reader)
    [text] = texts
    for item in item_texts(site.page(f"checklisten/{name}/"), name):
        assert item in text


@pytest.mark.browser
@pytest.mark.parametrize("name", CHECKLISTS)
def test_checklist_print_has_title_and_source_but_no_site_chrome(site, printed, name):
    [text] = printed(f"checklisten/{name}/")[1]
    soup = site.page(f"checklisten/{name}/")
    assert normalise(soup.h1.get_text()) in text
    assert "Kooperation & Netzwerke" in text
    assert normalise(f"kooperation-netzwerke/checklisten/{name}/") in text
    assert re.search(r"Stand: \d{1,2}\. [A-ZÄÖÜ][a-zä]+ \d{4}", text)
    for chrome in SITE_CHROME:
        assert not re.search(rf"(?<!\w){re.escape(chrome)}(?!\w)", text), chrome


def test_checklist_with_18_items_still_prints_on_one_page(project, browser_page, tmp_path):
    items = [
        f"Punkt {n}: Prüfen Sie gründlich, ob Ihr möglicher Partner Zusagen verlässlich und pünktlich einhält."
        for n in range(1, 19)
    ]
    project.write("docs/checklisten/sehr-lang.md",
                  '!!! checkliste "Eine lange Liste"\n\n' + "".join(f"    - [ ] {item}\n" for item in items))
    result, built = project.build()
    assert result.returncode == 0, result.stderr
    server, url = serve(built.root)
    try:
        reader = print_pdf(browser_page, f"{url}checklisten/sehr-lang/", tmp_path / "lang.pdf")
    finally:
        server.shutdown()
    assert len(reader.pages) == 1
    assert_a4(reader)
    [text] = page_texts(tmp_path / "lang.pdf")
    for item in items:
        assert normalise(item) in text


@pytest.fixture
def stub_page(browser_page):
    """A page whose window.print only counts its calls (window.__printCalls),
    in every document and frame it loads."""
    browser_page.add_init_script(PRINT_STUB)
    return browser_page


# -----------------------------------------------------------------------------
# Articles: the checklist stays on one page
# -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("url", "name"), ARTICLE_CHECKLISTS)
def test_article_prints_its_checklist_on_one_page(site, printed, url, name):
    reader, texts = printed(url)
    assert_a4(reader)
    items = item_texts(site.page(url), name)
    assert any(all(item in text for item in items) for text in texts), f"{name} split across pages in {url}"
    assert not any(button in " ".join(texts) for button in ("Checkliste drucken", "Häkchen zurücksetzen")), url


def test_article_print_hides_tags_buttons_and_comments(site_url, browser_page):
    browser_page.goto(f"{site_url}kooperation-netzwerke/netzwerkveranstaltungen-nutzen/")
    browser_page.emulate_media(media="print")
    hidden = browser_page.evaluate("""() => [
        '.md-header', '.md-sidebar', '.md-footer', '.md-tags', '.kn-checklist__actions',
        '.md-content__button', '.md-top', '.md-search'
    ].filter(sel => [...document.querySelectorAll(sel)].some(el => el.getClientRects().length > 0))""")
    assert hidden == []
    assert browser_page.locator(".kn-print-source").is_visible()
    browser_page.emulate_media(media="screen")
    assert not browser_page.locator(".kn-print-source").is_visible()


def test_printed_checkboxes_are_borders_and_ticks_show(site_url, browser_page):
    browser_page.goto(f"{site_url}checklisten/partner-pruefen/")
    tick(browser_page, 0)
    browser_page.emulate_media(media="print")
    styles = browser_page.evaluate("""() => [...document.querySelectorAll('.task-list-indicator')].slice(0, 2).map(el => {
        const box = getComputedStyle(el, '::before'), tick = getComputedStyle(el, '::after');
        return {border: box.borderTopStyle + ' ' + box.borderTopWidth, mask: box.maskImage || box.webkitMaskImage,
                tick: tick.content + ' ' + tick.borderRightStyle};
    })""")
    ticked, empty = styles
    for box in styles:
        assert box["border"].startswith("solid") and not box["border"].endswith(" 0px")
        assert box["mask"] == "none"
    assert ticked["tick"] == '"" solid'
    assert not empty["tick"].startswith('""')


# -----------------------------------------------------------------------------
# Behaviour: ticks kept, reset, print button
# -----------------------------------------------------------------------------


def tick(page, n: int, name: str | None = None) -> None:
    """Tick the n-th box as a reader does: click its visible box and text."""
    scope = f'[data-checklist="{name}"] ' if name else ".kn-checklist "
    page.locator(scope + ".task-list-control").nth(n).click()


def ticks(page) -> list[bool]:
    return page.locator(".kn-checklist .task-list-item input[type=checkbox]").evaluate_all("els => els.map(e => e.checked)")


def test_tick_is_kept_after_reload(site_url, browser_page):
    browser_page.goto(f"{site_url}checklisten/erstgespraech/")
    tick(browser_page, 2)
    browser_page.reload()
    assert ticks(browser_page)[2] is True
    assert sum(ticks(browser_page)) == 1
    stored = browser_page.evaluate("localStorage.getItem('kn-checkliste:erstgespraech')")
    assert stored is not None and __import__("json").loads(stored)[2] is True


def test_tick_on_checklist_page_shows_in_article(site_url, browser_page):
    browser_page.goto(f"{site_url}checklisten/erstgespraech/")
    tick(browser_page, 0)
    browser_page.goto(f"{site_url}kooperation-netzwerke/netzwerkveranstaltungen-nutzen/")
    own = browser_page.locator('[data-checklist="erstgespraech"] input[type=checkbox]')
    other = browser_page.locator('[data-checklist="partner-pruefen"] input[type=checkbox]')
    assert own.first.is_checked()
    assert not any(other.evaluate_all("els => els.map(e => e.checked)"))


def test_reset_button_clears_ticks_and_storage(site_url, browser_page):
    browser_page.goto(f"{site_url}checklisten/partner-pruefen/")
    reset = browser_page.locator(".kn-checklist").get_by_role("button", name="Häkchen zurücksetzen")
    assert reset.is_visible()
    for n in (0, 1):
        tick(browser_page, n)
    reset.click()
    assert not any(ticks(browser_page))
    assert browser_page.evaluate("localStorage.getItem('kn-checkliste:partner-pruefen')") is None
    browser_page.reload()
    assert not any(ticks(browser_page))


def test_without_javascript_reset_is_hidden_and_print_links_to_checklist_page(site):
    for url, name in ARTICLE_CHECKLISTS:
        actions = site.page(url).select_one(f'[data-checklist="{name}"] .kn-checklist__actions')
        assert actions.select_one("[data-kn-reset]").has_attr("hidden")
        assert actions.select_one("a[data-kn-print]")["href"] == f"../../checklisten/{name}/?drucken"


def test_without_javascript_boxes_tick_reset_is_invisible_and_print_opens_checklist_page(tabs, site_url):
    page = tabs.page(java_script_enabled=False)
    page.goto(f"{site_url}kooperation-netzwerke/netzwerkveranstaltungen-nutzen/")
    checklist = page.locator('[data-checklist="erstgespraech"]')
    assert not checklist.locator("[data-kn-reset]").is_visible()
    checklist.locator(".task-list-control").first.click()
    assert checklist.locator("input[type=checkbox]").first.is_checked()
    checklist.get_by_role("link", name="Checkliste drucken").click()
    page.wait_for_url(f"{site_url}checklisten/erstgespraech/?drucken")


def test_keyboard_ticks_a_box_with_visible_focus(site_url, browser_page):
    browser_page.goto(f"{site_url}checklisten/partner-pruefen/")
    box = browser_page.get_by_role("checkbox").first
    box.focus()
    browser_page.keyboard.press("Space")
    assert box.is_checked()
    outline = browser_page.evaluate("getComputedStyle(document.activeElement.closest('label')).outlineStyle")
    assert outline == "solid"


def test_page_opened_with_drucken_prints_itself(site_url, stub_page):
    stub_page.goto(f"{site_url}checklisten/erstgespraech/?drucken")
    stub_page.wait_for_function("window.__printCalls === 1")


def test_print_button_on_checklist_page_prints_the_page(site_url, stub_page):
    stub_page.goto(f"{site_url}checklisten/erstgespraech/")
    stub_page.get_by_role("link", name="Checkliste drucken").click()
    assert stub_page.evaluate("window.__printCalls") == 1
    assert stub_page.url == f"{site_url}checklisten/erstgespraech/"


def test_print_button_in_article_prints_only_the_checklist_page(site_url, stub_page):
    article = f"{site_url}kooperation-netzwerke/netzwerkveranstaltungen-nutzen/"
    stub_page.goto(article)
    stub_page.locator('[data-checklist="erstgespraech"] [data-kn-print]').click()
    frame_element = stub_page.wait_for_selector("iframe.kn-print-frame")
    frame = frame_element.content_frame()
    frame.wait_for_load_state("load")
    frame.wait_for_function("window.__printCalls === 1")
    assert frame.url == f"{site_url}checklisten/erstgespraech/?drucken"
    assert stub_page.url == article
    assert stub_page.evaluate("window.__printCalls") == 0
