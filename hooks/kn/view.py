"""What the templates get for one page: one typed object, `page.meta["kn"]`.

Every page gets an empty `PageView` as the first step of rendering its
Markdown (`attach`, hooks/kn/pipeline.py); the step that knows a value fills
its field through `of(page)`, e.g. `view.of(page).share = share_links(...)`.
Templates read `page.meta.kn.<field>` (`page.meta.kn.article`,
`page.meta.kn.share`, …); tests/test_view.py checks that every field a
template reads is one of `PageView`'s, and that no template reads a loose
`kn_*` key of page.meta. The class has slots: a misspelt field fails at once
instead of becoming a key nobody reads.

A field's default is what a page gets that the field does not concern (no
article, no tag page, …): None for one value, an empty list for a list.

Per-site values are no part of the view; they stay in the Jinja environment,
all of them listed here:

- globals: `kn_stand` (the build's date, German, for the printed source line;
  hooks/kn/read/articles.py), `kn_checklist_pdfs` (the checklist PDFs with an
  absolute address, for sitemap.xml; hooks/kn/publish/checklist_pdf.py),
  `kn_consent_storage` and `kn_consent_cookies` (what every comment
  provider's client keeps in the browser, for revoking consent in
  fragments/kn/head.html; hooks/kn/read/comments.py), `kn_navigation` (the
  site navigation for a page outside it, rendered once per build, for
  partials/nav.html; hooks/kn/render/navigation.py);
- filters (hooks/kn/registry.py `install_filters`): `datum_de` (a date in
  German), `kn_moment` (a date or datetime as an aware datetime, for
  comparing), `kn_nbsp` (no-break spaces in template texts, „§ 5“),
  `kn_reading` (an article's words and reading minutes, measured when its
  page was rendered: `(article | kn_reading).minutes`).

What follows the page's own text (article lists, the checklist overview,
„Diese Checkliste gehört zu“) is a `Fragment` in `after_content`:
overrides/partials/content.html includes each one's template right after
`page.content` (through fragments/kn/after-content.html), instead of Python
gluing rendered HTML onto `page.content`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from kn.derive.reader import Author, Position
    from kn.paging import Pager
    from kn.publish.search import SearchEntry
    from kn.registry import Article, Checklist, Tag
    from kn.render.share import ShareLink
    from kn.render.social import SocialImage

KEY = "kn"  # page.meta["kn"]

# The names a fragment's context may set: fragments/kn/after-content.html
# passes exactly these to the fragment's template (tests/test_view.py checks).
FRAGMENT_NAMES = ("articles", "pager", "total", "series", "checklists", "tags", "tag", "years")


@dataclass(frozen=True, slots=True)
class Fragment:
    """One of our templates with its context, rendered by the page template
    after the page's text (see the module docstring)."""

    template: str  # e.g. "fragments/kn/home.html"
    context: dict[str, Any]  # its variables; keys from FRAGMENT_NAMES only

    def __post_init__(self) -> None:
        unknown = set(self.context) - set(FRAGMENT_NAMES)
        if unknown:
            raise ValueError(f"{self.template}: not in view.FRAGMENT_NAMES: {sorted(unknown)}")


@dataclass(slots=True)
class PageView:
    """Everything our templates read about one page, set by the build's steps."""

    article: Article | None = None
    """The article this page shows (hooks/kn/read/articles.py); None on other pages."""
    series: str | None = None
    """On a series overview (`<series>/index.md`): the series' folder name (hooks/kn/read/articles.py)."""
    checklist: Checklist | None = None
    """On a checklist's own page: the checklist (hooks/kn/read/checklists.py)."""
    tags: list[Tag] = field(default_factory=list)
    """An article's tags that have a tag page, in its order (hooks/kn/derive/tags.py)."""
    tag: Tag | None = None
    """On a tag page (also its later pages): the tag (hooks/kn/derive/tags.py)."""
    authors: list[Author] = field(default_factory=list)
    """An article's authors from data/authors.yml, in its order (hooks/kn/derive/reader.py)."""
    position: Position | None = None
    """An article's place in its series, „Teil n von N“ and neighbours (hooks/kn/derive/reader.py)."""
    related: list[Article] = field(default_factory=list)
    """Under an article: up to three related articles (hooks/kn/derive/related.py)."""
    comments: list[dict[str, Any]] = field(default_factory=list)
    """An article's archived comments as a thread, replies under `replies` (hooks/kn/read/comments.py)."""
    page_comments: str | None = None
    """A section's page (not an article) with an archived thread: "closed" (hooks/kn/read/comments.py)."""
    comment_box: dict[str, Any] | None = None
    """An open article: what the comment provider's template needs, its `template` first (hooks/kn/read/comments.py)."""
    csp: dict[str, tuple[str, ...]] | None = None
    """An open article: the comment provider's sources for the page's Content Security Policy (hooks/kn/read/comments.py)."""
    pager: Pager | None = None
    """A page of a paged list: its items and neighbours (hooks/kn/derive/listings.py)."""
    lastmod: datetime.date | None = None
    """The sitemap's `lastmod`: an article's `updated` or `date`, a list's newest article (hooks/kn/derive/listings.py)."""
    old_addresses: str | None = None
    """On the start page of a site with `?p=` redirects: the file of the old addresses (hooks/kn/publish/redirects.py)."""
    share: list[ShareLink] = field(default_factory=list)
    """Under an article: the share links (hooks/kn/render/share.py)."""
    preview: SocialImage | None = None
    """The page's preview image for link previews (hooks/kn/render/social.py)."""
    jsonld: list[str] = field(default_factory=list)
    """The page's structured data, each a JSON-LD text safe inside <script> (hooks/kn/render/structured_data.py)."""
    search: SearchEntry | None = None
    """What the search index says about the page; None: not indexed (hooks/kn/publish/search.py)."""
    stand: str | None = None
    """A checklist page: the date of the checklist's last change for the printed source line
    (hooks/kn/publish/checklist_pdf.py); None: the build's date `kn_stand`."""
    after_content: list[Fragment] = field(default_factory=list)
    """Our fragments after the page's text, in order: article lists, the checklist overview, the articles
    that include a checklist (hooks/kn/read/articles.py, derive/tags.py, derive/listings.py,
    read/checklists.py, derive/related.py)."""


def attach(page: Page) -> PageView:
    """A new, empty view for `page`: the first step of rendering its Markdown."""
    view = page.meta[KEY] = PageView()
    return view


def of(page: Page) -> PageView:
    """The view of `page`, for a step to read or fill."""
    view = page.meta.get(KEY)
    return view if isinstance(view, PageView) else attach(page)


def append_listings(files: Files, listing: Callable[[Page], Fragment | None]) -> None:
    """Add `listing(page)` to `after_content` of every rendered page it returns
    a fragment for. Called in `on_env`: MkDocs has then converted every page,
    and the page templates, which render the fragments, come after."""
    for file in files.documentation_pages():
        page = file.page
        if page is not None and page.content is not None:
            fragment = listing(page)
            if fragment is not None:
                of(page).after_content.append(fragment)


def on_page_markdown(markdown: str, *, page: Page, config: Any, files: Any) -> str | None:
    attach(page)
    return None
