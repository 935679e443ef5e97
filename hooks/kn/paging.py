"""Paging of article lists: pure helpers, no MkDocs events.

Not a hook module (it is not listed under `hooks:`). `listings.py` pages the
start page and every tag page with it; a blog section's overview can page its
articles the same way: `paginate(items, size, first_src=…, url_of=…)`
returns one `Pager` per page, and the page's template includes
`fragments/kn/pager.html` with it.

The first page keeps its own address (`/`, `/tags/<slug>/`); page n > 1 lives
under `<first page>seite/<n>/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from kn import names
from kn.problems import Problem, error

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

CONFIG = "mkdocs.yml"
SETTING = "extra.listen.seitengroesse"
DEFAULT_SIZE = 10
MAX_SIZE = 500
FOLDER = names.PAGES  # /seite/2/, /tags/<slug>/seite/2/

T = TypeVar("T")

# -----------------------------------------------------------------------------
# Data
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pager(Generic[T]):
    """One page of a paged list: its items, its place and its neighbours.

    `src_uri`/`url` are the page's own file and address (the first page: the
    real or generated page the list belongs to). `newer`/`older` are the
    addresses of the neighbours (None at the ends): the newer page is
    rel="prev", the older one rel="next", as the list runs newest first."""

    number: int  # from 1
    count: int  # number of pages
    total: int  # number of items over all pages
    items: tuple[T, ...]
    src_uri: str
    url: str
    newer: str | None
    older: str | None
    first_url: str

    offset: int = 0  # items on the pages before this one

    @property
    def first(self) -> bool:
        return self.number == 1


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def page_size(extra: Any) -> tuple[int, list[Problem]]:
    """`extra.listen.seitengroesse` of mkdocs.yml: a whole number from 1 to
    MAX_SIZE; missing means DEFAULT_SIZE."""
    # mkdocs.yml's `extra` is a mapping (MkDocs' LegacyConfig), not always a dict.
    listen = extra.get("listen") if isinstance(extra, Mapping) else None
    if listen is None:
        return DEFAULT_SIZE, []
    if not isinstance(listen, Mapping):
        return DEFAULT_SIZE, [error(CONFIG, "extra.listen", "ist kein Abschnitt mit Feldern. Erwartet: 'seitengroesse: 10'.")]
    value = listen.get("seitengroesse", DEFAULT_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
        return DEFAULT_SIZE, [error(CONFIG, SETTING, (
            f"{value!r} ist keine erlaubte Seitengröße. Erwartet wird eine ganze Zahl von 1 bis {MAX_SIZE} "
            f"(Artikel je Seite der Startseite, der Themenseiten und der Blog-Übersichten), z. B. 'seitengroesse: {DEFAULT_SIZE}'."
        ))]
    return value, []


def directory_url(src_uri: str) -> str:
    """The address MkDocs gives a page with `use_directory_urls: true`:
    'index.md' -> '', 'seite/2.md' -> 'seite/2/', 'blog/index.md' -> 'blog/'."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem if not stem or stem.endswith("/") else stem + "/"


def later_source(first_src: str, number: int) -> str:
    """The file of page `number` (> 1) of the list whose first page is
    `first_src`: 'index.md' -> 'seite/2.md', 'tags/x.md' -> 'tags/x/seite/2.md',
    'blog/index.md' -> 'blog/seite/2.md'."""
    return f"{directory_url(first_src)}{FOLDER}/{number}.md"


def paginate(
    items: Sequence[T], size: int, *, first_src: str, url_of: Callable[[str], str] = directory_url,
) -> list[Pager[T]]:
    """Split `items` (newest first) into pages of `size`; `url_of(src_uri)` is
    a page's address (MkDocs' rule for the build's `use_directory_urls`).
    There is always a first page, even for an empty list."""
    if size < 1:
        raise ValueError("page size must be at least 1")
    chunks = [tuple(items[i:i + size]) for i in range(0, len(items), size)] or [()]
    count = len(chunks)
    sources = [first_src] + [later_source(first_src, n) for n in range(2, count + 1)]
    urls = [url_of(src) for src in sources]
    return [
        Pager(
            number=index + 1,
            count=count,
            total=len(items),
            items=chunk,
            src_uri=sources[index],
            url=urls[index],
            newer=urls[index - 1] if index > 0 else None,
            older=urls[index + 1] if index + 1 < count else None,
            first_url=urls[0],
            offset=index * size,
        )
        for index, chunk in enumerate(chunks)
    ]
