"""Search: a Pagefind index of the built site, made as the build's last step.

- `on_page_context`: what a search result shows beside the title – the kind
  of page (Artikel, Checkliste, Reihe, Thema, Startseite, Seite) and the series – as
  `search` of the page's view (hooks/kn/view.py); `overrides/partials/content.html` writes it as
  `data-pagefind-meta` / `data-pagefind-filter` on the element marked
  `data-pagefind-body` (the page's own text: title, lead, Markdown content).
  Pages without that element (404, redirects, the Impressum) and drafts
  (which only `mkdocs serve` shows) are not indexed.
- `on_post_page` (templates): each finished page with such a body goes to
  Pagefind's indexing service (PyPI `pagefind`, with the binary of
  `pagefind-bin`, pinned in requirements.txt), a process of its own that reads
  it while MkDocs renders the next pages (on a second core), with German
  stemming forced, leaving out `EXCLUDE` (page furniture inside the body).
- `on_post_build` (publish): the service writes the index into
  `<site>/pagefind/`. This runs for `mkdocs build` and for every rebuild of
  `mkdocs serve`. Drafts are not written by `mkdocs build`, so they are never
  indexed. The index is the same as Pagefind's command line makes of the
  written pages (tests/test_build_shortcuts.py compares the two).

The reader side is `docs/assets/kn-search.js`: it loads `pagefind/pagefind.js`
only when the reader types into the header's search field.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import logging
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from kn import names, registry, view
from kn.render.social import place  # a hard link to a cached file, as for the preview images

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.search")

BUNDLE = "pagefind"  # folder of the index in the built site
LANGUAGE = "de"
# Inside the indexed body but not the page's own text: headline permalinks,
# the article's date line, listings of other articles (start page, series,
# topics) with their headings, a topic's feed links, a checklist's buttons and
# the articles that use it.
EXCLUDE = (
    ".headerlink",
    ".kn-article-meta",
    ".kn-list",
    "[data-kn-art=Thema] h2#artikel",
    "[data-kn-art=Reihe] h2#alle-teile",
    "[data-kn-art=Startseite] h2#neueste-artikel",
    ".kn-tag-links",
    ".kn-checklist__actions",
    ".kn-used-by",
    ".md-tags",
    "[data-kn-search-ignore]",
)
# Parts of the bundle our own script does not use (Pagefind's ready-made UIs).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
          "wasm.unknown.pagefind")  # every page is German: the build-wide fallback is never loaded
ENTRY_FILE = "pagefind-entry.json"  # the last file a complete bundle needs
LAST_BUILD = "last-build.json"  # in the cache: the pages of the last build's index
FRAGMENT_SIGNATURE = b"pagefind_dcd"  # the start of every decompressed fragment
TIMEOUT = 600  # seconds; 1000 articles take a few

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any] | None:
    article = registry.SITE.by_uri.get(page.file.src_uri)
    # A draft (shown only by `mkdocs serve`) is never indexed.
    draft = article is not None and article.draft
    # Generated pages that repeat other pages (later pages of a list, the archive) say `search: {exclude: true}`.
    search = page.meta.get("search")
    excluded = isinstance(search, dict) and search.get("exclude") is True
    view.of(page).search = None if draft or excluded else entry_for(registry.SITE, page.file.src_uri, str(page.title or ""))
    return None


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str | None:
    if "data-pagefind-body" in output:
        indexer = registry.SITE.cache.search_index
        if indexer is None:
            indexer = registry.SITE.cache.search_index = Indexer(cache_dir(config), sources_digest(config))
        indexer.add(page.file.dest_uri, output)
    return None


def on_build_error(*, error: Exception) -> None:
    indexer, registry.SITE.cache.search_index = registry.SITE.cache.search_index, None
    if indexer is not None:
        indexer.close()


def on_post_build(*, config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    begin = time.perf_counter()
    indexer = registry.SITE.cache.search_index or Indexer(cache_dir(config), sources_digest(config))
    registry.SITE.cache.search_index = None
    pages = indexer.write(site_dir / BUNDLE)
    source = "aus dem Zwischenspeicher" if indexer.from_cache else "geschrieben"
    log.info("Suchindex (Pagefind): %s Seiten, %s in %.1f s", pages, source, time.perf_counter() - begin)


def cache_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / names.SEARCH_CACHE


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchEntry:
    """What a result shows beside its title: the kind of page and its series."""

    kind: str  # Artikel, Checkliste, Reihe, Thema, Startseite, Seite
    series: str = ""  # the series' title, for articles and series overviews
    topics: tuple[str, ...] = ()  # the article's topics (a filter, not shown)


def entry_for(site: registry.Site, src_uri: str, title: str) -> SearchEntry:
    article = site.by_uri.get(src_uri)
    if article is not None:
        series = site.series.get(article.series)
        return SearchEntry("Artikel", series.title if series else "", tuple(article.tags))
    for series in site.series.values():
        if series.index_uri == src_uri:
            return SearchEntry("Reihe", series.title)
    if src_uri == "index.md":
        return SearchEntry("Startseite")
    if src_uri in site.tag_pages:
        return SearchEntry("Thema")
    if any(c.src_uri == src_uri for c in site.checklists.values()):
        return SearchEntry("Checkliste")
    return SearchEntry("Seite")


class Indexer:
    """The search index of one build, with the index of the last build in
    `cache` (`.cache/search/`): `add` takes each finished page, `write`
    writes the index into the site.

    With the same sources as the last build (`sources`, a digest of what the
    site is built from: `sources_digest`), each page is compared with the last
    build's. As long as every page is the same (the same address and the same
    text, in the same order), nothing is indexed: `write` copies the last
    build's index (`from_cache`). The first page that differs starts
    Pagefind's service (`Service`), which gets the pages before it and every
    later one while MkDocs renders the next. With other sources the service
    starts with the first page. `write` then writes the new index into the
    site and into the cache, in place of the last one."""

    def __init__(self, cache: Path, sources: str = "") -> None:
        self._cache = cache
        self._sources = sources
        last_sources, self._last = _last_build(cache)
        # Sources changed since the last build (or unknown): pages will differ, so
        # the service starts with the first page, to read on a second core while
        # MkDocs renders; the same sources: each page is first compared.
        self._expect_change = not sources or sources != last_sources
        self._pages: list[tuple[str, str]] = []  # (file path, text for the index) until the first change
        self._digests: list[tuple[str, str]] = []
        self._service: Service | None = None
        self.from_cache = False

    def add(self, path: str, html: str) -> None:
        text = for_index(html)
        entry = (path, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest())
        position = len(self._digests)
        self._digests.append(entry)
        if self._service is None:
            if not self._expect_change and position < len(self._last) and self._last[position] == entry:
                self._pages.append((path, text))
                return
            self._start()
        assert self._service is not None
        self._service.add(path, text)

    def write(self, bundle: Path) -> int:
        """Write the index to `bundle` (emptied first); return the number of pages."""
        shutil.rmtree(bundle, ignore_errors=True)
        key = _key(self._digests)
        kept = self._cache / key
        if self._service is None and len(self._digests) == len(self._last) and (kept / ENTRY_FILE).is_file():
            self._pages.clear()
            shutil.copytree(kept, bundle, copy_function=lambda source, target: place(Path(source), Path(target)))
            self.from_cache = True
            return len(self._digests)
        if self._service is None:
            self._start()
        assert self._service is not None
        try:
            files = self._service.files()
        finally:
            self.close()
        written = {path: content for path, content in files.items() if path not in UNUSED}
        if ENTRY_FILE not in written or "pagefind.js" not in written:
            raise PluginError("Suchindex: Pagefind ist fehlgeschlagen: es hat kein pagefind.js geschrieben.")
        for path, content in written.items():
            target = bundle / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        _keep(self._cache, key, bundle, self._digests, self._sources)
        return len(self._digests)

    def close(self) -> None:
        """End the service, if one was started (after `write`, or for a build that failed)."""
        if self._service is not None:
            self._service.close()

    def _start(self) -> None:
        """The first change: the service indexes every page so far, then the rest."""
        self._service = Service()
        for path, text in self._pages:
            self._service.add(path, text)
        self._pages.clear()


def _key(digests: list[tuple[str, str]]) -> str:
    """One name for an index: of the pages it holds and of how Pagefind reads them."""
    key = hashlib.blake2b(digest_size=16)
    key.update(json.dumps([pagefind_version(), LANGUAGE, EXCLUDE, digests]).encode("utf-8"))
    return key.hexdigest()


def _last_build(cache: Path) -> tuple[str, list[tuple[str, str]]]:
    """The last build's sources digest and the pages of its index, as (file
    path, digest); ("", []) without one."""
    try:
        last = json.loads((cache / LAST_BUILD).read_text(encoding="utf-8"))
        return str(last.get("sources", "")), [(str(path), str(digest)) for path, digest in last["pages"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "", []


def sources_digest(config: MkDocsConfig) -> str:
    """A digest of what the site is built from: the configuration, docs/,
    data/, overrides/ and hooks/ (names and contents). Only a hint for when to
    start Pagefind (`Indexer`): whether the index is kept depends on the pages."""
    root = Path(config.config_file_path).parent
    digest = hashlib.blake2b(digest_size=16)
    overrides = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    code = {(root / "hooks").resolve(), Path(__file__).resolve().parents[2]}  # the site's hooks/ and the running `kn`
    folders = (Path(config.docs_dir), root / names.DATA, *overrides, *sorted(code))
    for path in [Path(config.config_file_path), *(p for folder in folders for p in sorted(folder.rglob("*")))]:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode("utf-8", "surrogatepass"))
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def _keep(cache: Path, key: str, bundle: Path, digests: list[tuple[str, str]], sources: str) -> None:
    """Keep the index just written as the last build's, in place of any other.
    A copy that cannot be kept (a read-only folder, a full disk) only means
    that the next build indexes again."""
    with contextlib.suppress(OSError):
        cache.mkdir(parents=True, exist_ok=True)
        staging = cache / f".{key}.{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(bundle, staging)
        shutil.rmtree(cache / key, ignore_errors=True)
        staging.rename(cache / key)
        last = cache / f".{LAST_BUILD}.{os.getpid()}"
        last.write_text(json.dumps({"key": key, "sources": sources, "pages": digests}), encoding="utf-8")
        last.replace(cache / LAST_BUILD)
        for path in cache.iterdir():
            if path.name in (key, LAST_BUILD) or path.name.startswith("."):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


class Service:
    """Pagefind's indexing service (`pagefind --service`, the protocol of its
    official Python and Node clients: base64-encoded JSON messages, each ended
    by a comma) for one index. `add` hands a page to a thread that writes it
    to the service and returns at once; another thread reads the answers;
    `files` waits for every page and returns the index's files, which we
    write ourselves (the service's own WriteFiles may answer before its
    files are on disk). (The `pagefind` package's own client waits 0.1 s per
    answer.)"""

    def __init__(self) -> None:
        self._process = subprocess.Popen([executable(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT)
        self._answers: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition()
        self._next_id = 0
        self._pages: list[int] = []
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._write_failed = False
        self._reader = threading.Thread(target=self._read, name="kn-suche-lesen", daemon=True)
        self._writer = threading.Thread(target=self._write, name="kn-suche-schreiben", daemon=True)
        self._reader.start()
        self._writer.start()
        answer = self._wait(self._send({"type": "NewIndex", "config": {
            "force_language": LANGUAGE, "exclude_selectors": list(EXCLUDE),
        }}))
        self._index_id = answer["index_id"]

    def add(self, path: str, text: str) -> None:
        self._pages.append(self._send({
            "type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None, "file_contents": text,
        }))

    def files(self) -> dict[str, bytes]:
        """Every file of the index, by its path inside the bundle, once every page is indexed."""
        for message in self._pages:
            self._wait(message)
        answer = self._wait(self._send({"type": "GetFiles", "index_id": self._index_id}))
        return {str(file["path"]): base64.b64decode(file["content"]) for file in answer.get("files", ())}

    def close(self) -> None:
        """End the service (after `write`, or for a build that failed)."""
        self._outbox.put(None)  # the writer closes the service's input when all is written
        self._writer.join(timeout=TIMEOUT)
        if self._process.poll() is None:
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._reader.join(timeout=10)

    def _send(self, payload: dict[str, Any]) -> int:
        self._next_id += 1
        if self._write_failed:
            raise self._ended()
        self._outbox.put(base64.b64encode(json.dumps({"message_id": self._next_id, "payload": payload}).encode("utf-8")))
        return self._next_id

    def _write(self) -> None:
        stream = self._process.stdin
        assert stream is not None
        try:
            while (message := self._outbox.get()) is not None:
                stream.write(message + b",")
                stream.flush()
        except OSError:  # the service has ended; `_wait` reports it
            self._write_failed = True
        finally:
            with contextlib.suppress(OSError):
                stream.close()

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        buffer = b""
        while chunk := stream.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for message in messages:
                answer = json.loads(base64.b64decode(message)) if message.strip() else None
                if isinstance(answer, dict) and answer.get("message_id") is not None:
                    with self._arrived:
                        self._answers[answer["message_id"]] = answer["payload"]
                        self._arrived.notify_all()
        with self._arrived:
            self._answers[0] = {"type": "Ended"}  # no more answers: the service has ended
            self._arrived.notify_all()

    def _ended(self) -> PluginError:
        """The German error for a service that has ended before its answer."""
        try:
            code = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        return PluginError(f"Suchindex: Pagefind ist fehlgeschlagen (Rückgabewert {code}).")

    def _wait(self, message: int) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        with self._arrived:
            while message not in self._answers:
                if 0 in self._answers:
                    raise self._ended()
                if not self._arrived.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise PluginError(f"Suchindex: Pagefind ist nach {TIMEOUT} s nicht fertig geworden.")
            answer = self._answers.pop(message)
        if answer.get("type") == "Error":
            raise PluginError(f"Suchindex: Pagefind ist fehlgeschlagen: {answer.get('message', '')}")
        return answer


def pagefind_version() -> str:
    """The version of Pagefind's binary: a new one indexes anew."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind-bin")
    except PackageNotFoundError:
        return "?"


def executable() -> str:
    """The Pagefind binary of the `pagefind-bin` wheel."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise PluginError(
            "Suchindex: Pagefind ist nicht installiert. Bitte die Abhängigkeiten neu installieren "
            "(make build legt die Umgebung aus requirements.txt an)."
        ) from None
    try:
        return str(get_executable())
    except FileNotFoundError as error:
        raise PluginError(f"Suchindex: Das Programm von Pagefind fehlt ({error}).") from None


def for_index(html: str) -> str:
    """A page as Pagefind should read it. Pagefind drops <label> elements with
    their text, and a checklist item's text is its checkbox's label: the
    copy that Pagefind reads has spans instead (the published page keeps its labels)."""
    return html.replace("<label", "<span").replace("</label>", "</span>")


def index_pages(bundle: Path) -> list[dict[str, Any]]:
    """Every page of a written Pagefind index as Pagefind stores it: `url`,
    `content` (the indexed text), `meta` (title, art, reihe), `filters`. Each
    page is one gzip-compressed fragment file, JSON after a fixed signature."""
    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        pages.append(json.loads(data[len(FRAGMENT_SIGNATURE):]))
    return pages
