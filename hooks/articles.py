"""Articles and series: read every article once, validate its front matter,
derive the navigation, and render the article listings.

An article is a Markdown file in a series folder: a folder directly under
docs/ (other than the reserved ones below) with an `index.md`, the series
overview. A series is ordered by date; adding an article means adding a file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_build_datetime

import annotate
import registry
from registry import Article, Series, error
from schema import split_front_matter, validate_article
from text import format_date_de

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.articles")

# Folders directly under docs/ that are not series.
RESERVED = frozenset({"assets", "checklisten", "tags", "javascripts", "stylesheets", "bilder"})
HOME_NEWEST = 10  # articles listed on the start page

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_startup(*, command: str, dirty: bool) -> None:
    registry.reset(command)


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    site = registry.reset()
    site.config = config
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    comments_default = bool((config.extra.get("comments") or {}).get("default"))
    for file in list(files.documentation_pages(inclusion=InclusionLevel.all)):
        series = series_of(file.src_uri)
        if series is None:
            continue
        if file.name == "index":
            title = read_title(file)
            site.series[series] = Series(series, title or series, file.src_uri, file.url)
            continue
        article = read_article(file, comments_default=comments_default, errors=site.errors)
        if article is None:
            # Nothing is published from an article with broken front matter.
            file.inclusion = InclusionLevel.EXCLUDED
            continue
        if article.draft:
            # MkDocs' own draft level: shown by `mkdocs serve`, left out by `mkdocs build`.
            file.inclusion = InclusionLevel.DRAFT
        else:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        if article.draft and not site.serving:
            site.drafts.append(article)
            continue
        site.articles.append(article)
    attach_to_series(site, files)
    config.nav = derive_nav(site, files)
    return files


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
    # Every hook has validated its part in on_files by now: report all at once.
    site = registry.SITE
    if site.errors:
        annotate.print_annotations(site.errors, root=Path(config.config_file_path).parent, docs_dir=Path(config.docs_dir))
        count = len(site.errors)
        head = "Ein Problem" if count == 1 else f"{count} Probleme"
        raise PluginError(f"{head} in den Inhalten; die Website wurde nicht gebaut:\n  " + "\n  ".join(site.errors))
    return nav


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
    # data/ (tags, authors, archived comments) is read by the hooks: rebuild on change.
    data = Path(config.config_file_path).parent / "data"
    if data.is_dir():
        server.watch(str(data))
    return server


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    registry.install_filters(env)
    # Date of this build, for the source line of printed pages.
    env.globals["kn_stand"] = format_date_de(get_build_datetime().date())
    return env


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    article = site.by_uri.get(page.file.src_uri)
    if article is not None:
        page.meta["kn_article"] = article
    elif page.file.name == "index" and series_of(page.file.src_uri) in site.series:
        page.meta["kn_series"] = series_of(page.file.src_uri)
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    listing = render_listing(registry.SITE, page)
    return html + listing if listing else html


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def series_of(src_uri: str) -> str | None:
    """The series folder of a page, or None for pages outside a series."""
    parts = src_uri.split("/")
    if len(parts) != 2 or parts[0] in RESERVED or not parts[1].endswith(".md"):
        return None
    return parts[0]


def read_title(file: File) -> str | None:
    meta, _body, _problems = split_front_matter(file.src_uri, file.content_string)
    title = (meta or {}).get("title")
    return title if isinstance(title, str) else None


def read_article(file: File, *, comments_default: bool, errors: list[str]) -> Article | None:
    """Read and validate one article; append problems to `errors`."""
    meta, body, problems = split_front_matter(file.src_uri, file.content_string)
    if meta is not None:
        values, problems = validate_article(file.src_uri, meta, comments_default=comments_default)
    errors.extend(problems)
    if problems or meta is None:
        return None
    return Article(
        src_uri=file.src_uri,
        url=file.url,
        series=file.src_uri.split("/")[0],
        title=values["title"],
        description=values["description"],
        date=values["date"],
        tags=values["tags"],
        comments=values.get("comments"),
        authors=values["authors"],
        draft=values.get("draft", False),
        body=body,
    )


def attach_to_series(site: registry.Site, files: Files) -> None:
    """Sort articles newest first, and each series oldest first (its reading order)."""
    site.articles.sort(key=lambda a: (a.date, a.src_uri), reverse=True)
    site.by_uri = {a.src_uri: a for a in site.articles}
    for article in reversed(site.articles):
        series = site.series.get(article.series)
        if series is None:
            site.errors.append(error(
                article.series + "/index.md", None,
                f"Die Serie '{article.series}' braucht eine Übersichtsseite index.md mit einem Titel.",
            ))
            site.series[article.series] = Series(article.series, article.series, "", "")
            continue
        series.articles.append(article)


def derive_nav(site: registry.Site, files: Files) -> list:
    """Start page, one entry per series, checklists, topics: never every article."""
    nav: list = []
    if files.get_file_from_path("index.md"):
        nav.append({"Start": "index.md"})
    for series in site.sorted_series():
        if series.index_uri:
            nav.append(series.index_uri)
    for uri in ("checklisten/index.md", "tags/index.md"):
        if files.get_file_from_path(uri):
            nav.append(uri)
    in_nav = {"index.md", *(entry for entry in nav if isinstance(entry, str))}
    for file in files.documentation_pages():
        if file.src_uri not in in_nav and file.inclusion.is_in_nav():
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return nav


def render_listing(site: registry.Site, page: Page) -> str | None:
    """The article list appended to the start page and to series overviews."""
    if page.is_homepage:
        return site.render(
            "partials/kn-home.html", page,
            articles=site.articles[:HOME_NEWEST],
            total=len(site.articles),
            series=site.sorted_series(),
            checklists=site.sorted_checklists(),
        )
    name = page.meta.get("kn_series")
    if name:
        return site.render("partials/kn-series.html", page, series=site.series[name])
    return None
