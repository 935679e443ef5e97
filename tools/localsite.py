"""The site on this machine, for the tests and the tools: copy its sources,
serve a built site on 127.0.0.1, and start the system Chromium the same way.

Used by tests/conftest.py, tools/audit.py and tools/benchmark.py, so that
there is one static server and one list of Chromium flags.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a build reads: config, content, templates, hooks, data files.
SITE_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks", "data")

CHROMIUM = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
# Chromium runs as root here, headless, and must not phone home. Playwright
# adds --headless itself; Lighthouse needs it in its --chrome-flags.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Served gzip-compressed when the browser asks for it, as GitHub Pages and
# most hosts do; without it Lighthouse would measure our test server's
# uncompressed CSS/JS rather than the site.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


# The purpose-built site of the product tests: its own docs/ and data/.
DEMO = ROOT / "tests" / "sites" / "demo"
# What belongs to the product, not to the content: kept from the repository
# when a site is built on other content (`copy_sources(..., content=DEMO)`).
PRODUCT_PARTS = ("docs/assets", "docs/impressum.md", "docs/datenschutz.md", "data/fonts")


def _copy(src: Path, dest: Path) -> None:
    if src.is_dir():
        # With Python's compiled files: copy2 keeps each source's time, so they stay valid
        # (a source changed in the copy is compiled again).
        shutil.copytree(src, dest, dirs_exist_ok=True)
    elif src.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)


def copy_sources(target: Path, content: Path | None = None) -> Path:
    """Copy what a build reads (config, docs, overrides, hooks, data) to `target`.

    With `content`, docs/ and data/ come from that folder (e.g. DEMO, the test
    site) and only the product's parts of them (PRODUCT_PARTS) from the repository.
    """
    target.mkdir(parents=True)
    for part in SITE_PARTS:
        if content is not None and part in ("docs", "data"):
            _copy(content / part, target / part)
        else:
            _copy(ROOT / part, target / part)
    if content is not None:
        for part in PRODUCT_PARTS:
            _copy(ROOT / part, target / part)
    return target


def demo_site(target: Path) -> Path:
    """The test site (tests/sites/demo) with the repository's config, hooks and
    templates, and the invented example comments: what product tests build."""
    copy_sources(target, content=DEMO)
    copy_example_comments(target)
    return target

def article(title: str = "Ein Testartikel", **fields: str) -> str:
    """Markdown of a valid article; keyword arguments replace front-matter lines
    (value None drops the field, a key ending in '_raw' is written verbatim)."""
    meta = {
        "title": title,
        "description": "Ein kurzer Satz über den Artikel.",
        "date": "2026-11-20",
        "tags": "[Partnersuche]",
        "comments": "closed",
        "authors": "[redaktion]",
    }
    meta.update(fields)
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\nEin Absatz mit Text.\n"


def copy_example_comments(target: Path) -> None:
    """Copy the invented example comments (tests/fixtures/comments/) into the
    data/comments/ folder of a temporary site: they are never published."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "comments", target / "data" / "comments", dirs_exist_ok=True)


# The build's own caches of drawn files (hooks/kn/render/social.py, hooks/kn/publish/
# checklist_pdf.py): each file is named by a hash of everything that changes it, so a
# file drawn for one copy of a site is right for every other copy that needs it.
DRAWN_CACHES = (".cache/social-images", ".cache/checklist-pdfs", ".cache/templates")
# Where the tests share those files between their many copies of the test site
# (tests/conftest.py sets it; unset or empty: every copy draws its own).
SHARED_CACHE_ENV = "KN_TEST_CACHE"


def build(project: Path, site_dir: Path, *extra: str, shared_cache: bool = True) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` on a project folder.

    With $KN_TEST_CACHE set and `shared_cache`, a project without caches of
    its own starts with the preview images and checklist PDFs drawn for
    earlier copies (`seed_drawn`), and what this build drew is kept for later
    ones (`keep_drawn`): the build itself runs unchanged, it only finds more
    in its cache. A test of the cache passes `shared_cache=False`."""
    assert BUILDS_ALLOWED, "a test of the fast layer (unit) runs a build: mark it `build` (tests/conftest.py layer_of)"
    env = build_env(project)
    args = ["build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir), *extra]
    with shared_drawn(project, enabled=shared_cache):
        if _build_server is not None:
            return _build_server.run(args, cwd=project, env=env, timeout=300)
        return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, env=env, capture_output=True, text=True, timeout=300)


# tests/conftest.py sets this to False during the setup of a `unit` test.
BUILDS_ALLOWED = True


def build_env(project: Path) -> dict[str, str]:
    """The environment of a build of `project`: ours, without MkDocs 2's notice,
    with the copy's own build code first on the path, as in the owner's
    checkout (there the editable install points to it), so that `kn` is
    imported once, from the copy."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join([str(project / "hooks"), *filter(None, [env.get("PYTHONPATH")])])
    return env


class BuildServer:
    """tools/buildserver.py for this process: `run` is `subprocess.run` of
    `python -m mkdocs <args>`, in a child forked from a preloaded Python."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def run(self, args: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
        request = json.dumps({"args": args, "cwd": str(cwd), "env": env, "timeout": timeout})
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "tools.buildserver"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    text=True, encoding="utf-8",
                )
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.write(request + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("tools/buildserver.py ended without an answer")
        answer = json.loads(line)
        command = [sys.executable, "-m", "mkdocs", *args]
        if answer.get("timeout"):
            raise subprocess.TimeoutExpired(command, timeout)
        return subprocess.CompletedProcess(command, answer["returncode"], answer["stdout"], answer["stderr"])

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()


_build_server: BuildServer | None = None


def use_build_server() -> None:
    """Let `build` fork its builds from one preloaded process (tools/buildserver.py):
    for the tests, which build many small sites. Ends with this process."""
    global _build_server
    if _build_server is None:
        _build_server = BuildServer()
        atexit.register(_build_server.close)


@contextlib.contextmanager
def shared_drawn(project: Path, *, enabled: bool = True, keep: bool = True) -> Iterator[None]:
    """Around anything that builds `project` (`build`, a tool, `mkdocs serve`):
    with $KN_TEST_CACHE set, seed its caches before and, once it has ended
    normally, keep what it drew. `keep=False` for a process that is stopped
    from outside (`mkdocs serve`: a file it was drawing may be cut short)."""
    shared = os.environ.get(SHARED_CACHE_ENV, "").strip()
    store = Path(shared) if shared and enabled else None
    if store is not None:
        seed_drawn(store, project)
    yield
    if store is not None and keep:
        keep_drawn(project, store)


def _drawn_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and not path.name.endswith(".tmp")] if folder.is_dir() else []


def seed_drawn(store: Path, project: Path) -> None:
    """Hard-link the shared drawn files into a project that has no caches yet
    (the build removes the ones it does not use; it never writes into a cached
    image or PDF, only new ones beside them)."""
    for cache in DRAWN_CACHES:
        target, source = project / cache, store / Path(cache).name
        if target.exists() or not source.is_dir():
            continue
        for path in _drawn_files(source):
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                if path.suffix in (".png", ".pdf"):
                    os.link(path, dest)
                else:  # a small note the build may rewrite (the page count of a PDF)
                    shutil.copyfile(path, dest)
            except FileNotFoundError:  # removed meanwhile by another session's clean-up
                continue
            except OSError:
                shutil.copyfile(path, dest)


def keep_drawn(project: Path, store: Path) -> None:
    """Copy what the project's caches hold and the store lacks into the store
    (a copy under a temporary name, then renamed: workers share the store)."""
    for cache in DRAWN_CACHES:
        source, target = project / cache, store / Path(cache).name
        for path in _drawn_files(source):
            dest = target / path.relative_to(source)
            if dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            temporary = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
            shutil.copyfile(path, temporary)
            os.replace(temporary, dest)


_GZIPPED: dict[tuple[str, int, int], bytes] = {}  # (path, mtime, size) -> compressed


def _gzipped(path: Path) -> bytes:
    """A file's bytes compressed with gzip, once per version of the file (every
    page load asks for the same stylesheets and scripts)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _GZIPPED:
        if len(_GZIPPED) > 2000:
            _GZIPPED.clear()
        _GZIPPED[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
    return _GZIPPED[key]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without log lines, text compressed with gzip on request."""

    def log_message(self, format: str, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and ctype.startswith(GZIP_TYPES)):
            return super().send_head()
        body = _gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        # As deploy/nginx.conf (`expires 7d`): styles, scripts and images under
        # assets/ are kept by the browser, so a test's later page loads ask the
        # server only for the page itself (the page's request events still fire;
        # tests/browsertab.py empties the cache between two tests).
        if self.path.startswith("/assets/"):
            self.send_header("Cache-Control", "max-age=604800")
        super().end_headers()

    def list_directory(self, path):
        # A folder without index.html is a missing page, not a file listing.
        self.send_error(404, "File not found")
        return None


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that closes a connection early (Lighthouse, a page left
        # mid-download) is no error of the site: do not print a traceback.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class SiteServer:
    """A built site on http://127.0.0.1:<free port>/, served from a thread.

    Use it as a context manager, or call `start()` and `shutdown()`.
    """

    def __init__(self, site_dir: Path) -> None:
        handler = functools.partial(QuietHandler, directory=str(site_dir))
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # A short poll: `shutdown` waits for the loop to notice (0.5 s by default, at every test's end).
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def shutdown(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def url(self, page: str) -> str:
        return self.base + urllib.parse.quote(page)


def serve(directory: Path) -> tuple[SiteServer, str]:
    """Serve a folder on 127.0.0.1 in a background thread; return (server, base URL ending in /)."""
    server = SiteServer(directory).start()
    return server, server.base + "/"


def entry_without(project: Path, name: str, module: str, steps: tuple[str, ...]) -> str:
    """Write hooks/<name>.py: the build's entry module with the steps `steps` of
    `module` left out (kn/pipeline.py looks each step up when it runs it), for
    the cost of one part alone; return the line for `hooks:` in mkdocs.yml."""
    package, _, leaf = module.rpartition(".")
    (project / "hooks" / f"{name}.py").write_text(
        # main first: it makes sure `kn` is this project's (hooks/main.py, _own_kn).
        "from main import *  # noqa: F403\n"
        f"from {package} import {leaf}\n\n"
        f"for _name in {steps!r}:\n"
        f"    getattr({leaf}, _name)  # a step that was renamed fails here, not silently\n"
        f"    setattr({leaf}, _name, lambda *args, **kwargs: None)\n", encoding="utf-8")
    return f"  - hooks/{name}.py\n"
