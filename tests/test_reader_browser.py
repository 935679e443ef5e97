"""Readers in a real browser, on a fixture site of our own: the article's
contents on phones, and the video consent by keyboard (focus, failure)."""

from __future__ import annotations

import pytest

from tests.reader_fixtures import build_project, fixture_project
from tools.localsite import serve

pytestmark = pytest.mark.browser

VIDEO_ID = "dQw4w9WgXcQ"
SECTIONS = "\n## Erster Abschnitt über „Vertrauen“\n\nText.\n\n### Eine Unterfrage\n\nText.\n\n## Zweiter Abschnitt & mehr\n\nText.\n"
VIDEO = (f"\nVor dem Video steht ein Satz.\n\n[Ein Vortrag über Netzwerke](https://www.youtube.com/watch?v={VIDEO_ID})"
         "{ .video }\n\nDanach.\n")
ARTICLE = "probe-reihe/artikel-0001/"
VIDEO_ARTICLE = "probe-reihe/artikel-0002/"


@pytest.fixture(scope="module")
def reader_url(tmp_path_factory):
    project = fixture_project(tmp_path_factory.mktemp("reader-browser") / "p", 3, drop_hooks=("social",))
    for number, extra in ((1, SECTIONS), (2, VIDEO)):
        path = project / "docs" / "probe-reihe" / f"artikel-{number:04d}.md"
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result, out = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture
def page_for(tabs):
    """page_for(width, **options): a page of that width (height 800), as in a new
    context with those options: online, no routes of an earlier test, nothing stored."""
    return lambda width, **options: tabs.page(viewport={"width": width, "height": 800}, **options)


def local_only(page, base: str) -> None:
    """There is no internet: every request away from 127.0.0.1 is refused."""
    page.route(lambda url: not url.startswith(base), lambda route: route.abort())


# -----------------------------------------------------------------------------
# Contents on phones
# -----------------------------------------------------------------------------


def test_phone_shows_the_articles_contents_at_its_top(page_for, reader_url):
    page = page_for(390)
    page.goto(reader_url + ARTICLE)
    toc = page.locator("details.kn-toc")
    assert toc.is_visible()
    assert page.locator(".md-sidebar--secondary").is_hidden()
    page.get_by_text("Inhalt dieses Artikels", exact=True).first.click()
    links = toc.locator("a")
    assert links.all_inner_texts() == ["Erster Abschnitt über „Vertrauen“", "Eine Unterfrage", "Zweiter Abschnitt & mehr"]
    links.nth(2).click()
    page.wait_for_function("location.hash === '#zweiter-abschnitt-mehr'")


def test_wide_screen_keeps_materials_contents_sidebar(page_for, reader_url):
    page = page_for(1280)
    page.goto(reader_url + ARTICLE)
    assert page.locator("details.kn-toc").is_hidden()
    assert page.locator(".md-sidebar--secondary a", has_text="Zweiter Abschnitt & mehr").is_visible()


def test_article_without_sections_has_no_contents_box(page_for, reader_url):
    page = page_for(390)
    page.goto(reader_url + "probe-reihe/artikel-0003/")
    assert page.locator("details.kn-toc").count() == 0


# -----------------------------------------------------------------------------
# Video consent by keyboard
# -----------------------------------------------------------------------------


def tabs_to(page, name: str, limit: int = 60) -> int:
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return presses
    raise AssertionError(f"{name!r} not reached in {limit} Tab presses")


def test_video_button_is_two_tabs_after_the_text_and_focus_moves_to_the_player(page_for, reader_url):
    page = page_for(1280)
    local_only(page, reader_url)
    page.goto(reader_url + VIDEO_ARTICLE)
    page.get_by_text("Vor dem Video steht ein Satz.").click()
    assert tabs_to(page, "Video laden") <= 2  # the privacy link, then the button
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert page.evaluate("document.activeElement.title") == "Ein Vortrag über Netzwerke"


def test_video_placeholder_focus_order_puts_the_button_second(page_for, reader_url):
    page = page_for(390)
    local_only(page, reader_url)
    page.goto(reader_url + VIDEO_ARTICLE)
    page.get_by_text("Vor dem Video steht ein Satz.").click()
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("(e => e.tagName + ':' + (e.type || e.textContent.trim()))(document.activeElement)"))
    assert order == ["A:Datenschutzerklärung", "BUTTON:button", "INPUT:checkbox", "A:Ein Vortrag über Netzwerke"]


def test_offline_video_says_so_in_german_with_the_direct_link(page_for, reader_url):
    page = page_for(1280)
    context = page.context
    local_only(page, reader_url)
    page.goto(reader_url + VIDEO_ARTICLE)
    context.set_offline(True)
    page.get_by_role("button", name="Video laden").click()
    status = page.locator("[data-kn-video-status]")
    assert status.is_visible()
    text = status.inner_text()
    assert "Das Video konnte nicht geladen werden" in text and "www.youtube-nocookie.com" in text
    assert status.locator("a").get_attribute("href") == f"https://www.youtube.com/watch?v={VIDEO_ID}"
    assert page.locator("iframe.kn-video__frame").is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('data-kn-video-status')") == ""


def test_player_without_answer_gives_the_message_after_the_timeout(page_for, reader_url):
    page = page_for(1280)
    page.route("https://www.youtube-nocookie.com/**", lambda route: None)  # never answered
    page.goto(reader_url + VIDEO_ARTICLE)
    page.evaluate("window.knVideoTimeout = 300")
    page.get_by_role("button", name="Video laden").click()
    page.locator("[data-kn-video-status]").wait_for(state="visible", timeout=5000)
    page.unroute("https://www.youtube-nocookie.com/**")


def test_without_javascript_the_placeholder_explains_instead_of_a_dead_button(page_for, reader_url):
    page = page_for(390, java_script_enabled=False)
    page.goto(reader_url + VIDEO_ARTICLE)
    assert page.get_by_text("Zum Laden des Videos braucht diese Seite JavaScript").is_visible()
    assert page.locator("[data-kn-video-load]").is_hidden()
    assert page.locator(".kn-video__link a").is_visible()
