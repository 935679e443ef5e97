"""Accessibility of our own controls: names, keyboard, focus, contrast.

Lighthouse and the Nu checker (`make audit`) audit whole pages; these tests
pin down what we built ourselves, in the built HTML and in a real browser, in
both the light and the dark palette."""

from __future__ import annotations

import re
import time

import pytest

from conftest import DOCS, Project, serve

TODAY = "2026-11-27"  # fixed, so that the open article stays open
CHECKLIST = "checklisten/erstgespraech/"
OPEN_ARTICLE = "kooperation-netzwerke/passende-partner-finden/"
CLOSED_ARTICLE = "kooperation-netzwerke/vorsicht-bei-kooperationsangeboten/"
PAGES = ["", OPEN_ARTICLE, CLOSED_ARTICLE, "tags/", "tags/partnersuche/", CHECKLIST]


@pytest.fixture(scope="module")
def a11y_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("a11y") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KN_HEUTE", TODAY)
        result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


@pytest.fixture(scope="module")
def a11y_url(a11y_site):
    server, url = serve(a11y_site.root)
    yield url
    server.shutdown()


# -----------------------------------------------------------------------------
# Accessible names and focusability in the built HTML
# -----------------------------------------------------------------------------


def accessible_name(element) -> str:
    """Name of a control as far as static HTML tells (aria-label, label, text)."""
    if element.get("aria-label"):
        return element["aria-label"].strip()
    if element.name == "input":
        label = element.find_parent("label")
        return label.get_text(" ", strip=True) if label else ""
    return element.get_text(" ", strip=True) or element.get("title", "").strip()


@pytest.mark.parametrize("url", PAGES)
def test_our_controls_have_accessible_names(a11y_site, url):
    content = a11y_site.page(url).select_one("article.md-content__inner")
    controls = content.select("input, button, a[href], select, textarea")
    assert controls
    for control in controls:
        assert accessible_name(control), f"{url}: {control}"


@pytest.mark.parametrize("url", PAGES)
def test_our_controls_are_in_the_tab_order(a11y_site, url):
    content = a11y_site.page(url).select_one("article.md-content__inner")
    for control in content.select("input, button, a[href], [tabindex]"):
        tabindex = control.get("tabindex")
        assert tabindex is None or int(tabindex) == 0, f"{url}: {control}"
        assert not control.has_attr("disabled"), f"{url}: {control}"


def test_checklist_boxes_are_named_by_their_item_text(a11y_site):
    for item in a11y_site.page(CHECKLIST).select(".task-list-item"):
        box = item.select_one("input[type=checkbox]")
        assert accessible_name(box) == item.get_text(" ", strip=True)


def test_consent_controls_are_named(a11y_site):
    section = a11y_site.page(OPEN_ARTICLE).select_one("#kommentare").find_parent()
    names = {accessible_name(c) for c in section.select("button, input")}
    assert "Kommentare laden" in names
    assert any(name.startswith("Entscheidung merken") for name in names)


# -----------------------------------------------------------------------------
# Keyboard: every control of ours is reached with Tab and shows its focus
# -----------------------------------------------------------------------------

FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const label = el.closest("label");
  const ring = (s) => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  window.__knFirstFocus = window.__knFirstFocus || el;
  return {
    text: (el.getAttribute("aria-label") || el.innerText || (label && label.innerText) || "").trim(),
    tag: el.tagName.toLowerCase(),
    task: el.closest(".task-list-item") !== null,
    visible: ring(style) || (label !== null && ring(getComputedStyle(label))),
    first: el === window.__knFirstFocus,  // the control the first Tab reached
  };
}"""


def tab_through(page, limit: int = 120, until=None) -> list[dict]:
    """The focus state after each Tab, up to `limit` presses; with `until`, it
    stops as soon as until(states so far) is true."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_STATE))
        if until and until(seen):
            break
    return seen


def round_trip(seen: list[dict]) -> bool:
    """Tab has gone through every control of the page and is back at the first
    (further presses would only visit the same controls again)."""
    return len(seen) > 1 and seen[-1]["first"]


def test_keyboard_reaches_checklist_controls_with_visible_focus(browser_page, a11y_url):
    page = browser_page
    page.goto(a11y_url + CHECKLIST)
    focused = tab_through(page, until=round_trip)
    boxes = [f for f in focused if f["task"]]
    items = (DOCS / f"{CHECKLIST.rstrip('/')}.md").read_text(encoding="utf-8").count("- [ ] ")
    assert len({f["text"] for f in boxes}) == items
    wanted = {"Checkliste drucken", "Häkchen zurücksetzen"}
    reached = {f["text"]: f for f in focused if f["text"] in wanted}
    assert set(reached) == wanted
    for state in [*boxes, *reached.values()]:
        assert state["visible"], state


def test_keyboard_ticks_and_resets_a_checklist(browser_page, a11y_url):
    page = browser_page
    page.goto(a11y_url + CHECKLIST)
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.type") != "checkbox":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    page.focus("[data-kn-reset]")
    page.keyboard.press("Enter")
    assert page.locator(".task-list-item input:checked").count() == 0


SCRIPTS = ("giscus.app/client.js", "/js/embed.min.js")  # the comment providers' scripts


def test_keyboard_loads_comments_after_consent(browser_page, a11y_url):
    page = browser_page
    requested: list[str] = []
    page.route("https://giscus.app/**", lambda route: (
        requested.append(route.request.url), route.fulfill(status=200, content_type="text/javascript", body=""),
    ))
    page.on("request", lambda request: requested.append(request.url))  # any provider: giscus or Isso
    page.goto(a11y_url + OPEN_ARTICLE)
    focused = tab_through(page, 200, until=lambda seen: seen[-1]["text"] == "Kommentare laden")
    button = [f for f in focused if f["text"] == "Kommentare laden"]
    assert button and button[0]["visible"]
    page.focus("button:has-text('Kommentare laden')")
    page.keyboard.press("Enter")
    # The provider's script is requested within 300 ms (polled: done as soon as it is).
    deadline = time.monotonic() + 0.3
    while not any(url.endswith(SCRIPTS) for url in requested) and time.monotonic() < deadline:
        page.wait_for_timeout(10)
    assert any(url.endswith(SCRIPTS) for url in requested)


# -----------------------------------------------------------------------------
# Colour contrast of text, in the light and the dark palette
# -----------------------------------------------------------------------------

COLOURS = """(selector) => [...document.querySelectorAll(selector)].filter(el => el.offsetParent !== null).slice(0, 5).map(el => {
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    layers.push(bg);
    if (/^rgb\\(/.test(bg)) break;
  }
  return {fg: getComputedStyle(el).color, layers, text: el.innerText.slice(0, 40)};
})"""

# COLOURS for each of a list of selectors, in one call.
ALL_COLOURS = "(selectors) => selectors.map(" + COLOURS + ")"

TEXT_SELECTORS = [
    ".md-typeset p", ".md-typeset h1", ".md-typeset h2", ".md-typeset p a",
    ".admonition.checkliste .admonition-title", ".task-list-item label",
    ".kn-checklist__actions .md-button", ".kn-list__meta", ".kn-list__title", ".kn-article-meta", ".kn-article-meta a",
    ".kn-edit", ".md-tag", ".kn-comments p", ".kn-comments a", ".kn-comments button", ".kn-comments label",
    ".kn-comment__meta", ".kn-series-nav a", ".md-footer-meta a", ".md-copyright",
    ".kn-share__link", ".kn-share__title", ".kn-related a", ".kn-used-by a",
]


def rgba(text: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def over(top, bottom):
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)) + (1.0,)


def luminance(colour) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg_text: str, layers: list[str]) -> float:
    background = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(layers):
        background = over(rgba(layer), background)
    foreground = over(rgba(fg_text), background)
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", [OPEN_ARTICLE, CLOSED_ARTICLE, CHECKLIST, "tags/partnersuche/"])
def test_text_contrast_is_at_least_4_5(tabs, a11y_url, scheme, url):
    page = tabs.page(color_scheme=scheme)
    page.goto(a11y_url + url)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    checked = 0
    for selector, samples in zip(TEXT_SELECTORS, page.evaluate(ALL_COLOURS, TEXT_SELECTORS), strict=True):
        for sample in samples:
            ratio = contrast(sample["fg"], sample["layers"])
            assert ratio >= 4.5, f"{scheme} {url} {selector} {sample['text']!r}: {ratio:.2f}"
            checked += 1
    assert checked > 10


def test_contrast_helper_matches_known_values():
    assert contrast("rgb(0, 0, 0)", ["rgb(255, 255, 255)"]) == pytest.approx(21)
    assert contrast("rgb(119, 119, 119)", ["rgb(255, 255, 255)"]) == pytest.approx(4.48, abs=0.01)
