"""The content model of one build, and its state.

- Records: Article (from the front-matter schema, kn/schema.py FIELDS),
  Series, Checklist, Tag, Author, Comment, Redirect; all frozen, lists in them
  are tuples. A derived value is a new record (`dataclasses.replace`), put into
  every collection at once by `Site.replace_articles`.
- `Site`: the settings of the build, its content (CONTENT: read in step 3,
  derived in step 4 of kn/pipeline.py, then frozen by `Site.freeze`), the
  problems found, and `Site.cache`: what rendering and publishing make once.

`reset()` starts each build with a new Site (pipeline step 1), because MkDocs
does not reload our modules between rebuilds of `mkdocs serve`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, make_dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from mkdocs.utils import get_relative_url

from kn.markdown.typography import nbsp
from kn.problems import Problems
from kn.render import templates
from kn.schema import FIELDS
from kn.text import format_date_de, german_key, moment

if TYPE_CHECKING:
    from jinja2 import Environment
    from markdown import Markdown
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from kn.paging import Pager
    from kn.publish.checklist_pdf import ChecklistPdf
    from kn.render.social import SocialImage

# -----------------------------------------------------------------------------
# Data
# -----------------------------------------------------------------------------


def _as_tuples(record: object, *names: str) -> None:
    """Lists given to a frozen record (tests, readers) become tuples, so the
    record cannot be changed through them."""
    for name in names:
        value = getattr(record, name)
        if not isinstance(value, tuple):
            object.__setattr__(record, name, tuple(value))


@dataclass(frozen=True)
class ArticleRecord:
    """What every article has besides its front-matter fields: `Article` below
    adds one attribute per field of kn/schema.py's FIELDS (tags, authors,
    comments, draft, part, pinned, guid, updated, …), so the schema is the one
    place that declares a field.

    Immutable: a later step that derives a value (the checklists an article
    includes, its comment state) makes a new record with `dataclasses.replace`,
    and `Site.replace_articles` puts it into every collection at once."""

    src_uri: str  # relative to docs/, e.g. "kooperation-netzwerke/x.md"
    url: str  # e.g. "kooperation-netzwerke/x/"
    series: str  # folder name, e.g. "kooperation-netzwerke"
    title: str  # typeset, from `title` or the first '# ' heading
    description: str  # typeset, from `description` or the teaser
    date: datetime.date  # `date` without its time
    body: str  # Markdown without front matter
    # Derived once each, by dataclasses.replace:
    checklists: tuple[str, ...] = ()  # hooks/kn/read/checklists.py: included checklists, in order
    comment_count: int = 0  # hooks/kn/read/comments.py: archived comments shown
    comment_state: str = "off"  # hooks/kn/read/comments.py: open, closed or off as shown
    # The date as written with its time (None for a date alone); see schema.check_date.
    published: datetime.datetime | None = None
    # No `description`: it is the teaser, so the page shows no extra lead.
    teaser: bool = False

    def __post_init__(self) -> None:
        _as_tuples(self, "checklists", *(f.attribute for f in FIELDS.values() if f.attribute and f.type.startswith("tuple")))

    def moment(self) -> datetime.datetime:
        """When the article appeared, for sorting and feeds (a date alone: midnight UTC)."""
        return moment(self.published or self.date)


# One article, read once from its Markdown file (hooks/kn/read/articles.py):
# ArticleRecord plus one attribute per front-matter field of the schema.
Article = make_dataclass(
    "Article", [(f.attribute, f.type, field(default=f.default)) for f in FIELDS.values() if f.attribute],
    bases=(ArticleRecord,), frozen=True,
)
Article.__module__ = __name__


@dataclass(frozen=True)
class Series:
    """A folder of articles under docs/ with its overview page `index.md`."""

    name: str
    title: str
    index_uri: str
    url: str
    articles: tuple[Article, ...] = ()  # reading order (a blog: pinned, then newest first)
    kind: str = "reihe"  # front matter `art` of index.md: "reihe" (parts in order) or "blog" (newest first)

    def __post_init__(self) -> None:
        _as_tuples(self, "articles")


@dataclass(frozen=True)
class Checklist:
    """A checklist file `docs/checklisten/<name>.md`."""

    name: str
    src_uri: str
    url: str
    title: str
    items: tuple[str, ...]
    source: str  # the Markdown, included verbatim into articles
    # Front matter (optional, hooks/kn/read/checklists.py CHECKLIST_FIELDS):
    legal: bool = False  # `rechtlich: true`: print and PDF say „Kein Rechtsrat“
    fields: bool = True  # `felder: false`: no fields for partner, date and notes
    updated: datetime.date | None = None  # `updated`: date of the last change

    def __post_init__(self) -> None:
        _as_tuples(self, "items")


# --- Tags (hooks/kn/derive/tags.py) ----------------------------------------------------


@dataclass(frozen=True)
class Tag:
    """A topic from data/tags.yml that at least one article uses."""

    name: str
    slug: str
    description: str
    src_uri: str  # the generated page, "tags/<slug>.md"
    url: str  # "tags/<slug>/"
    articles: tuple[Article, ...] = ()  # newest first

    def __post_init__(self) -> None:
        _as_tuples(self, "articles")


# --- Authors (hooks/kn/derive/reader.py) -----------------------------------------------


@dataclass(frozen=True)
class Author:
    """An entry of data/authors.yml."""

    id: str
    name: str
    bio: str
    avatar: str | None  # path under docs/, e.g. "bilder/jana.jpg"
    team: bool = False  # an editorial team or company, not one person (schema.org Organization)


# --- Comments (hooks/kn/read/comments.py) ----------------------------------------------


@dataclass(frozen=True)
class Comment:
    """An archived comment of data/comments/ as the article shows it, with its replies."""

    number: int  # its place in the file, from 1
    author: str
    date: datetime.date
    html: str  # the text as safe HTML (comments.render_text)
    reply_to: int | None = None  # the number of the comment it answers
    parent_author: str | None = None  # that comment's author
    replies: tuple[Comment, ...] = ()  # in file order


@dataclass(frozen=True)
class CommentSettings:
    """`extra.comments` of mkdocs.yml, checked once per build in comments.on_config."""

    default: str | None = None  # open, closed, off; None: every article must say
    close_after_days: int | None = None
    # Comment provider (hooks/kn/comment_providers/): its name, raw section and checked settings.
    provider: str = "isso"
    sections: dict[str, Any] = field(default_factory=dict)  # provider name -> raw extra.comments.<name>
    provider_settings: dict[str, Any] = field(default_factory=dict)  # set in comments.on_files


# --- Reading time (hooks/kn/derive/reader.py) -----------------------------------------


@dataclass(frozen=True)
class Reading:
    """What an article's rendered page measures: its words (with its checklists)
    and the reading time in minutes. A result of rendering (step 6 of
    hooks/kn/pipeline.py), so it lives in the build's caches, not on the Article."""

    words: int = 0
    minutes: int = 0


# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """An entry of data/redirects.yml (hooks/kn/publish/redirects.py)."""

    old: str  # the old path as written, e.g. "2019/03/x/"
    output: str  # the file written under site/, e.g. "2019/03/x/index.html"; "" for "?p=12"
    target: str  # src_uri of the new page


@dataclass
class Cache:
    """What one build makes while rendering and publishing, kept so it is made
    once: never content, never read before it is made. A new, empty one with
    every build (`reset`)."""

    env: Environment | None = None  # the theme's Jinja environment (Site.env)
    # --- hooks/kn/read/checklists.py: each checklist's HTML, converted once per build
    checklist_html: dict[str, str] = field(default_factory=dict)  # name -> HTML
    checklist_markdown: Markdown | None = None  # the site's Markdown, made once
    checklist_words: dict[str, int] = field(default_factory=dict)  # name -> words (hooks/kn/derive/reader.py)
    # --- hooks/kn/derive/reader.py: each article's words and minutes, set once when rendered
    reading: dict[str, Reading] = field(default_factory=dict)  # src_uri -> its reading time
    part_index: dict[str, int] | None = None  # src_uri -> its index in its series' articles (series_position)
    # --- hooks/kn/render/social.py: preview images; hooks/kn/publish/checklist_pdf.py: PDFs
    previews: dict[str, SocialImage] = field(default_factory=dict)  # src_uri -> its preview image
    checklist_pdfs: dict[str, ChecklistPdf] = field(default_factory=dict)  # name -> its PDF
    # --- hooks/kn/derive/listings.py: pages of the start page and the tag pages (hooks/kn/paging.py)
    pagers: dict[str, Pager] = field(default_factory=dict)  # src_uri -> its page of a paged list
    home_pages: dict[str, Pager] = field(default_factory=dict)  # "seite/<n>.md" -> page n of the start page
    # --- hooks/kn/render/feed_content.py: each article's full text for the feeds
    feed_html: dict[str, str] = field(default_factory=dict)  # src_uri -> HTML
    feed_uris: frozenset[str] | None = None  # the articles some feed shows (hooks/kn/derive/reader.py in_feeds)
    # --- hooks/kn/render/navigation.py: the navigation of the pages outside it, rendered once
    navigation: str | None = None  # Material's navigation with marked addresses ("": render it per page)
    nav_pages: frozenset[int] | None = None  # id() of each page in the navigation
    # --- hooks/kn/publish/search.py: Pagefind's service, fed each written page
    search_index: Any = None  # search.Indexer, made with the first page
    # --- hooks/kn/publish/redirects.py: the pages redirects point to, for their titles
    redirect_files: dict[str, File] = field(default_factory=dict)  # src_uri -> its file


# What a build reads and derives (steps 3–4 of hooks/kn/pipeline.py): frozen by
# `Site.freeze` once derived; later steps only read it.
CONTENT = (
    "articles", "drafts", "rejected", "by_uri", "series", "checklists", "tags", "unused_tags", "tag_pages",
    "authors", "comment_threads", "related", "checklist_users", "redirects",
)


@dataclass
class Site:
    """One build: its settings, its content (CONTENT, frozen after the derive
    step), the problems found, and its caches (`cache`)."""

    # --- settings (step 1, configure)
    command: str = "build"
    config: MkDocsConfig | None = None
    comment_settings: CommentSettings = field(default_factory=CommentSettings)  # hooks/kn/read/comments.py
    comments_today: datetime.date = field(default_factory=datetime.date.today)  # the build's "today" for comments
    page_size: int = 10  # extra.listen.seitengroesse (hooks/kn/derive/listings.py)
    # --- content (steps 3–4, read and derive)
    articles: list[Article] = field(default_factory=list)  # newest first
    # Drafts left out of `mkdocs build`: not published, but still validated.
    drafts: list[Article] = field(default_factory=list)
    # Articles with a broken front-matter field: never published, but their other
    # fields (tags, authors, teil, checklists) are still checked, so that one
    # build reports every problem at once.
    rejected: list[Article] = field(default_factory=list)
    by_uri: dict[str, Article] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)  # name -> used tag (hooks/kn/derive/tags.py)
    unused_tags: list[str] = field(default_factory=list)  # vocabulary without articles (hooks/kn/derive/tags.py)
    tag_pages: dict[str, Tag] = field(default_factory=dict)  # "tags/<slug>.md" (and its later pages) -> tag
    authors: dict[str, Author] = field(default_factory=dict)  # id -> author (data/authors.yml)
    comment_threads: dict[str, tuple[Comment, ...]] = field(default_factory=dict)  # src_uri -> archived thread
    # Reach (hooks/kn/derive/related.py):
    related: dict[str, list[Article]] = field(default_factory=dict)  # src_uri -> up to three articles
    checklist_users: dict[str, list[Article]] = field(default_factory=dict)  # checklist -> articles, reading order
    redirects: tuple[Redirect, ...] = ()  # data/redirects.yml (hooks/kn/publish/redirects.py)
    # --- problems of every step before rendering, reported at once (step 5, validate)
    errors: Problems = field(default_factory=Problems)
    # --- what rendering and publishing make once per build
    cache: Cache = field(default_factory=Cache)
    frozen: bool = False

    def __setattr__(self, name: str, value: Any) -> None:
        if name in CONTENT and getattr(self, "frozen", False):
            raise AttributeError(f"Site.{name} is content, frozen after the derive step (hooks/kn/pipeline.py)")
        super().__setattr__(name, value)

    def freeze(self) -> None:
        """End of the derive step: the content becomes immutable (tuples and
        read-only mappings), so no later step can change what was read."""
        for name in CONTENT:
            value = getattr(self, name)
            if isinstance(value, list):
                super().__setattr__(name, tuple(value))
            elif isinstance(value, dict):
                super().__setattr__(name, MappingProxyType(value))
        self.frozen = True

    def sorted_series(self) -> list[Series]:
        """Series in German alphabetical order of their titles."""
        return sorted(self.series.values(), key=lambda s: german_key(s.title))

    def sorted_checklists(self) -> list[Checklist]:
        """Checklists in the order a reader meets them: by the first article that includes
        each (`checklist_users` is in reading order), then unused ones alphabetically."""
        def key(checklist: Checklist) -> tuple:
            users = self.checklist_users.get(checklist.name)
            if not users:
                return (1, (), german_key(checklist.title))
            first = users[0]
            place = list(first.checklists).index(checklist.name) if checklist.name in first.checklists else 0
            return (0, (first.series, first.part is None, first.part or 0, first.moment(), first.src_uri, place),
                    german_key(checklist.title))
        return sorted(self.checklists.values(), key=key)

    def validated_articles(self) -> list[Article]:
        """Every article whose fields must be checked, published or not."""
        return [*self.articles, *self.drafts, *self.rejected]

    def replace_articles(self, new: Mapping[str, Article]) -> None:
        """Put the new records `new` (src_uri -> article, made with
        dataclasses.replace) into every collection that holds articles, at once:
        the collections are replaced, never changed item by item. Runs while
        reading (hooks/kn/pipeline.py step 3), before any later step keeps a
        reference to an article."""
        if not new:
            return

        def swap(articles: Iterable[Article]) -> tuple[Article, ...]:
            return tuple(new.get(a.src_uri, a) for a in articles)

        self.drafts, self.rejected = list(swap(self.drafts)), list(swap(self.rejected))
        self._rebuild(swap)

    def remove_articles(self, src_uris: set[str]) -> None:
        """Leave the articles `src_uris` out of what is published (nothing is
        published from an article with a broken field); drafts and rejected
        articles stay, for their checks."""
        if src_uris:
            self._rebuild(lambda articles: tuple(a for a in articles if a.src_uri not in src_uris))

    def _rebuild(self, swap: Callable[[Iterable[Article]], tuple[Article, ...]]) -> None:
        """New published collections: the articles, by address, in each series and tag."""
        self.articles = list(swap(self.articles))
        self.by_uri = {a.src_uri: a for a in self.articles}
        self.series = {name: replace(s, articles=swap(s.articles)) for name, s in self.series.items()}
        self.tags = {name: replace(t, articles=swap(t.articles)) for name, t in self.tags.items()}
        self.tag_pages = {uri: self.tags.get(t.name, t) for uri, t in self.tag_pages.items()}

    def reading_of(self, article: Article) -> Reading:
        """The words and reading time of a rendered article (zero before)."""
        return self.cache.reading.get(article.src_uri, NOT_READ)

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def env(self) -> Environment:
        """The theme's Jinja environment, made once per build."""
        if self.cache.env is None:
            assert self.config is not None
            self.cache.env = templates.theme_env(self.config)
            install_filters(self.cache.env)
        return self.cache.env

    def render(self, template: str, page: Page, **context: Any) -> str:
        """Render one of our templates for `page` (the `url` filter needs it)."""
        base_url = get_relative_url(".", page.url)
        return self.env().get_template(template).render(
            page=page, base_url=base_url, config=self.config, site=self, **context
        )


NOT_READ = Reading()
SITE = Site()


def reset(command: str | None = None) -> Site:
    """Start a new build with empty state (keeping the command)."""
    global SITE
    SITE = Site(command=command or SITE.command)
    return SITE


def install_filters(env: Environment) -> None:
    """Our Jinja filters, for the theme's templates and for our own templates."""
    env.filters["datum_de"] = format_date_de
    env.filters["kn_moment"] = moment
    env.filters["kn_nbsp"] = nbsp  # no-break spaces in template texts („§ 5“, „e. Kfr.“)
    env.filters["kn_reading"] = lambda article: SITE.reading_of(article)  # words, minutes of a rendered article

