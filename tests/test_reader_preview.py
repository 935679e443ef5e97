"""The pull-request preview opens by double-click: built with file addresses
(KN_DIRECTORY_URLS=false), every relative link of every page names a file
(hooks/kn/publish/preview.py), the search says in German that it needs a server
(assets/kn-datei.js), and the PR summary says how to open it."""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kn.publish.preview import file_links
from tests.reader_fixtures import fixture_project
from tools.localsite import ROOT, shared_drawn

FILES = {"index.html", "tags/index.html", "impressum.html", "reihe/index.html", "reihe/x.html", "archiv.html"}


@pytest.mark.unit
@pytest.mark.parametrize(("href", "expected"), [
    ("../", "../index.html"), ("../tags/", "../tags/index.html"), ("../impressum/", "../impressum.html"),
    ("./", "./index.html"), (".", "./index.html"), ("../tags/#k", "../tags/index.html#k"), ("../archiv/", "../archiv.html"),
    ("#x", "#x"), ("", ""), ("x.html", "x.html"), ("https://example.org/", "https://example.org/"),
    ("/kooperation-netzwerke/", "/kooperation-netzwerke/"), ("../nix/", "../nix/"), ("mailto:a@b.example", "mailto:a@b.example"),
])
def test_folder_links_become_file_links(href, expected):
    html = f'<a href="{href}">x</a>'
    assert file_links(html, "reihe", lambda path: path in FILES) == f'<a href="{expected}">x</a>'


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The preview as the pull-request workflow builds it (.github/workflows/test.yml):
    `python -m tools.pr_summary --site-dir …` with KN_DIRECTORY_URLS=false, here on
    a site of 12 articles in pages of 5 with one new article. One build gives the
    summary's text (test_summary_…) and the built files (the other tests)."""
    project = fixture_project(tmp_path_factory.mktemp("preview") / "p", 12, page_size=5, drop_hooks=("social",))
    out = project / "site"
    env = dict(os.environ, KN_DIRECTORY_URLS="false", NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_STEP_SUMMARY", None)
    with shared_drawn(project):
        result = subprocess.run(
            [sys.executable, "-m", "tools.pr_summary", "--config", str(project / "mkdocs.yml"), "--site-dir", str(out),
             "A\tdocs/probe-reihe/artikel-0001.md"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 0, result.stderr
    # The summary says the strict build passed (it names every problem or warning otherwise).
    assert "**Alles in Ordnung:**" in result.stdout, result.stdout + result.stderr
    return project, out, result


def relative_targets(path: Path, root: Path) -> list[tuple[str, str]]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    folder = path.parent.relative_to(root).as_posix()
    found = []
    for tag in soup.find_all(["a", "link", "script", "img"]):
        value = tag.get("href") or tag.get("src")
        if not value or value.startswith(("#", "/", "mailto:")) or "://" in value or tag.get("rel") == ["canonical"]:
            continue
        target = value.split("#", 1)[0].split("?", 1)[0]
        if target:
            found.append((value, posixpath.normpath(posixpath.join(folder, target))))
    return found


@pytest.mark.build
def test_every_relative_link_names_a_file(preview):
    _project, out, _summary = preview
    pages = sorted(out.rglob("*.html"))
    assert (out / "probe-reihe" / "artikel-0001.html").is_file() and (out / "seite" / "2.html").is_file()
    broken = [(p.relative_to(out).as_posix(), value) for p in pages if p.name != "404.html"
              for value, target in relative_targets(p, out) if not (out / target).is_file()]
    assert broken == []


@pytest.mark.build
def test_paging_and_tag_feeds_work_with_file_addresses(preview):
    _project, out, _summary = preview
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".kn-pager a[rel=next]")["href"] == "seite/2.html"
    tag = BeautifulSoup((out / "tags" / "vertrauen.html").read_text(encoding="utf-8"), "html.parser")
    assert tag.find("a", string="Feed zu diesem Thema abonnieren")["href"] == "vertrauen/feed.xml"
    assert (out / "tags" / "vertrauen" / "feed.xml").is_file()


@pytest.mark.browser
def test_unpacked_preview_opens_by_double_click(preview, tabs):
    _project, out, _summary = preview
    for width in (390, 1280):
        page = tabs.page(viewport={"width": width, "height": 800})
        page.goto((out / "index.html").as_uri())
        hint = page.locator(".kn-datei-hinweis")
        assert hint.is_visible() and "Die Suche braucht einen Webserver" in hint.inner_text()
        assert page.locator(".md-search__input").is_disabled()
        page.locator(".kn-list__title", has_text="Artikel 1 über Vertrauen").click()
        page.wait_for_url("**/probe-reihe/artikel-0001.html")
        page.locator("a.md-tag", has_text="Vertrauen").first.click()
        page.wait_for_url("**/tags/vertrauen.html")
        page.locator(".kn-pager a[rel=next]").click()
        page.wait_for_url("**/tags/vertrauen/seite/2.html")
        assert page.locator("h1").inner_text().startswith("Vertrauen – Seite 2")


@pytest.mark.build
def test_summary_says_double_click_and_names_the_file(preview):
    _project, out, result = preview
    assert result.returncode == 0, result.stderr
    assert "Im entpackten Ordner `index.html` doppelt anklicken." in result.stdout
    assert "- „Artikel 1 über Vertrauen“: `probe-reihe/artikel-0001.html`" in result.stdout
    assert "http.server" not in result.stdout
    assert (out / "probe-reihe" / "artikel-0001.html").is_file()
