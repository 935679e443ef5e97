"""The shared consent memory knows no provider: on a page without any comment
box (the Datenschutz page), revoking forgets every remembered choice and what
every provider's client keeps, as the page's meta lists it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

KEPT = {"kn-checkliste:partner-pruefen": "[1]", "eigener-eintrag": "x"}
FORGOTTEN = {
    "kn-isso-consent": "ja", "kn-comments-consent": "ja", "kn-youtube-consent": "ja",
    "isso-author": '"Dora"', "isso-email": '"dora@beispiel.example"', "giscus-session": '"t"',
}


def test_revoke_on_a_page_without_comments_forgets_every_provider(site, site_url, browser_page):
    page = browser_page
    page.goto(site_url + "datenschutz/", wait_until="networkidle")
    assert page.locator("meta[name=kn-consent-storage]").get_attribute("content").split() == [
        "isso-author", "isso-email", "isso-website", "giscus-session"]
    page.evaluate("""(entries) => {
        Object.entries(entries).forEach(([key, value]) => localStorage.setItem(key, value));
        document.cookie = "isso-12=edit; path=/";
        document.cookie = "isso-sprache=de; path=/";
    }""", {**KEPT, **FORGOTTEN})
    assert page.evaluate("window.knConsent.anyRemembered()") is True
    page.get_by_role("button", name="Einwilligung widerrufen").click()
    stored = page.evaluate("(keys) => keys.map(k => localStorage.getItem(k))", [*KEPT, *FORGOTTEN])
    assert stored == [*KEPT.values(), *[None] * len(FORGOTTEN)]
    # Only cookies that match a provider's pattern (Isso's edit cookies isso-<number>) go.
    assert page.evaluate("document.cookie") == "isso-sprache=de"
    assert page.evaluate("window.knConsent.anyRemembered()") is False
    assert page.get_by_text("Ihre Einwilligung ist widerrufen.").is_visible()
