"""The browser page the tests share (tests/browsertab.py): whatever one test
leaves in it is gone for the next, as in a new browser context."""

from __future__ import annotations

import pytest

from tools.localsite import serve

pytestmark = pytest.mark.browser

PAGE = "<!doctype html><html lang=de><title>Probe</title><script src=assets/probe.js></script><p>Probe</p>"

# What a page can see of its state: storage, handlers' traces, media, size, network, permissions.
STATE = """async () => ({
  local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie,
  databases: (await indexedDB.databases()).map(d => d.name),
  init: window.__tabInit ?? null, asset: window.__probeAsset ?? null,
  dark: matchMedia("(prefers-color-scheme: dark)").matches, print: matchMedia("print").matches,
  reduced: matchMedia("(prefers-reduced-motion: reduce)").matches,
  size: [innerWidth, innerHeight], online: navigator.onLine,
  clipboard: (await navigator.permissions.query({name: "clipboard-read"})).state,
  routed: await fetch("route-me").then(r => r.status),
})"""

LEAVE_TRACES = """async () => {
  localStorage.setItem("kn-probe", "1");
  sessionStorage.setItem("kn-probe", "1");
  document.cookie = "kn-probe=1; path=/";
  await new Promise(done => { const open = indexedDB.open("kn-probe"); open.onsuccess = () => { open.result.close(); done(); }; });
}"""


@pytest.fixture
def two_sites(tmp_path):
    """Two servers of one small folder: two origins, and an asset cached for a week."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "assets" / "probe.js").write_text("window.__probeAsset = 'alt';", encoding="utf-8")
    first, first_url = serve(tmp_path)
    second, second_url = serve(tmp_path)
    yield tmp_path, first_url, second_url
    first.shutdown()
    second.shutdown()


def test_the_next_test_gets_the_page_as_a_new_context_would(browser, tabs, two_sites):
    folder, first, second = two_sites
    context = browser.new_context()
    new = context.new_page()
    new.goto(first + "a.html")
    expected = new.evaluate(STATE)
    context.close()
    assert expected["asset"] == "alt" and expected["routed"] == 404

    # One test: leaves traces everywhere a test can.
    page = tabs.page()
    seen: list[str] = []
    for url in (first + "a.html", second + "a.html", (folder / "a.html").as_uri()):
        page.goto(url)
        page.evaluate(LEAVE_TRACES if url.startswith("http") else "localStorage.setItem('kn-probe', '1')")
    page.add_init_script("window.__tabInit = 1")
    page.context.add_init_script("window.__tabInit = 2")
    page.on("request", lambda request: seen.append(request.url))
    page.context.on("request", lambda request: seen.append(request.url))
    page.route("**/route-me", lambda route: route.fulfill(status=299, body=""))
    page.context.route("**/route-me", lambda route: route.fulfill(status=298, body=""))
    page.emulate_media(media="print", color_scheme="dark", reduced_motion="reduce")
    page.set_viewport_size({"width": 400, "height": 300})
    page.context.grant_permissions(["clipboard-read"])
    page.context.new_page()  # a second page (a popup would be one too)
    page.goto(first + "a.html")  # the asset is now in the cache
    assert page.evaluate(STATE)["routed"] == 299
    page.context.set_offline(True)
    # The site changes its asset under the same address.
    (folder / "assets" / "probe.js").write_text("window.__probeAsset = 'neu';", encoding="utf-8")

    # The next test.
    again = tabs.page()
    assert again is page and page.url == "about:blank" and page.context.pages == [page]
    seen.clear()
    page.goto(first + "a.html")
    assert page.evaluate(STATE) == {**expected, "asset": "neu"}
    page.goto(second + "a.html")
    assert page.evaluate("[Object.keys(localStorage), Object.keys(sessionStorage)]") == [[], []]
    page.goto((folder / "a.html").as_uri())
    assert page.evaluate("Object.keys(localStorage)") == []
    assert seen == []  # the last test's handlers are gone


def test_a_page_a_test_closed_is_opened_again(tabs, two_sites):
    _folder, first, _second = two_sites
    tabs.page().close()
    page = tabs.page()
    assert not page.is_closed()
    page.goto(first + "a.html")
    assert page.evaluate("window.__probeAsset") == "alt"


MEDIA = """() => [matchMedia("(prefers-color-scheme: dark)").matches, matchMedia("(prefers-reduced-motion: reduce)").matches,
  innerWidth, innerHeight, screen.width, screen.height, navigator.language]"""


def test_viewport_and_media_are_set_on_the_shared_page_other_options_get_a_page_of_their_own(browser, tabs):
    options = {"color_scheme": "dark", "reduced_motion": "reduce", "viewport": {"width": 390, "height": 800}}
    context = browser.new_context(**options)
    expected = context.new_page().evaluate(MEDIA)
    context.close()
    plain = tabs.page()
    assert tabs.page(**options) is plain and plain.evaluate(MEDIA) == expected
    assert tabs.page() is plain and plain.evaluate(MEDIA)[:4] == [False, False, 1280, 720]
    german = tabs.page(locale="de-DE")
    assert german is not plain and german.evaluate("navigator.language") == "de-DE"
