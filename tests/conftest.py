"""Shared fixtures: the test site (tests/sites/demo, built once per session with
the repository's config, hooks and templates), small copies of it with one
defect each for the negative tests, and the test layers.

Product tests never read the real docs/: what they expect comes from the test
site or from files they write themselves. The owner's content is checked by
`make pruefen` (tools/pruefen.py), not here.

Layers (pytest.ini): `unit` (pure functions, no build), `build` (runs a build),
`browser` (Chromium). A test without a marker gets one from the fixtures it
uses: browser/tabs/browser_page/site_url/fixture_url -> browser,
site/project/fixture_site/..._site/..._build -> build, else unit; a unit test
that builds fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# pytest.ini puts the repository root and hooks/ on sys.path: tests import the
# tools (`from tools import audit`) and the build code, the package `kn` (`from kn import registry`).
from kn.read.articles import RESERVED
from kn.schema import split_front_matter
from tests.browsertab import Tabs
from tools import localsite
from tools.localsite import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO,
    ROOT,
    SHARED_CACHE_ENV,
    article,
    build,
    copy_example_comments,
    copy_sources,
    demo_site,
    serve,
    use_build_server,
)

__all__ = [  # used by the test modules
    "CHROMIUM", "CHROMIUM_ARGS", "DEMO", "article", "build", "copy_example_comments", "copy_sources", "demo_site", "serve",
]

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The content the product tests build: tests/sites/demo/docs (never ROOT / "docs").
DOCS = DEMO / "docs"


def series_folders(docs: Path = DOCS) -> list[str]:
    """Every series of the site: a folder under docs/ with an index.md."""
    return sorted(p.parent.name for p in docs.glob("*/index.md") if p.parent.name not in RESERVED)


def article_url(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}/"


def is_draft(path: Path) -> bool:
    meta, _body, _problems = split_front_matter(path.name, path.read_text(encoding="utf-8"))
    return bool(meta.get("draft"))


# The test site's checklists, series and published articles (drafts apart).
CHECKLISTS = sorted(p.stem for p in (DOCS / "checklisten").glob("*.md") if p.stem != "index")
SERIES = series_folders()
_SOURCES = sorted(p for s in SERIES for p in (DOCS / s).glob("*.md") if p.stem != "index")
ARTICLES = [p for p in _SOURCES if not is_draft(p)]
DRAFTS = [p for p in _SOURCES if is_draft(p)]


def normalise(base: str, href: str) -> str:
    """A relative href on the page at `base`, as a URL from the site root."""
    parts = [p for p in base.split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + "/"


def checklist_includes() -> dict[str, list[str]]:
    """checklist name -> URLs of the articles that include it (from the sources)."""
    found: dict[str, list[str]] = {name: [] for name in CHECKLISTS}
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        for name in CHECKLISTS:
            if f'--8<-- "checklisten/{name}.md"' in text:
                found[name].append(article_url(path))
    return found




def require_tool(name: str) -> str:
    """Path of a system tool; skip without it, but fail on CI, which must have it."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is missing on CI: .ci/run must install it")
    pytest.skip(f"{name} is not installed (apt-get install it to run this test)")


class Site:
    """A built site: parse its pages by URL."""

    def __init__(self, root: Path, output: str) -> None:
        self.root = root
        self.output = output
        self._cache: dict[str, BeautifulSoup] = {}

    def path(self, url: str) -> Path:
        url = url.strip("/")
        target = self.root / url
        return target if target.suffix else target / "index.html"

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def page(self, url: str) -> BeautifulSoup:
        if url not in self._cache:
            self._cache[url] = BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")
        return self._cache[url]

    def html_pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """The test site (tests/sites/demo), built once with `mkdocs build --strict`."""
    root = demo_site(tmp_path_factory.mktemp("demo") / "project")
    out = root / "site"
    result = build(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(out, result.stdout + result.stderr)


class Project:
    """A copy of the test site (config, hooks and templates of the repository,
    content of tests/sites/demo) in a temporary folder, to change or break on
    purpose. `content=ROOT` copies the repository's own docs/ and data/ instead
    (only for tools that must work on the owner's site)."""

    def __init__(self, root: Path, content: Path = DEMO) -> None:
        self.root = demo_site(root) if content == DEMO else copy_sources(root, content=None if content == ROOT else content)

    def write(self, relpath: str, text: str) -> Path:
        target = self.root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def read(self, relpath: str) -> str:
        return (self.root / relpath).read_text(encoding="utf-8")

    def replace(self, relpath: str, old: str, new: str) -> None:
        text = self.read(relpath)
        assert old in text, f"{old!r} not in {relpath}"
        self.write(relpath, text.replace(old, new, 1))

    def clear_series(self, *, checklists: bool = False) -> None:
        """Remove the demo site's series and their archived comments (and with
        `checklists` its checklists), for a test that writes its own content."""
        docs = self.root / "docs"
        for index in docs.glob("*/index.md"):
            if index.parent.name not in {"checklisten", "tags"}:
                shutil.rmtree(index.parent)
        shutil.rmtree(self.root / "data" / "comments", ignore_errors=True)
        if checklists:
            for path in (docs / "checklisten").glob("*.md"):
                if path.name != "index.md":
                    path.unlink()

    def remove(self, relpath: str) -> None:
        (self.root / relpath).unlink()

    def build(self, *extra: str, shared_cache: bool = True) -> tuple[subprocess.CompletedProcess, Site]:
        """`mkdocs build --strict`; `shared_cache=False` for a test of the
        build's own caches (a first build then draws everything itself)."""
        out = self.root / "site"
        result = build(self.root, out, *extra, shared_cache=shared_cache)
        return result, Site(out, result.stdout + result.stderr)


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "project")




def assert_fails(result: subprocess.CompletedProcess, *needles: str) -> str:
    """The build failed, and its output names every needle."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"build should have failed:\n{output}"
    for needle in needles:
        assert needle in output, f"{needle!r} not in build output:\n{output}"
    return output


def problem_lines(output: str, src: str, marker: str = "Fehler in ") -> str:
    """The lines of a failed build's output about one file (`marker` before
    its quoted name; "" for every line that names it)."""
    return "\n".join(line for line in output.splitlines() if f"{marker}'{src}'" in line)


def assert_problem_of(result: subprocess.CompletedProcess, src: str, *needles: str, marker: str = "Fehler in ") -> str:
    """The build failed, and its lines about `src` name every needle: one
    failing build can check several bad files, each test its own."""
    output = assert_fails(result, f"{marker}'{src}'")
    lines = problem_lines(output, src, marker)
    for needle in needles:
        assert needle in lines, f"{needle!r} not in the lines about {src}:\n{output}"
    return output


# -----------------------------------------------------------------------------
# Real browser: the system Chromium driven by Playwright, pages served on 127.0.0.1
# (tools/localsite.py: the static server and the Chromium flags)
# -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_url(site):
    """Base URL of the built site, served on 127.0.0.1."""
    server, url = serve(site.root)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def fixture_url(fixture_site):
    """Base URL of the requesting test module's own `fixture_site`, served on 127.0.0.1."""
    server, url = serve(fixture_site.root)
    yield url
    server.shutdown()


# CSP violations in the browser: CSP_RECORDER (an init script) records them from
# the first moment of every document (Playwright runs init scripts in workers
# too, where there is no document); `settled_violations` returns all of them
# once reported, instead of waiting a fixed time or for "networkidle": the
# browser reports violations in order, so once a probe's own is in (a hidden
# button with an inline handler, clicked and removed) every earlier one is in
# window.__csp too; the probe's is taken out.
CSP_RECORDER = """
if (typeof document !== "undefined") {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", function (e) {
    window.__csp.push(e.violatedDirective + " " + e.blockedURI);
  });
}
"""
SETTLED_VIOLATIONS = """() => new Promise((resolve, reject) => {
  const probe = document.createElement("button");
  probe.hidden = true;
  document.body.append(probe);
  document.addEventListener("securitypolicyviolation", function seen(event) {
    if (event.target !== probe) return;
    document.removeEventListener("securitypolicyviolation", seen);
    probe.remove();
    window.__csp.pop();
    resolve(window.__csp.slice());
  });
  setTimeout(() => reject(new Error("the probe's own violation was never reported")), 10000);
  probe.setAttribute("onclick", "void 0");
  probe.click();
})"""


def settled_violations(page) -> list[str]:
    """Every CSP violation of `page` so far (CSP_RECORDER must be installed)."""
    return page.evaluate(SETTLED_VIOLATIONS)


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium (no browser download: there is no internet)."""
    if not Path(CHROMIUM).exists():
        require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def tabs(browser):
    """`tabs.page(**options)`: a page as in `browser.new_context(**options)`,
    from one kept open for those options but the viewport and media features,
    which are set on the page (tests/browsertab.py: a new page costs as much as
    three page loads)."""
    kept = Tabs(browser)
    yield kept
    kept.close()


@pytest.fixture
def browser_page(tabs):
    """A page as in a new browser context (nothing stored, no handlers, no routes)."""
    return tabs.page()


# -----------------------------------------------------------------------------
# Layers: unit, build, browser (registered in pytest.ini)
# -----------------------------------------------------------------------------

LAYERS = ("unit", "build", "browser")
BROWSER_FIXTURES = {"browser", "tabs", "browser_page", "site_url", "fixture_url"}
BUILD_FIXTURES = {"site", "project", "fixture_site", "two_series", "tag_site", "imported", "built"}


def layer_of(item: pytest.Item) -> str:
    """The layer a test belongs to: its own marker, else from its fixtures."""
    for layer in LAYERS:
        if item.get_closest_marker(layer):
            return layer
    names = set(getattr(item, "fixturenames", ()))
    if names & BROWSER_FIXTURES:
        return "browser"
    if names & BUILD_FIXTURES or any(n.endswith(("_site", "_build")) or n.startswith("built") for n in names):
        return "build"
    return "unit"


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        layer = layer_of(item)
        if not item.get_closest_marker(layer):
            item.add_marker(getattr(pytest.mark, layer))
    order_files_longest_first(config, items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A test of the fast layer never builds: `build` fails in its setup and
    call (a fixture that builds under a name `layer_of` does not know would
    otherwise make its tests `unit` without anyone noticing)."""
    localsite.BUILDS_ALLOWED = layer_of(item) != "unit"
    try:
        return (yield)
    finally:
        localsite.BUILDS_ALLOWED = True


# -----------------------------------------------------------------------------
# Speed: with `pytest -n auto --dist loadfile --no-loadscope-reorder` (make test)
# each worker takes the next test file when it is done; the longest files go
# first, so that no worker is left running a long file while the other waits.
# How long a file took is remembered from the last run (pytest's cache), else
# taken from tests/file-seconds.json (measured once, for a fresh clone and CI;
# only an order, never a limit), else estimated from the file's layers.
# -----------------------------------------------------------------------------

FILE_SECONDS = "kn/seconds-per-file"
FILE_SECONDS_HINTS = Path(__file__).resolve().parent / "file-seconds.json"
ESTIMATE = {"browser": 2.0, "build": 1.0, "unit": 0.01}  # seconds per test of a file never measured


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def order_files_longest_first(config, items) -> None:
    cache = getattr(config, "cache", None)
    measured = json.loads(FILE_SECONDS_HINTS.read_text(encoding="utf-8")) if FILE_SECONDS_HINTS.is_file() else {}
    measured.update(cache.get(FILE_SECONDS, {}) if cache is not None else {})
    estimate: dict[str, float] = {}
    for item in items:
        file = _file_of(item.nodeid)
        estimate[file] = estimate.get(file, 0.0) + ESTIMATE[layer_of(item)]
    weight = {file: measured.get(file, seconds) for file, seconds in estimate.items()}
    first_seen = {file: number for number, file in enumerate(dict.fromkeys(_file_of(i.nodeid) for i in items))}
    items.sort(key=lambda item: (-weight[_file_of(item.nodeid)], first_seen[_file_of(item.nodeid)]))


_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report) -> None:
    _seconds[_file_of(report.nodeid)] = _seconds.get(_file_of(report.nodeid), 0.0) + report.duration


def _remember_file_seconds(session) -> None:
    cache, option = getattr(session.config, "cache", None), getattr(session.config, "option", None)
    if cache is None or hasattr(session.config, "workerinput") or not _seconds:
        return
    if getattr(option, "markexpr", "") or getattr(option, "keyword", ""):
        return  # part of a file's tests only: not its time
    known = cache.get(FILE_SECONDS, {})
    known.update({file: round(seconds, 2) for file, seconds in _seconds.items()})
    cache.set(FILE_SECONDS, known)


# -----------------------------------------------------------------------------
# Speed: the copies of the test site share their drawn preview images and
# checklist PDFs (tools/localsite.py `build`, named by a hash of everything
# that changes them), across workers and runs, in .cache/test-builds/.
# KN_TEST_CACHE= (empty) switches it off; files older than 30 days are removed
# (and drawn again where a test needs them).
# -----------------------------------------------------------------------------

SHARED_CACHE = ROOT / ".cache" / "test-builds"
SHARED_CACHE_DAYS = 30


def pytest_configure(config) -> None:
    os.environ.setdefault(SHARED_CACHE_ENV, str(SHARED_CACHE))
    # Builds fork from one preloaded Python per test process (tools/buildserver.py).
    use_build_server()
    store = os.environ[SHARED_CACHE_ENV]
    if store and not hasattr(config, "workerinput"):  # once, in the controller
        limit = time.time() - SHARED_CACHE_DAYS * 86400
        for path in Path(store).rglob("*"):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)


def pytest_sessionfinish(session, exitstatus) -> None:
    """Remember each file's time (see `order_files_longest_first`). With
    $KN_STATUS_DIR set (the pull-request workflow), record whether the
    product tests passed, for tools/pr_summary.py („der Code der Website“)."""
    _remember_file_seconds(session)
    folder = os.environ.get("KN_STATUS_DIR")
    if folder and not hasattr(session.config, "workerinput"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "produkt").write_text("ok\n" if exitstatus == 0 else "fehler\n", encoding="utf-8")
