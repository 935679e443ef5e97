"""The build, step by step: which part of `kn` runs when, in one place.

hooks/main.py (the one module MkDocs loads) calls these functions from its
event functions; nothing here imports MkDocs' event API, and no module of
`kn` decides its own place in the order. Read it top to bottom:

    0. start      the process starts (`mkdocs build` or `mkdocs serve`)
    1. configure  settings: new empty state, our settings read and checked
    2. guard      the input before anything is read (file names, sizes, links)
    3. read       every source: articles, checklists, tags, comments, authors, redirects
    4. derive     what follows from all of it: listing pages, related articles,
                  preview images, checklist PDFs
    5. validate   every problem collected in 2–4, reported at once (the build stops)
    6. render     each page: its Markdown, then its HTML
    7. listings   article lists appended once every page is rendered
    8. templates  what each page's template gets (share links, metadata, search)
    9. publish    files beside the pages: feeds, redirects, preview images,
                  PDFs, the Content Security Policy, the search index

`load` runs the steps 0–5 as plain Python, without a build (and without
MkDocs' events): tests/test_pipeline_portable.py.

Within a step the order of the calls is the order of the work; where one
call relies on another, the comment says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from mkdocs.config import load_config
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.nav import get_navigation

from kn import annotate, devserver, registry, security, view
from kn.derive import listings, reader, related, tags
from kn.markdown import embeds
from kn.publish import checklist_pdf, preview, redirects, search
from kn.read import articles, checklists, comments
from kn.render import feed_content, navigation, share, social, structured_data, templates

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

T = TypeVar("T")


def _chain(value: T, handlers: tuple[Callable[..., T | None], ...], **context: Any) -> T:
    """Each handler gets the previous one's result (None: unchanged) and the
    event's other arguments, as MkDocs passes an event's value from one
    handler to the next."""
    for handler in handlers:
        result = handler(value, **context)
        if result is not None:
            value = result
    return value


# --- 0. start -----------------------------------------------------------------


def start(command: str, dirty: bool) -> None:
    articles.on_startup(command=command, dirty=dirty)  # the state of the first build
    security.on_startup(command=command, dirty=dirty)  # log guard, once per process
    devserver.on_startup(command=command, dirty=dirty)  # remembers `mkdocs serve` outside the modules


# --- 1. configure ---------------------------------------------------------------


def configure(config: MkDocsConfig) -> MkDocsConfig:
    return _chain(config, (
        devserver.on_config,  # the command, kept across the reset that follows
        articles.on_config,  # a new, empty state for this build
        security.on_config,  # settings that guard the output (extra.sicherheit)
        preview.on_config,  # file addresses for the unpacked preview, before any address is made
        listings.on_config,  # extra.listen
        comments.on_config,  # extra.comments: provider, default state, archive
    ))


# --- 2. guard, 3. read, 4. derive -------------------------------------------------


def read_and_derive(files: Files, config: MkDocsConfig) -> Files:
    return _chain(files, (
        # 2. guard: names, sizes and links of the input, before any page is read
        security.on_files,
        # 3. read: every article and series first; everything else refers to them
        articles.on_files,
        checklists.on_files,
        tags.on_files,  # data/tags.yml, the articles' tags, the tag pages
        comments.on_files,  # archived comments and each article's comment state
        reader.on_files,  # data/authors.yml, reading times, feeds
        redirects.on_files,  # data/redirects.yml
        # 4. derive: from everything read
        listings.on_files,  # pages of the start page and tag lists, archive by year
        related.on_files,  # related articles
        social.on_files,  # preview images
        checklist_pdf.on_files,  # one PDF per checklist
        freeze,  # last: the content is read and derived; later steps only read it
    ), config=config)


def freeze(files: Files, *, config: MkDocsConfig) -> None:
    registry.SITE.freeze()


# --- 5. validate ------------------------------------------------------------------


def validate(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    return _chain(nav, (
        articles.on_nav,  # every problem at once, or stop
        tags.on_nav,
    ), config=config, files=files)


# --- 6. render --------------------------------------------------------------------


def render_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _chain(markdown, (
        view.on_page_markdown,  # first: an empty view of the page (page.meta["kn"]) for the others to fill
        articles.on_page_markdown,  # next: the others read the view's `article`
        checklists.on_page_markdown,
        tags.on_page_markdown,
        listings.on_page_markdown,
        comments.on_page_markdown,
        reader.on_page_markdown,
        related.on_page_markdown,
        redirects.on_page_markdown,
        security.on_page_markdown,  # last: what every step above left in the Markdown
    ), page=page, config=config, files=files)


def render_html(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _chain(html, (
        security.on_page_content,  # the author's HTML, before any of ours is added
        reader.on_page_content,  # reading time, before the checklists go in
        checklists.on_page_content,
        related.on_page_content,
        embeds.on_page_content,  # videos, after every step that adds HTML
        feed_content.on_page_content,  # last: the full text for the feeds
    ), page=page, config=config, files=files)


# --- 7. listings ------------------------------------------------------------------


def listings_and_templates(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    return _chain(env, (
        templates.on_env,  # first: compiled templates from .cache/templates/
        articles.on_env,  # filters, the start page and series overviews
        tags.on_env,  # the tag pages
        listings.on_env,  # further pages and the archive
        embeds.on_env,
        checklist_pdf.on_env,
        navigation.on_env,  # the navigation of the pages outside it, rendered once
        comments.on_env,  # what the comment clients store, for every page's revoke
    ), config=config, files=files)


# --- 8. templates -----------------------------------------------------------------


def template_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    return _chain(context, (
        listings.on_page_context,
        share.on_page_context,
        social.on_page_context,
        checklist_pdf.on_page_context,
        structured_data.on_page_context,
        search.on_page_context,
    ), page=page, config=config, nav=nav)


def rendered_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    return _chain(output, (security.on_post_template,), template_name=template_name, config=config)


def rendered_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _chain(output, (
        security.on_post_page,
        search.on_post_page,  # last: the finished page to the search index
    ), page=page, config=config)


# --- 9. publish -------------------------------------------------------------------


def publish(config: MkDocsConfig) -> None:
    reader.on_post_build(config=config)  # feeds, archive, tag feeds
    social.on_post_build(config=config)  # preview images
    checklist_pdf.on_post_build(config=config)  # checklist PDFs
    redirects.on_post_build(config=config)  # redirect pages
    security.on_post_build(config=config)  # after every step that writes files: CSP, checks
    preview.on_post_build(config=config)  # file addresses in the written files
    search.on_post_build(config=config)  # the search index, of the final pages
    devserver.on_post_build(config=config)  # `mkdocs serve`: forget our modules for the next rebuild


# --- `mkdocs serve` ---------------------------------------------------------------


def serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    return _chain(server, (articles.on_serve, security.on_serve, devserver.on_serve), config=config, builder=builder)


def failed(error: Exception) -> None:
    search.on_build_error(error=error)  # the search service, if pages were written
    devserver.on_build_error(error=error)


# --- steps 0–5 as plain Python --------------------------------------------------


def load(config_file: str | Path, *, strict: bool = True) -> registry.Site:
    """Read, check and derive a site without `mkdocs build` and without MkDocs'
    events: the steps 0–5 above, called in order, as MkDocs' build would call
    them (its files, plus the theme's, then its navigation). Nothing is
    rendered or written. `strict`: step 5 stops with every problem in German
    (PluginError), as the build does; False returns the site with its
    problems in `errors` (each a Problem with file, field and line)."""
    # hooks=[]: the steps are called here, not through hooks/main.py.
    config = load_config(str(config_file), hooks=[])
    # MkDocs sets this while an event runs (File.generated reads it); here none does.
    config.plugins._current_plugin = None
    start("build", False)
    config = configure(config)
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    files = read_and_derive(files, config)
    set_exclusions(files, config)
    # Each problem with its line (the build looks them up only for GitHub's annotations).
    annotate.locate(registry.SITE.errors, root=Path(config.config_file_path).parent, docs_dir=Path(config.docs_dir))
    if strict:
        validate(get_navigation(files, config), config, files)
    return registry.SITE
