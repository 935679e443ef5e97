"""Search: a Pagefind index of the built site, made as the build's last step.

- `on_page_context`: what a search result shows beside the title – the kind
  of page (Artikel, Checkliste, Reihe, Thema, Startseite, Seite) and the series – as
  `search` of the page's view (hooks/kn/view.py); `overrides/partials/content.html` writes it as
  `data-pagefind-meta` / `data-pagefind-filter` on the element marked
  `data-pagefind-body` (the page's own text: title, lead, Markdown content).
  Pages without that element (404, redirects, the Impressum) and drafts
  (which only `mkdocs serve` shows) are not indexed.
- `on_post_build` (publish): the Pagefind binary (PyPI `pagefind-bin`, pinned
  in requirements.txt) indexes the written HTML into `<site>/pagefind/`, with
  German stemming forced, leaving out `EXCLUDE` (page furniture inside the
  body). This runs for `mkdocs build` and for every rebuild of `mkdocs serve`.
  Drafts are not written by `mkdocs build`, so they are never indexed.

The reader side is `docs/assets/kn-search.js`: it loads `pagefind/pagefind.js`
only when the reader types into the header's search field.
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import subprocess
import tempfile
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


def on_post_build(*, config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    begin = time.perf_counter()
    output = run_pagefind(site_dir)
    pages = indexed_pages(output)
    log.info("Suchindex (Pagefind): %s Seiten in %.1f s", pages if pages is not None else "?", time.perf_counter() - begin)


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


def command(source: Path, bundle: Path) -> list[str]:
    return [
        executable(), "--site", str(source), "--output-path", str(bundle),
        "--force-language", LANGUAGE, "--exclude-selectors", ", ".join(EXCLUDE),
    ]


def for_index(html: str) -> str:
    """A page as Pagefind should read it. Pagefind drops <label> elements with
    their text, and a checklist item's text is its checkbox's label: the
    copy that Pagefind reads has spans instead (the published page keeps its labels)."""
    return html.replace("<label", "<span").replace("</label>", "</span>")


def stage(site_dir: Path, target: Path) -> int:
    """Copy the pages with a search body to `target`, as Pagefind should read
    them (`for_index`); return their number."""
    count = 0
    for path in site_dir.rglob("*.html"):
        if BUNDLE in path.relative_to(site_dir).parts[:1]:
            continue
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        copy = target / path.relative_to(site_dir)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(for_index(html), encoding="utf-8")
        count += 1
    return count


def run_pagefind(site_dir: Path) -> str:
    """Index the built site into `<site_dir>/pagefind/`; return Pagefind's
    report. Fails the build with Pagefind's own message when it cannot index."""
    bundle = site_dir / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="kn-suche-") as tmp:
        source = Path(tmp)
        stage(site_dir, source)
        try:
            result = subprocess.run(command(source, bundle), capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise PluginError(f"Suchindex: Pagefind ist nach {TIMEOUT} s nicht fertig geworden.") from None
    output = result.stdout + result.stderr
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise PluginError(f"Suchindex: Pagefind ist fehlgeschlagen (Rückgabewert {result.returncode}):\n{output.strip()}")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return output


def indexed_pages(output: str) -> int | None:
    """The number of indexed pages in Pagefind's report ("Indexed 12 pages")."""
    for line in output.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "Indexed" and words[2] == "pages" and words[1].isdigit():
            return int(words[1])
    return None


def index_pages(bundle: Path) -> list[dict[str, Any]]:
    """Every page of a written Pagefind index as Pagefind stores it: `url`,
    `content` (the indexed text), `meta` (title, art, reihe), `filters`. Each
    page is one gzip-compressed fragment file, JSON after a fixed signature."""
    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        pages.append(json.loads(data[len(FRAGMENT_SIGNATURE):]))
    return pages
