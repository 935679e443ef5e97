"""Pure helpers for German text: dates, sorting, slugs, words. Not a hook module."""

from __future__ import annotations

import datetime
import functools
import html
import re

from babel.dates import format_date

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

FOLD = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"))
# Rendered HTML that a reader does not read: comments, code, scripts, styles.
UNREAD_HTML_RE = re.compile(r"<!--.*?-->|<(pre|code|script|style|template)\b[^>]*>.*?</\1\s*>", re.S | re.I)
# Any tag, with its attributes (link targets, alt texts).
TAG_RE = re.compile(r"<[^>]*>")
# A word: a run of non-space characters with at least one letter or digit.
WORD_RE = re.compile(r"\S*[^\W_]\S*")

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # a listing shows the same dates again and again
def format_date_de(value: datetime.date) -> str:
    """A date the German way: 27. November 2026."""
    return format_date(value, format="d. MMMM y", locale="de")


def german_key(text: str) -> tuple[str, str]:
    """Sort key for German: case-insensitive, Ä sorts with A, ß with ss."""
    folded = text.casefold()
    for umlaut, base in FOLD:
        folded = folded.replace(umlaut, base)
    return folded, text


SLUG_REPLACEMENTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("&", " und "))


def slugify(name: str) -> str:
    """URL slug of a tag: "Größe & Wachstum" -> "groesse-und-wachstum".

    Lower-case; ä→ae, ö→oe, ü→ue, ß→ss, & → und; every other run of characters
    outside a–z and 0–9 becomes one hyphen; no hyphen at either end.
    """
    slug = name.lower()
    for char, replacement in SLUG_REPLACEMENTS:
        slug = slug.replace(char, replacement)
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-")


def count_words(rendered: str) -> int:
    """Words a reader sees in rendered HTML.

    Counted is the visible text only: no tags or attributes (so no link
    targets or alt texts), no HTML comments, no code. A word is a run of
    non-space characters with at least one letter or digit, so "–", "-" or "|"
    do not count; list numbers are not in the HTML.
    """
    text = TAG_RE.sub(" ", UNREAD_HTML_RE.sub(" ", rendered))
    return len(WORD_RE.findall(html.unescape(text)))


def moment(value: datetime.date) -> datetime.datetime:
    """A date or datetime as a comparable moment: a date alone is midnight UTC."""
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time(0, 0), tzinfo=datetime.timezone.utc)
