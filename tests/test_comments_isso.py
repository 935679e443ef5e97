"""Isso, for real: a test starts the Isso server on 127.0.0.1 (free port,
temporary SQLite file, stopped by its PID), builds a small site of its own
pointing at it, and a reader in Chromium loads the thread, writes a comment and
a reply; the editors approve them as Isso's moderation page does. Then the
article is closed, `tools.comments_archive` brings the comments into
data/comments/, and the static page shows them without any request to Isso."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CSP_RECORDER, Project, article, settled_violations
from tools.isso_server import ISSO_BIN, IssoServer, approve_pending
from tools.localsite import ROOT, SiteServer

pytestmark = pytest.mark.browser

SERIES = "kooperation-netzwerke"
TODAY = "2026-12-01"
ADMIN_PASSWORD = "nur-fuer-den-test"
CLOSED_NOTICE = "Kommentarfunktion für diesen Artikel geschlossen."
OPEN = f"{SERIES}/isso-offen"
HOSTILE = f"{SERIES}/isso-feindlich"
EVIL_AUTHOR = '<img src=x onerror="window.__knPwned=1">Mallory'
EVIL_TEXT = (
    "Hallo <script>window.__knPwned = 2</script> und <b onmouseover=\"window.__knPwned=3\">fett</b>.\n\n"
    "[Klick](javascript:window.__knPwned=4) und <a href=\"javascript:alert(1)\">roh</a>."
)


def need_isso() -> None:
    if ISSO_BIN.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{ISSO_BIN} is missing on CI: `make test` must build .venv-isso")
    pytest.skip("Isso is not installed: `make .venv-isso/.requirements-installed` (or make test) builds it")


class IssoSite:
    """A small site of its own, its static server and a real Isso."""

    def __init__(self, root) -> None:
        self.project = Project(root / "project")
        self.project.write(f"docs/{OPEN}.md", article("Offen für Isso", comments="open", date="2026-11-28"))
        self.project.write(f"docs/{HOSTILE}.md", article("Feindliche Kommentare", comments="open", date="2026-11-28"))
        self.project.write(f"docs/{SERIES}/isso-offen-zwei.md", article(
            "Zweiter offener Artikel & <Test>", comments="open", date="2026-11-28"))
        self.web = SiteServer(self.project.root / "site").start()
        self.base = self.web.base + "/"
        self.isso = IssoServer(root / "isso", hosts=[self.base], env={"ISSO_ADMIN_PASSWORD": ADMIN_PASSWORD}, guard=False).start()
        self.origin = self.isso.url.rstrip("/")

    def build(self):
        env = {"KN_ISSO_URL": self.isso.url, "KN_HEUTE": TODAY}
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            result, built = self.project.build()
        assert result.returncode == 0, result.stdout + result.stderr
        return built

    def archive(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tools.comments_archive", "--projekt", str(self.project.root), *args],
            cwd=ROOT, env=dict(os.environ, KN_HEUTE=TODAY), capture_output=True, text=True, timeout=120,
        )

    def close(self, path: str) -> None:
        self.project.replace(f"docs/{path}.md", "comments: open", "comments: closed")

    def stop(self) -> None:
        self.isso.stop()
        self.web.shutdown()


@pytest.fixture(scope="module")
def isso_site(tmp_path_factory):
    need_isso()
    site = IssoSite(tmp_path_factory.mktemp("isso"))
    try:
        site.build()
        yield site
    finally:
        site.stop()




def is_thread(site: IssoSite):
    """Isso's client once loaded asks for embed.min.js, its config, our stylesheet
    and then the thread (GET /?uri=…), the last of its requests."""
    return lambda response: response.url.startswith(site.isso.url + "?uri=")


# Focus the article's last paragraph, as a reader who has read to the end.
END_OF_TEXT = """() => {
  // The article's text ends the search body (display: contents), which ends right before the skip link.
  const before = document.querySelector("p.kn-comments-skip").previousElementSibling;
  const last = before.classList.contains("kn-search-body") ? before.lastElementChild : before;
  last.tabIndex = -1;
  last.focus();
}"""


def report_cost(urls: list[str]) -> None:
    """What Isso's client adds to an article page once loaded: requests and bytes
    (as served, and gzip-compressed as a web server in front of Isso would)."""
    total = packed = 0
    for url in urls:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
        total += len(body)
        packed += len(gzip.compress(body))
    print(f"\nIsso client cost after „Kommentare laden“: {len(urls)} requests, {total} bytes ({packed} bytes gzip): {urls}")


def record(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def open_thread(page, url: str) -> None:
    page.goto(url)  # loaded: kn-comments-isso.js has run
    page.get_by_role("button", name="Kommentare laden").click()
    page.locator("#isso-thread .isso-postbox").wait_for()


def write(postbox, text: str, name: str | None = None, email: str | None = None) -> None:
    postbox.locator("textarea").fill(text)
    if name:
        postbox.locator("input[name=author]").fill(name)
    if email:
        postbox.locator("input[name=email]").fill(email)
    postbox.locator("input[type=submit]").click()


# -----------------------------------------------------------------------------
# The whole life of a thread: open, comment, reply, approve, close, archive
# -----------------------------------------------------------------------------


def test_isso_thread_from_first_comment_to_static_archive(isso_site, tabs):
    site = isso_site
    url = site.base + OPEN + "/"

    # 1. A first reader, by keyboard: nothing from Isso before „Kommentare laden“,
    #    reached in three Tab presses from the end of the text; then the German form.
    page = tabs.page(locale="de-DE")
    page.add_init_script(CSP_RECORDER)
    requests = record(page)
    page.goto(url)  # loaded: kn-comments-isso.js has run
    assert not [r for r in requests if r.startswith(site.origin)]
    page.evaluate(END_OF_TEXT)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Weiter zu den Kommentaren"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Kommentare laden"
    before = len(requests)
    with page.expect_request(site.isso.url + "js/embed.min.js"), page.expect_response(is_thread(site)):
        page.keyboard.press("Enter")
    postbox = page.locator("#isso-thread .isso-postbox")
    postbox.wait_for()
    page.locator("[data-kn-isso][data-kn-isso-ready]").wait_for(state="attached")  # kn-comments-isso.js: postbox there
    # Not the client's: what the page itself may still ask for after `load` (favicon, Material's sitemap.xml).
    own = tuple(site.base + path for path in ("assets/favicon.svg", "sitemap.xml"))
    report_cost([r for r in requests[before:] if not r.startswith(own)])
    assert page.evaluate("document.activeElement.id") == "isso-thread"
    assert settled_violations(page) == []
    assert postbox.get_by_text("E-Mail (freiwillig, wird nie angezeigt)").is_visible()
    assert postbox.get_by_text("Name (freiwillig)").is_visible()
    assert postbox.locator("#isso-postbox-website").is_hidden()
    assert not [r for r in requests if not r.startswith((site.base, site.isso.url, "data:"))]
    write(postbox, "Danke für den Artikel! Wir haben genau das mit einem **Nachbarbetrieb** erlebt.",
          name="Erika Beispiel", email="erika@beispiel.example")
    page.get_by_text("Ihr Kommentar erscheint, sobald die Redaktion ihn gelesen und freigegeben hat.").wait_for()
    assert settled_violations(page) == []  # posting needs nothing the policy forbids
    assert len(approve_pending(site.isso.url, ADMIN_PASSWORD)) == 1

    # 2. A second reader sees it, remembers the choice and answers.
    page = tabs.page(locale="de-DE")
    page.goto(url)
    page.get_by_label("Entscheidung merken").check()
    page.get_by_role("button", name="Kommentare laden").click()
    first = page.locator("#isso-root > .isso-comment").first
    first.get_by_text("Erika Beispiel").wait_for()
    assert "erika@beispiel.example" not in page.content()
    first.locator(".isso-reply").first.click()
    write(first.locator(".isso-postbox"), "Dem kann ich nur zustimmen, uns ging es ähnlich.", name="Bernd Beispiel")
    page.get_by_text("Ihr Kommentar erscheint, sobald").wait_for()
    assert page.evaluate("localStorage.getItem('kn-isso-consent')") == "ja"
    assert len(approve_pending(site.isso.url, ADMIN_PASSWORD)) == 1

    # 3. Anyone now sees both, the answer under the comment it answers.
    page = tabs.page(locale="de-DE")
    open_thread(page, url)
    reply = page.locator("#isso-root > .isso-comment .isso-follow-up .isso-comment")
    reply.get_by_text("Bernd Beispiel").wait_for()
    assert "uns ging es ähnlich" in reply.inner_text()

    # 4. Closing: archive, twice; the second run changes nothing.
    site.close(OPEN)
    first_run = site.archive("--isso", site.isso.url)
    assert first_run.returncode == 0, first_run.stdout + first_run.stderr
    target = site.project.root / "data" / "comments" / f"{OPEN}.yml"
    assert f"data/comments/{OPEN}.yml: 2 Kommentare aus Isso archiviert" in first_run.stdout
    text = target.read_text(encoding="utf-8")
    second_run = site.archive("--isso", site.isso.url)
    assert second_run.returncode == 0 and "unverändert (2 Kommentare)" in second_run.stdout
    assert target.read_text(encoding="utf-8") == text
    entries = yaml.safe_load(text)
    assert [set(e) for e in entries] == [{"author", "date", "text"}, {"author", "date", "reply_to", "text"}]
    assert entries[0]["author"] == "Erika Beispiel" and entries[1]["reply_to"] == 1
    assert "beispiel.example" not in text and "127.0.0" not in text

    # 5. The static page: both comments, threaded, the closed sentence, nothing from Isso.
    built = site.build()
    section = built.page(f"{OPEN}/").select_one("section.kn-comments")
    assert section.select_one(".kn-comments__closed").get_text() == CLOSED_NOTICE
    top = section.select("ol.kn-comments__list > li.kn-comment")
    assert "Erika Beispiel" in top[0].select_one(".kn-comment__author").get_text()
    nested = top[0].select_one("ol.kn-comments__list--replies li.kn-comment")
    assert "Bernd Beispiel" in nested.get_text() and "Antwort an" in nested.get_text()
    assert "isso" not in str(built.page(f"{OPEN}/").select_one("head meta[http-equiv]"))
    page = tabs.page()
    requests = record(page)
    page.goto(url)  # loaded: every script of the page has run
    assert page.get_by_text(CLOSED_NOTICE).is_visible()
    assert page.get_by_text("Dem kann ich nur zustimmen").is_visible()
    assert not [r for r in requests if not r.startswith((site.base, "data:"))]


def post(site: IssoSite, thread: str, data: dict) -> dict:
    """A comment sent to Isso's API as a browser on the site would."""
    request = urllib.request.Request(
        site.isso.url + "new?uri=" + thread, data=json.dumps(data).encode(), method="POST",
        headers={"Content-Type": "application/json", "Origin": site.web.base, "Referer": site.base},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_hostile_comment_through_isso_ends_up_inert_in_the_archive(isso_site, tabs):
    site = isso_site
    thread = "/" + HOSTILE + "/"
    post(site, thread, {"text": EVIL_TEXT, "author": EVIL_AUTHOR, "email": "boese@beispiel.example",
                        "website": "https://boese.example/", "title": "Feindliche Kommentare"})
    assert approve_pending(site.isso.url, ADMIN_PASSWORD)
    site.close(HOSTILE)
    # This time from the SQLite file itself (read-only).
    result = site.archive("--datenbank", str(site.isso.db))
    assert result.returncode == 0, result.stdout + result.stderr
    text = (site.project.root / "data" / "comments" / f"{HOSTILE}.yml").read_text(encoding="utf-8")
    assert "boese@beispiel.example" not in text and "boese.example/" not in text and "website" not in text
    built = site.build()
    section = built.page(f"{HOSTILE}/").select_one("section.kn-comments")
    assert section.select_one(".kn-comments__closed")
    comment = section.select_one("li.kn-comment")
    assert comment.find("script") is None and comment.find("img") is None and comment.find("b") is None
    assert not [tag for tag in comment.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert not [a for a in comment.find_all("a") if "javascript" in (a.get("href") or "").lower()]
    assert "Mallory" in comment.select_one(".kn-comment__author").get_text()
    page = tabs.page()
    page.goto(site.base + HOSTILE + "/")  # loaded: anything in the page would have run
    for link in page.locator(".kn-comment a:not([href])").all():  # the neutralised javascript: links
        link.click()
    assert page.evaluate("window.__knPwned === undefined")


def test_open_article_policy_allows_isso_only_for_script_and_api(isso_site):
    site = isso_site
    html = (site.project.root / "site" / SERIES / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert site.origin not in soup.select_one("meta[http-equiv]")["content"]


def test_blocked_isso_shows_the_german_message_and_the_email_box(isso_site, tabs):
    site = isso_site
    page = tabs.page()
    page.route(site.isso.url + "**", lambda route: route.abort("blockedbyclient"))
    page.goto(site.base + SERIES + "/isso-offen-zwei/")
    page.get_by_role("button", name="Kommentare laden").click()
    message = page.locator("[data-kn-isso-fallback]")
    message.get_by_text("Die Kommentare konnten nicht geladen werden.").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-kn-isso-fallback')")
    mail = message.get_by_role("link", name="redaktion@kooperation-netzwerke.example")
    href = mail.get_attribute("href")
    assert href.startswith("mailto:redaktion@kooperation-netzwerke.example?subject=")
    assert urllib.parse.unquote(href.split("subject=", 1)[1]) == "Kommentar zu „Zweiter offener Artikel & <Test>“"
    assert "mit Ihrer Einwilligung" in message.inner_text()


def test_without_javascript_the_email_box_stands_in(isso_site, tabs):
    page = tabs.page(java_script_enabled=False)
    page.goto(isso_site.base + SERIES + "/isso-offen-zwei/")
    # Playwright's text and role locators skip <noscript>: read what the reader sees.
    text = page.locator(".kn-comments").inner_text()
    assert "Zum Lesen und Schreiben der Kommentare hier wird JavaScript benötigt." in text
    assert "Schreiben Sie der Redaktion eine E-Mail an redaktion@kooperation-netzwerke.example" in text
    assert page.locator(".kn-comments noscript a[href^='mailto:']").is_visible()


def test_revoking_forgets_consent_and_what_isso_kept(isso_site, tabs):
    site = isso_site
    url = site.base + SERIES + "/isso-offen-zwei/"
    page = tabs.page()
    page.goto(url)
    page.get_by_label("Entscheidung merken").check()
    page.get_by_role("button", name="Kommentare laden").click()
    postbox = page.locator("#isso-thread .isso-postbox")
    postbox.wait_for()
    write(postbox, "Ein Kommentar, damit Isso sich Name und Adresse merkt.", name="Dora", email="dora@beispiel.example")
    page.get_by_text("Ihr Kommentar erscheint, sobald").wait_for()
    stored = "['kn-isso-consent', 'isso-author', 'isso-email'].map(k => localStorage.getItem(k))"
    assert page.evaluate(stored) == ["ja", '"Dora"', '"dora@beispiel.example"']
    assert "isso-" in page.evaluate("document.cookie")  # the edit cookie
    with page.expect_navigation():
        page.get_by_role("button", name="Zustimmung widerrufen").click()
    requests = record(page)
    page.reload()  # loaded: kn-comments-isso.js has run (and would have asked Isso)
    assert page.evaluate(stored) == [None, None, None]
    assert "isso-" not in page.evaluate("document.cookie")
    assert not [r for r in requests if r.startswith(site.origin)]


def test_archive_command_reports_bad_sources_in_german(isso_site, tmp_path):
    site = isso_site
    missing = site.archive("--datenbank", str(tmp_path / "gibt-es-nicht.db"))
    assert missing.returncode == 2 and "Die Isso-Datenbank" in missing.stderr and "Traceback" not in missing.stderr
    down = site.archive("--isso", "http://127.0.0.1:9/")
    assert down.returncode == 1 and "Nichts geändert" in down.stderr and "Traceback" not in down.stderr
    bad = site.archive("--isso", "kommentare.example")
    assert bad.returncode == 2 and "keine gültige Adresse" in bad.stderr


def test_archived_comments_of_an_open_article_move_into_isso(isso_site):
    site = isso_site
    path = f"{SERIES}/isso-import"
    site.project.write(f"docs/{path}.md", article("Importiert und offen", comments="open", date="2026-11-28"))
    site.project.write(f"data/comments/{path}.yml", (
        "- author: Alte Leserin\n  date: 2019-05-04 10:30:00\n  text: Aus dem alten Blog.\n"
        "- author: Redaktion\n  date: 2019-05-05\n  reply_to: 1\n  text: Danke!\n"
    ))
    result = site.archive("--nach-isso", "--datenbank", str(site.isso.db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"data/comments/{path}.yml: 2 Kommentare nach Isso übertragen" in result.stdout
    assert not (site.project.root / "data" / "comments" / f"{path}.yml").exists()
    with urllib.request.urlopen(site.isso.url + f"?uri=/{path}/&plain=1", timeout=10) as response:
        thread = json.load(response)
    first = thread["replies"][0]
    assert first["author"] == "Alte Leserin" and first["text"] == "Aus dem alten Blog."
    assert first["replies"][0]["author"] == "Redaktion"
    again = site.archive("--nach-isso", "--datenbank", str(site.isso.db))
    assert "Keine archivierten Kommentare" in again.stdout
