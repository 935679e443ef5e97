"""Listings for readers: the start page, every tag page and the overview of
every blog section (`art: blog`) in pages of
`extra.listen.seitengroesse` articles (hooks/kn/paging.py), the archive by year
on /archiv/, and the sitemap's `lastmod` of every page.

- The first page of a list keeps its address (`/`, `/tags/<slug>/`, `/<blog>/`);
  page n is a virtual file `seite/<n>.md`, `tags/<slug>/seite/<n>.md` or `<blog>/seite/<n>.md`
  (`File.generated`), kept out of the navigation and the search index (the
  articles it lists are found on their own pages). Its body comes from a
  template the page template renders after the text (a fragment of the page's
  view, set in `on_env`), like the tag pages (hooks/kn/derive/tags.py).
- „Neuere Artikel“ / „Ältere Artikel“ link the neighbours with rel="prev" /
  rel="next", in the page and in its head (fragments/kn/pager.html,
  fragments/kn/head.html); every page has its own canonical address.
- The archive `archiv.md` lists every article by year, newest first, with the
  count per year; it is in the navigation and linked from the start page.
- `lastmod` of the page's view (hooks/kn/view.py): an article's `updated` or `date`, a listing's
  newest article; overrides/sitemap.xml writes it as `<lastmod>`.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING

import yaml
from mkdocs.structure.files import File, InclusionLevel

from kn import names, registry, view
from kn.derive.reader import last_change
from kn.paging import Pager, page_size, paginate
from kn.problems import error
from kn.registry import Article
from kn.view import Fragment

if TYPE_CHECKING:
    import datetime

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.listings")

HOME_URI = "index.md"
ARCHIVE_URI = f"{names.ARCHIVE}.md"
ARCHIVE_TITLE = "Archiv"

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    site = registry.SITE
    site.page_size, problems = page_size(config.extra)
    site.errors.extend(problems)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE

    def url_of(src_uri: str) -> str:
        return File(src_uri, None, config.site_dir, config.use_directory_urls).url

    def add(src_uri: str, meta: dict) -> bool:
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            site.errors.append(error(f"docs/{src_uri}", None, (
                f"Diese Datei verdeckt eine Seite, die beim Bauen entsteht ({meta['title']}). "
                "Bitte die Datei umbenennen oder entfernen."
            )))
            return False
        files.append(File.generated(config, src_uri, content=front_matter(meta), inclusion=InclusionLevel.NOT_IN_NAV))
        return True

    if files.get_file_from_path(HOME_URI) is not None:
        for pager in paginate(site.articles, site.page_size, first_src=HOME_URI, url_of=url_of):
            site.cache.pagers[pager.src_uri] = pager
            if not pager.first and add(pager.src_uri, later_meta("Alle Artikel", pager)):
                site.cache.home_pages[pager.src_uri] = pager
    for tag in list(site.tag_pages.values()):
        for pager in paginate(tag.articles, site.page_size, first_src=tag.src_uri, url_of=url_of):
            site.cache.pagers[pager.src_uri] = pager
            if not pager.first and add(pager.src_uri, later_meta(tag.name, pager)):
                site.tag_pages[pager.src_uri] = tag
    for series in site.series.values():
        # A blog section's overview pages like the start page (a series keeps its parts on one page).
        if series.kind != "blog" or not series.index_uri:
            continue
        for pager in paginate(series.articles, site.page_size, first_src=series.index_uri, url_of=url_of):
            site.cache.pagers[pager.src_uri] = pager
            if not pager.first:
                add(pager.src_uri, later_meta(series.title, pager))
    if site.articles and add(ARCHIVE_URI, archive_meta()):
        # In the navigation, after the topics (articles.derive_nav made the rest).
        config.nav = [*(config.nav or []), ARCHIVE_URI]
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    src_uri = page.file.src_uri
    pager = site.cache.pagers.get(src_uri)
    page_view = view.of(page)
    if pager is not None:
        page_view.pager = pager
    page_view.lastmod = lastmod(site, src_uri, pager)
    return None


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict | None:
    if view.of(page).pager is not None:
        # rel="prev"/"next" of a paged list are its neighbours (fragments/kn/head.html),
        # not the neighbours in the navigation that Material's head would link.
        page.previous_page = page.next_page = None
    return context


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    site = registry.SITE
    view.append_listings(files, lambda page: listing(site, page))
    return env


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def later_meta(name: str, pager: Pager) -> dict:
    """Front matter of page n > 1 of a list: its own title, out of the search."""
    return {
        "title": f"{name} – Seite {pager.number} von {pager.count}",
        "description": f"{name}: Artikel {pager.offset + 1} bis {pager.offset + len(pager.items)} von {pager.total}, die neuesten zuerst.",
        "search": {"exclude": True},
    }


def archive_meta() -> dict:
    return {
        "title": ARCHIVE_TITLE,
        "description": "Alle Artikel nach Jahren geordnet, die neuesten zuerst.",
        "search": {"exclude": True},
    }


def archive_years(articles: list[Article]) -> list[tuple[int, list[Article]]]:
    """Articles (newest first) grouped by year, the newest year first."""
    return [(year, list(group)) for year, group in itertools.groupby(articles, key=lambda a: a.date.year)]


def lastmod(site: registry.Site, src_uri: str, pager: Pager | None) -> datetime.date | None:
    """When a page's content last changed: an article's `updated` or `date`,
    a list's newest article; None where the sources do not say."""
    article = site.by_uri.get(src_uri)
    if article is not None:
        return last_change(article).date()
    if pager is not None:
        listed = list(pager.items)
    elif src_uri == ARCHIVE_URI:
        listed = site.articles
    else:
        series = next((s for s in site.series.values() if s.index_uri == src_uri), None)
        listed = series.articles if series else []
    return max((last_change(a).date() for a in listed), default=None)


def listing(site: registry.Site, page: Page) -> Fragment | None:
    """The body of a later page of the start page, and of the archive."""
    src_uri = page.file.src_uri
    pager = site.cache.home_pages.get(src_uri)
    if pager is not None:
        return Fragment("fragments/kn/home-page.html", {"pager": pager, "articles": pager.items})
    pager = site.cache.pagers.get(src_uri)
    if pager is not None and not pager.first and page.file.generated_by:
        # Page n > 1 of a blog section's overview: the section with this page's posts.
        series = next((s for s in site.series.values() if s.kind == "blog" and s.url == pager.first_url), None)
        if series is not None:
            return Fragment("fragments/kn/series.html", {"series": series, "pager": pager})
    if src_uri == ARCHIVE_URI and page.file.generated_by:
        return Fragment("fragments/kn/archive.html", {"years": archive_years(site.articles), "total": len(site.articles)})
    return None
