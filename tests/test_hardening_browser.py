"""Issues #26 and #30 in the real browser: a site built from the hostile body
content the build ALLOWS (plain HTML, scary-looking text, links, quotes in
attributes) runs nothing, violates no CSP rule in normal use and goes to no
other server; the ?p= script follows no map a page body names."""

from __future__ import annotations

import pytest

from conftest import CSP_RECORDER, Project, article, serve, settled_violations

pytestmark = pytest.mark.browser

SERIES = "kooperation-netzwerke"
PWN = "window.__knPwned=1"
# Everything here passes the build's leash (sanitize.active_html) and must stay inert.
ALLOWED_BODY = f"""\
Ein Absatz mit &lt;script&gt;{PWN}&lt;/script&gt; als Text und `<script>{PWN}</script>` als Code.

```html
<script>{PWN}</script><img src=x onerror="{PWN}">
```

<p title='"><script>{PWN}</script>' class="kn-probe">Ein Absatz mit bösem Titel.</p>

<abbr title="&quot;&gt;&lt;img src=x onerror={PWN}&gt;">HTML</abbr> und <kbd>Strg</kbd>+<kbd>C</kbd>.

<a href="https://evil.example/weg" id="kn-probe-link">Ein einfacher Link woandershin</a>,
<a href="#kommentare">ein Sprung</a> und <a href="mailto:redaktion@example.org">eine Mail</a>.

<details class="kn-probe-details"><summary>Mehr &lt;img src=x onerror={PWN}&gt;</summary>
<p>Aufgeklappt: "&gt;&lt;svg onload={PWN}&gt;</p>
</details>

<div class="md-typeset__table"><table><tr><th>Kopf</th><td>&lt;iframe src=javascript:{PWN}&gt;</td></tr></table></div>

## Überschrift mit "Anführungszeichen" & <Spitzen> {{ #kn-probe-heading }}

[Link mit Titel](index.md "&quot; onmouseover=&quot;{PWN}")

![Bild mit "Alt" <script>](../assets/favicon.svg)

| Links | Mitte | Rechts |
|:------|:-----:|-------:|
| a     | b     | c      |
"""


def watch(page):
    """Executions, CSP violations, dialogs and every request and navigation."""
    seen = {"requests": [], "dialogs": [], "frames": []}
    page.add_init_script(CSP_RECORDER)
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("framenavigated", lambda frame: seen["frames"].append(frame.url))
    return seen




@pytest.fixture(scope="module")
def allowed_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("erlaubt") / "project")
    project.write(f"docs/{SERIES}/erlaubt.md", article("Erlaubtes HTML").replace("Ein Absatz mit Text.\n", ALLOWED_BODY))
    project.write("data/redirects.yml", f'"?p=12": {SERIES}/erlaubt.md\n')
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve(built.root)
    yield built, url
    server.shutdown()


def test_allowed_hostile_body_runs_nothing_and_goes_nowhere(allowed_site, tabs):
    built, url = allowed_site
    page = tabs.page()
    seen = watch(page)
    page.route("https://evil.example/**", lambda route: route.abort())
    # Each page once loaded (its scripts have run), its violations once reported.
    for path in (f"{SERIES}/erlaubt/", "", f"{SERIES}/", "tags/"):
        page.goto(url + path)
        assert page.evaluate("window.__knPwned") is None, path
        assert settled_violations(page) == [], path
    # Normal use: open the details, hover the titled elements, jump to a heading.
    page.goto(url + f"{SERIES}/erlaubt/")
    page.locator(".kn-probe-details summary").click()
    page.locator(".kn-probe").hover()
    page.locator("abbr").hover()
    page.locator("a[title]").first.hover()
    page.goto(url + f"{SERIES}/erlaubt/#kn-probe-heading")
    assert settled_violations(page) == []
    assert page.evaluate("window.__knPwned") is None
    # Aligned table cells keep their alignment without a style attribute.
    align = page.evaluate("[...document.querySelectorAll('td[class^=kn-align]')].map(c => getComputedStyle(c).textAlign)")
    assert align == ["left", "center", "right"]
    assert seen["dialogs"] == []
    assert [r for r in seen["requests"] if not r.startswith(url)] == []
    assert [f for f in seen["frames"] if not f.startswith(url)] == []
    # Positive control: the same page with a handler put in after the
    # build; the listeners see the blocked attempt.
    probe = built.path(f"{SERIES}/erlaubt/").read_text(encoding="utf-8")
    (built.root / "kontrolle.html").write_text(
        probe.replace("<article", f'<img src="data:," onerror="{PWN}"><article', 1), encoding="utf-8")
    page.goto(url + "kontrolle.html")
    assert page.evaluate("window.__knPwned") is None
    assert any("script-src-attr" in v for v in settled_violations(page))


def test_old_short_link_ignores_a_map_named_by_the_page_body(allowed_site, tabs):
    # Body HTML that named an element "currentScript" (the build refuses it;
    # here it is put into the built start page) must not choose the map.
    built, url = allowed_site
    start = built.path("")
    html = start.read_text(encoding="utf-8")
    clobber = ('<img name="currentScript" src="data:," data-map="https://evil.example/karte.json">'
               '<form name="querySelector"></form>')
    start.write_text(html.replace("<article", clobber + "<article", 1), encoding="utf-8")
    page = tabs.page()
    seen = watch(page)
    page.route("https://evil.example/**", lambda route: route.fulfill(json={"?p=12": "https://evil.example/falle"}))
    page.goto(url + "?p=12")
    page.wait_for_url(url + f"{SERIES}/erlaubt/", timeout=10_000)
    assert [r for r in seen["requests"] if not r.startswith(url)] == []
