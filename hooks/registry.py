"""Shared state of one build: the articles, checklists and collected errors.

This is not a hook module (it is not listed under `hooks:`). Hook modules are
loaded by MkDocs with `hooks/` on `sys.path`, so they all import this one
module object and share its state. `reset()` runs in `articles.on_config`,
because MkDocs does not reload hook modules between rebuilds of `mkdocs serve`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from social import SocialImage

# -----------------------------------------------------------------------------
# Data
# -----------------------------------------------------------------------------


@dataclass
class Article:
    """One article, read once from its Markdown file in `articles.on_files`."""

    src_uri: str  # relative to docs/, e.g. "kooperation-netzwerke/x.md"
    url: str  # e.g. "kooperation-netzwerke/x/"
    series: str  # folder name, e.g. "kooperation-netzwerke"
    title: str
    description: str
    date: datetime.date
    tags: list[str]
    comments: str | None  # "open", "closed", "off" or None (use the default)
    authors: list[str]
    draft: bool
    body: str  # Markdown without front matter
    # Filled in by later hooks:
    checklists: list[str] = field(default_factory=list)
    words: int = 0
    reading_minutes: int = 0
    comment_count: int = 0
    comment_state: str = "off"


@dataclass
class Series:
    """A folder of articles under docs/ with its overview page `index.md`."""

    name: str
    title: str
    index_uri: str
    url: str
    articles: list[Article] = field(default_factory=list)  # oldest first


@dataclass
class Checklist:
    """A checklist file `docs/checklisten/<name>.md`."""

    name: str
    src_uri: str
    url: str
    title: str
    items: list[str]
    source: str  # the Markdown, included verbatim into articles


# --- Tags (hooks/tags.py) ----------------------------------------------------


@dataclass
class Tag:
    """A topic from data/tags.yml that at least one article uses."""

    name: str
    slug: str
    description: str
    src_uri: str  # the generated page, "tags/<slug>.md"
    url: str  # "tags/<slug>/"
    articles: list[Article] = field(default_factory=list)  # newest first


# -----------------------------------------------------------------------------


@dataclass
class Site:
    command: str = "build"
    config: MkDocsConfig | None = None
    articles: list[Article] = field(default_factory=list)  # newest first
    # Drafts left out of `mkdocs build`: not published, but still validated.
    drafts: list[Article] = field(default_factory=list)
    by_uri: dict[str, Article] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)  # name -> used tag (hooks/tags.py)
    errors: list[str] = field(default_factory=list)
    # Reach (hooks/related.py, hooks/social.py):
    related: dict[str, list[Article]] = field(default_factory=dict)  # src_uri -> up to three articles
    checklist_users: dict[str, list[Article]] = field(default_factory=dict)  # checklist -> articles, newest first
    previews: dict[str, SocialImage] = field(default_factory=dict)  # src_uri -> its preview image
    extra: dict[str, Any] = field(default_factory=dict)  # per-module state
    _env: Environment | None = None

    def sorted_series(self) -> list[Series]:
        """Series in German alphabetical order of their titles."""
        from text import german_key

        return sorted(self.series.values(), key=lambda s: german_key(s.title))

    def sorted_checklists(self) -> list[Checklist]:
        """Checklists in German alphabetical order of their titles."""
        from text import german_key

        return sorted(self.checklists.values(), key=lambda c: german_key(c.title))

    def validated_articles(self) -> list[Article]:
        """Every article whose fields must be checked, published or not."""
        return self.articles + self.drafts

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def env(self) -> Environment:
        """The theme's Jinja environment, made once per build."""
        if self._env is None:
            assert self.config is not None
            self._env = self.config.theme.get_env()
            install_filters(self._env)
        return self._env

    def render(self, template: str, page: Page, **context: Any) -> str:
        """Render one of our partials for `page` (the `url` filter needs it)."""
        from mkdocs.utils import get_relative_url

        base_url = get_relative_url(".", page.url)
        return self.env().get_template(template).render(
            page=page, base_url=base_url, config=self.config, site=self, **context
        )


SITE = Site()


def reset(command: str | None = None) -> Site:
    """Start a new build with empty state (keeping the command)."""
    global SITE
    SITE = Site(command=command or SITE.command)
    return SITE


def install_filters(env: Environment) -> None:
    """Our Jinja filters, for the theme's templates and for our partials."""
    from text import format_date_de

    env.filters["datum_de"] = format_date_de


def error(src: str, field_name: str | None, problem: str) -> str:
    """Format a build error for authors, in one format everywhere."""
    where = f"Fehler in '{src}'"
    if field_name:
        where += f", Feld '{field_name}'"
    return f"{where}: {problem}"
