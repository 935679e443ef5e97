"""Articles and series: read every article once, validate its front matter,
derive the navigation, and render the article listings.

An article is a Markdown file in a series folder: a folder directly under
docs/ (other than the reserved ones below) with an `index.md`, the series
overview. A series is ordered by the front-matter field `teil`, then by date;
adding an article means adding a file.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_build_datetime

from kn import names, registry, view
from kn.markdown.typography import h1_headings, markdown_to_text, nbsp, one_title, teaser, title_heading, typeset
from kn.names import RESERVED  # folders under docs/ that are no series
from kn.problems import Problem, error
from kn.registry import Article, Series
from kn.schema import record_values, split_front_matter, template_placeholders, validate_article
from kn.text import format_date_de
from kn.view import Fragment

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


log = logging.getLogger("mkdocs.plugins.kn.articles")

HOME_NEWEST = 10  # articles on the start page unless extra.listen.seitengroesse says otherwise

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
    # Without a default (comments.on_config read it), every article must say.
    comments_default = site.comment_settings.default is not None
    for file in list(files.documentation_pages(inclusion=InclusionLevel.all)):
        series = series_of(file.src_uri)
        if series is None:
            continue
        if file.name == "index":
            title, problems = read_title(file)
            kind, problem = read_kind(file)
            site.errors.extend(problems + ([problem] if problem else []))
            site.series[series] = Series(series, title or series, file.src_uri, file.url, kind=kind)
            continue
        article = read_article(file, comments_default=comments_default, errors=site.errors, rejected=site.rejected)
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
    registry.SITE.errors.report(config)
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
    # The article lists of the start page and the series overviews.
    site = registry.SITE
    view.append_listings(files, lambda page: listing(site, page))
    return env


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    article = site.by_uri.get(page.file.src_uri)
    if article is not None:
        view.of(page).article = article
        # One title (from the front matter or the first '# ' heading), above the article header.
        markdown = one_title(markdown, article.title if "title" in page.meta else None)
        page.meta["title"] = article.title
        page.meta["description"] = article.description
    elif page.file.name == "index" and series_of(page.file.src_uri) in site.series:
        view.of(page).series = series_of(page.file.src_uri)
    return markdown


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def series_of(src_uri: str) -> str | None:
    """The series folder of a page, or None for pages outside a series."""
    parts = src_uri.split("/")
    if len(parts) != 2 or parts[0] in RESERVED or not parts[1].endswith(".md"):
        return None
    return parts[0]


def read_title(file: File) -> tuple[str | None, list[str]]:
    """A series overview's title (front matter, else its first '# ' heading) and
    the problems of its front matter (a missing one is fine)."""
    meta, body, problems = split_front_matter(file.src_uri, file.content_string)
    if not file.content_string.startswith("---"):
        problems = []  # no front matter at all: the title may be a '# ' heading
    title = (meta or {}).get("title")
    if not isinstance(title, str) or not title.strip():
        headings = h1_headings(body)
        title = markdown_to_text(headings[0][1]) if headings else None
    if title is None and not problems:
        problems = [error(file.src_uri, "title", (
            "fehlt. Die Übersichtsseite einer Reihe braucht einen Titel (Feld 'title' oder eine Überschrift '# Titel')."
        ))]
    return title, problems


SECTION_KINDS = ("reihe", "blog")


def read_kind(file: File) -> tuple[str, str | None]:
    """`art` in a section's index.md: "reihe" (default: parts in reading order,
    „Teil n von N“) or "blog" (newest first, pinned posts on top)."""
    meta, _body, _problems = split_front_matter(file.src_uri, file.content_string)
    value = (meta or {}).get("art", "reihe")
    if isinstance(value, str) and value.strip() in SECTION_KINDS:
        return value.strip(), None
    return "reihe", error(file.src_uri, "art", f"unbekannter Wert {str(value)[:40]!r}. Erlaubt sind: reihe, blog.")


def read_article(
    file: File, *, comments_default: bool, errors: list[Problem], rejected: list[Article] | None = None,
) -> Article | None:
    """Read and validate one article; append problems to `errors`. An article whose
    front matter has a bad field is not returned; its valid fields go to `rejected`
    as an unpublished article, so that tags, authors, `teil` and checklists are
    checked in the same build."""
    text = file.content_string
    meta, body, problems = split_front_matter(file.src_uri, text)
    headings = h1_headings(body)
    if meta is not None:
        values, problems = validate_article(file.src_uri, meta, comments_default=comments_default, title_in_body=bool(headings))
        if not values.get("draft", False):
            problems += template_placeholders(file.src_uri, text, body, values)
    errors.extend(problems)
    if meta is not None and problems and rejected is not None:
        rejected.append(partial_article(file, values, body))
    if problems or meta is None:
        return None
    given = typeset(values["title"]) if "title" in values else None
    heading = title_heading(headings, given)
    warn_second_titles(file.src_uri, text[: len(text) - len(body)].count("\n"), [h for h in headings if h != heading])
    body = one_title(body, given)
    draft = values.get("draft", False)
    description = typeset(values["description"]) if "description" in values else teaser(body)
    if not description and not draft:
        errors.append(error(file.src_uri, "description", (
            "fehlt, und der Text hat keinen Absatz für einen Anreißer. "
            "Erwartet: ein Satz für Übersichten und Suchmaschinen, oder Text vor <!-- more -->."
        )))
        return None
    date = values["date"]
    return Article(
        src_uri=file.src_uri,
        url=file.url,
        series=file.src_uri.split("/")[0],
        title=nbsp(given or markdown_to_text(heading[1] if heading else "")),
        description=nbsp(description),
        date=date.date() if isinstance(date, datetime.datetime) else date,
        body=body,
        published=date if isinstance(date, datetime.datetime) else None,
        teaser="description" not in values,
        **record_values(values),  # every other field of the schema
    )


def partial_article(file: File, values: dict[str, Any], body: str) -> Article:
    """An unpublished stand-in for an article with a broken field: only what the
    other checks need (tags, authors, teil, body), with neutral values elsewhere."""
    date = values.get("date", datetime.date.min)
    return Article(
        src_uri=file.src_uri, url=file.url, series=file.src_uri.split("/")[0],
        title=str(values.get("title", "")), description=str(values.get("description", "")),
        date=date.date() if isinstance(date, datetime.datetime) else date, body=body,
        **{**record_values(values), "draft": True},
    )


def warn_second_titles(src: str, offset: int, headings: list[tuple[int, str]]) -> None:
    """A page has one h1: every further '# ' heading is shown as '##' and reported
    (a warning, so that `mkdocs build --strict` fails on it)."""
    for index, text in headings:
        log.warning(error(src, None, (
            f"zweite Überschrift der obersten Ebene ('# {text}'). Eine Seite hat nur einen Titel; Überschriften "
            f"im Text beginnen mit '## '. Die Seite zeigt sie bis dahin als '## {text}'."
        ), line=offset + index + 1, show_line=True))


def attach_to_series(site: registry.Site, files: Files) -> None:
    """Sort articles newest first, and each series in reading order: by `teil`,
    then (articles without it) by date."""
    site.articles.sort(key=lambda a: (a.moment(), a.src_uri), reverse=True)
    site.by_uri = {a.src_uri: a for a in site.articles}
    members: dict[str, list[Article]] = {name: [] for name in site.series}
    for article in sorted(site.articles, key=reading_order):
        if article.series not in site.series:
            site.errors.append(error(
                article.series + "/index.md", None,
                f"Die Reihe '{article.series}' braucht eine Übersichtsseite index.md mit einem Titel.",
            ))
            site.series[article.series] = Series(article.series, article.series, "", "")
            continue
        members.setdefault(article.series, []).append(article)
    for name, series in site.series.items():
        parts = members.get(name, [])
        if series.kind == "blog":
            # A blog is read newest first, pinned posts on top; `teil` means nothing here.
            parts.sort(key=lambda a: (a.pinned, a.moment(), a.src_uri), reverse=True)
        else:
            # Articles with a broken field count too: a duplicate `teil` shows in the same run.
            rejected = [a for a in site.rejected if a.series == series.name]
            site.errors.extend(duplicate_parts(sorted(parts + rejected, key=reading_order)))
        site.series[name] = replace(series, articles=tuple(parts))


def reading_order(article: Article) -> tuple:
    """Numbered parts first (by `teil`), then the others by date."""
    return (article.part is None, article.part or 0, article.moment(), article.src_uri)


def duplicate_parts(articles: list[Article]) -> list[Problem]:
    """A problem for every article whose `teil` an earlier article of the same series has."""
    first: dict[int, Article] = {}
    problems = []
    for article in articles:
        if article.part is None:
            continue
        if article.part in first:
            problems.append(error(article.src_uri, "teil", (
                f"Teil {article.part} gibt es in dieser Reihe schon: '{first[article.part].src_uri}'. "
                "Jede Nummer darf in einer Reihe nur einmal vorkommen."
            )))
        else:
            first[article.part] = article
    return problems


def derive_nav(site: registry.Site, files: Files) -> list:
    """Start page, one entry per series, checklists, topics: never every article."""
    nav: list = []
    if files.get_file_from_path("index.md"):
        nav.append({"Startseite": "index.md"})
    for series in site.sorted_series():
        if series.index_uri:
            nav.append(series.index_uri)
    for uri in (f"{names.CHECKLISTS}/index.md", f"{names.TAGS}/index.md"):
        if files.get_file_from_path(uri):
            nav.append(uri)
    in_nav = {"index.md", *(entry for entry in nav if isinstance(entry, str))}
    for file in files.documentation_pages():
        if file.src_uri not in in_nav and file.inclusion.is_in_nav():
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return nav


def listing(site: registry.Site, page: Page) -> Fragment | None:
    """The article list after the text of the start page and of series overviews."""
    if page.is_homepage:
        # Its first page of articles (hooks/kn/derive/listings.py pages them).
        pager = site.cache.pagers.get(page.file.src_uri)
        return Fragment("fragments/kn/home.html", {
            "articles": pager.items if pager else site.articles[:HOME_NEWEST],
            "pager": pager,
            "total": len(site.articles),
            "series": site.sorted_series(),
            "checklists": site.sorted_checklists(),
        })
    name = view.of(page).series
    if name:
        # A blog section's first page of posts (hooks/kn/derive/listings.py pages them); a series: all parts.
        return Fragment("fragments/kn/series.html", {"series": site.series[name], "pager": site.cache.pagers.get(page.file.src_uri)})
    return None
