"""The importer's data: what a reader produces and the writer consumes.

Readers (wxr.py, mdblog.py) turn a source into `Post`s with Markdown bodies and
`Comment`s; `plan.py` turns those into files; `writer.py` writes them. Every
item of the source ends up counted in the `Report` exactly once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

# Outcomes of a source item, as counted in the report.
IMPORTED = "importiert"
DRAFT = "als Entwurf importiert"
PAGE = "als Seite importiert"


class ImportFailed(Exception):
    """An error that stops the import before anything is written (German message)."""


@dataclass
class Options:
    source: Path
    root: Path  # the site's folder (mkdocs.yml, docs/, data/)
    series: str | None = None  # folder under docs/; None: derived from the source
    media: Path | None = None  # a local copy of wp-content/uploads
    replace: bool = False  # --ersetzen: overwrite files that the import would change
    pages: bool = True  # WordPress pages into docs/<series>/seiten/ (False: skip them)
    open_comments: str = "closed"  # what an "open" comment status becomes
    as_series: bool = False  # --als-reihe: a series with numbered parts instead of a blog section
    fetch: bool = False  # --bilder-laden: fetch pictures from the old site
    fetch_hosts: tuple[str, ...] = ()  # --bilder-hosts: further hosts pictures may come from
    connect_to: dict[str, str] = field(default_factory=dict)  # host -> "127.0.0.1:port" (tests only)
    default_author: str = "redaktion"
    default_tag: str = "Allgemein"


@dataclass
class Comment:
    id: str
    parent: str  # id of the parent comment, "" or "0" for none
    author: str
    when: datetime.datetime
    text: str  # Markdown


@dataclass
class Post:
    source: str  # how the report names the item, e.g. "Beitrag 12 „Titel“" or "2024/x.md"
    kind: str  # "post" or "page"
    title: str
    slug: str  # wanted file name without .md
    when: datetime.datetime
    draft: bool
    tags: list[str]
    authors: list[str]  # author ids
    comments: str  # open / closed / off
    body: str = ""  # Markdown
    excerpt: str = ""  # plain text, may be empty
    old_urls: list[str] = field(default_factory=list)  # paths under the old site, "2019/03/x/"
    query_urls: list[str] = field(default_factory=list)  # "?p=12" and the like: not redirectable
    thread: list[Comment] = field(default_factory=list)
    ident: str = ""  # the id in the source (wp:post_id), decides who keeps a shared old address
    parent: str = ""  # ident of the parent page (WordPress page hierarchy)
    sticky: bool = False
    guid: str = ""  # the old feed id, kept so feed readers do not show the post again
    # Filled in by plan.py:
    path: str = ""  # under docs/, e.g. "serie/x.md"


@dataclass
class Author:
    id: str
    name: str


@dataclass
class Source:
    """Everything a reader found, before planning files."""

    kind: str  # "WordPress" or "Markdown"
    title: str  # the blog's title (series index), may be empty
    posts: list[Post] = field(default_factory=list)
    authors: dict[str, Author] = field(default_factory=dict)  # id -> author
    tag_descriptions: dict[str, str] = field(default_factory=dict)  # tag name -> description
    media: dict[str, Path] = field(default_factory=dict)  # path under docs/ -> file to copy
