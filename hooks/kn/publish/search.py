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
import json
import logging
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from kn import registry, view

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
            indexer = registry.SITE.cache.search_index = Indexer()
        indexer.add(page.file.dest_uri, output)
    return None


def on_build_error(*, error: Exception) -> None:
    indexer, registry.SITE.cache.search_index = registry.SITE.cache.search_index, None
    if indexer is not None:
        indexer.close()


def on_post_build(*, config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    begin = time.perf_counter()
    indexer = registry.SITE.cache.search_index or Indexer()
    registry.SITE.cache.search_index = None
    pages = indexer.write(site_dir / BUNDLE)
    log.info("Suchindex (Pagefind): %s Seiten, geschrieben in %.1f s", pages, time.perf_counter() - begin)


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
    """Pagefind's indexing service (`pagefind --service`, the protocol of its
    official Python and Node clients: base64-encoded JSON messages, each ended
    by a comma) for one build. `add` hands a page to a thread that writes it
    to the service and returns at once; another thread reads the answers;
    `write` waits for every page and writes the index. (The `pagefind`
    package's own client waits 0.1 s per answer.)"""

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

    def add(self, path: str, html: str) -> None:
        self._pages.append(self._send({
            "type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None, "file_contents": for_index(html),
        }))

    def write(self, bundle: Path) -> int:
        """Write the index to `bundle` (emptied first); return the number of pages."""
        shutil.rmtree(bundle, ignore_errors=True)
        try:
            for message in self._pages:
                self._wait(message)
            self._wait(self._send({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(bundle)}))
        finally:
            self.close()
        if not (bundle / "pagefind.js").is_file():
            raise PluginError("Suchindex: Pagefind ist fehlgeschlagen: es hat kein pagefind.js geschrieben.")
        for name in UNUSED:
            (bundle / name).unlink(missing_ok=True)
        return len(self._pages)

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
