"""Pure planning helpers shared by both sources: file names, descriptions,
tag merging, comment threads, and the text of every file the import writes."""

from __future__ import annotations

import datetime
import html
import re
from collections import Counter, defaultdict
from typing import Any

import yaml

from kn.markdown.typography import cut_at_word, teaser
from kn.names import IMAGES, SERIES_PAGES
from kn.text import german_key, slugify

from .model import Comment, Post

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

TAG_RE = re.compile(r"<[^>]+>")
BLOCK_TAG_RE = re.compile(r"</?(?:p|br|li|ul|ol|h[1-6]|div|td|th|tr|table|blockquote|pre|figure|figcaption)\b[^>]*>", re.I)
PAGES_FOLDER = SERIES_PAGES
SLUG_CHARS = 80  # file names stay far below every file system's limit
MEDIA_FOLDER = IMAGES

# -----------------------------------------------------------------------------
# Descriptions
# -----------------------------------------------------------------------------


def html_text(html_text_: str) -> str:
    """Readable text of HTML: block tags become spaces, inline tags vanish."""
    text = BLOCK_TAG_RE.sub(" ", html_text_)
    return " ".join(html.unescape(TAG_RE.sub("", text)).split())


def describe(excerpt: str, body: str, title: str) -> str:
    """The description: the excerpt, else the teaser the build itself would
    take (text before <!-- more -->, else the first paragraph); never empty
    (the title as last resort)."""
    if excerpt.strip():
        return cut_at_word(excerpt)
    return teaser(body) or cut_at_word(title)


# -----------------------------------------------------------------------------
# File names
# -----------------------------------------------------------------------------


def assign_paths(posts: list[Post], series: str) -> None:
    """docs/<series>/<slug>.md for posts, docs/<series>/seiten/<slug>.md for
    pages; a slug taken by an earlier post (by date, then source) gets -2, -3 …"""
    taken: set[str] = set()
    for post in sorted(posts, key=lambda p: (p.when, p.source)):
        folder = f"{series}/{PAGES_FOLDER}" if post.kind == "page" else series
        base = post.slug or "beitrag"
        if len(base) > SLUG_CHARS:
            base = base[:SLUG_CHARS].rsplit("-", 1)[0] or base[:SLUG_CHARS]
        if base == "index":
            base = "index-1"
        candidate, number = base, 1
        while f"{folder}/{candidate}" in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(f"{folder}/{candidate}")
        post.path = f"{folder}/{candidate}.md"


def media_path(rel: str) -> str:
    """A media file's path with names that need no quoting in Markdown links:
    '2019/03/Foto Größe.JPG' -> '2019/03/foto-groesse.jpg'."""
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    clean = [slugify(p) or "datei" for p in parts[:-1]]
    stem, dot, ext = parts[-1].rpartition(".") if "." in parts[-1] else (parts[-1], "", "")
    name = (slugify(stem) or "datei") + (dot + (slugify(ext) or "bin") if dot else "")
    return "/".join([*clean, name])


# -----------------------------------------------------------------------------
# Tags
# -----------------------------------------------------------------------------


def merge_tags(posts: list[Post], vocabulary: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Map every tag spelling to the one kept: an existing vocabulary entry with
    the same slug, else the most used spelling (ties: the first in German order).
    Returns (spelling -> kept, [(merged spelling, kept)])."""
    usage: Counter[str] = Counter(tag for post in posts for tag in post.tags)
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in usage:
        by_slug[slugify(name)].append(name)
    known = {slugify(name): name for name in vocabulary}
    mapping: dict[str, str] = {}
    merged: list[tuple[str, str]] = []
    for slug, names in by_slug.items():
        kept = known.get(slug) or sorted(names, key=lambda n: (-usage[n], german_key(n)))[0]
        for name in sorted(names, key=german_key):
            mapping[name] = kept
            if name != kept:
                merged.append((name, kept))
    return mapping, merged


def apply_tags(post: Post, mapping: dict[str, str], default_tag: str) -> bool:
    """Rename the post's tags to the kept spellings; give it `default_tag` when
    it has none. True when the default was used."""
    tags = list(dict.fromkeys(mapping.get(t, t) for t in post.tags if slugify(t)))
    post.tags = tags or [default_tag]
    return not tags


# -----------------------------------------------------------------------------
# Comments
# -----------------------------------------------------------------------------


def thread_entries(comments: list[Comment], problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Entries for data/comments/…yml: in date order, `reply_to` the 1-based
    number of the parent entry; a reply never comes before its parent, and a
    reply whose parent is not in the list is a top-level comment. A cycle of
    parents (1 answers 2, 2 answers 1) is broken up and named in `problems`."""
    ids = {c.id for c in comments}
    ordered: list[Comment] = []
    number: dict[str, int] = {}
    waiting: dict[str, list[Comment]] = defaultdict(list)  # parent id -> replies dated before it

    def place(first: Comment) -> None:
        stack = [first]  # iterative: a thread may be thousands of replies deep
        while stack:
            comment = stack.pop()
            ordered.append(comment)
            number[comment.id] = len(ordered)
            stack.extend(reversed(waiting.pop(comment.id, [])))

    for comment in sorted(comments, key=lambda c: (c.when, int(c.id) if c.id.isdigit() and len(c.id) < 19 else 0, c.id)):
        parent = comment.parent if comment.parent in ids and comment.parent != comment.id else None
        if parent is None or parent in number:
            place(comment)
        else:
            waiting[parent].append(comment)
    while waiting:  # a cycle of parents: the rest go to the top level
        replies = waiting.pop(next(iter(waiting)))
        for reply in replies:
            if reply.id not in number:
                if problems is not None:
                    problems.append(f"Kommentar {reply.id} antwortet im Kreis (Eltern-Kommentar {reply.parent}); "
                                    "als eigener Kommentar übernommen.")
                reply.parent = ""
                place(reply)
    entries = []
    for comment in ordered:
        entry: dict[str, Any] = {"author": comment.author, "date": front_matter_date(comment.when)}
        if comment.parent in number and comment.parent != comment.id:
            entry["reply_to"] = number[comment.parent]
        entry["text"] = comment.text.strip()
        entries.append(entry)
    return entries


# -----------------------------------------------------------------------------
# File texts
# -----------------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block scalars for multi-line text, so that comment files stay readable."""


def _str(dumper: yaml.BaseDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def front_matter_date(when: datetime.datetime) -> datetime.date | datetime.datetime:
    """The date as the site's schema reads it: with the time of day (local time
    of the old blog, read as German time), or the day alone at midnight."""
    return when.date() if when.time() == datetime.time(0, 0) else when.replace(tzinfo=None, microsecond=0)


def article_text(post: Post, description: str | None) -> str:
    """The Markdown file of an imported post or page; without `description`
    the build takes the teaser from the text."""
    if post.kind == "page":
        meta: dict[str, Any] = {"title": post.title, "description": description}
    else:
        meta = {
            "title": post.title,
            **({"description": description} if description else {}),
            "date": front_matter_date(post.when),
            "tags": post.tags,
            "authors": post.authors,
            "comments": post.comments,
        }
        if post.draft:
            meta["draft"] = True
        if post.sticky:
            meta["angeheftet"] = True
        if post.guid.strip() and len(post.guid) <= 500 and post.guid.isprintable():
            meta["guid"] = post.guid.strip()
    return "---\n" + dump(meta) + "---\n\n" + post.body.strip() + "\n"


def comments_text(post: Post, entries: list[dict[str, Any]]) -> str:
    return f"# Archivierte Kommentare zu docs/{post.path} (importiert).\n" + dump(entries)


def series_index_text(title: str, pages: list[Post] | None = None, *, blog: bool = False) -> str:
    """The overview of an imported blog (`art: blog`: newest first) or series;
    its pages (WordPress pages, undated Markdown pages) are listed with their
    hierarchy, so that they are reachable."""
    what = "Blog" if blog else "Reihe"
    meta: dict[str, Any] = {"title": title, "description": f"Alle Artikel {'des Blogs' if blog else 'der Reihe'} „{title}“ im Überblick."}
    if blog:
        meta["art"] = "blog"
    text = "---\n" + dump(meta) + "---\n\n" + (
        f"Hier finden Sie alle Beiträge des {what}s „{markdown_text(title)}“, die neuesten zuerst.\n" if blog else
        f"Hier finden Sie alle Artikel der {what} „{markdown_text(title)}“.\n")
    pages = [p for p in pages or [] if p.kind == "page" and not p.draft]
    if pages:
        text += "\n## Seiten\n\n" + page_list(pages, title_of=lambda p: p.title)
    return text


def markdown_text(text: str) -> str:
    """Plain text for a Markdown body: no HTML, no links, no emphasis from it."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", escaped)


def page_list(pages: list[Post], *, title_of: Any) -> str:
    """A nested Markdown list of pages by their parent (`Post.parent` = ident of the parent page)."""
    by_ident = {p.ident: p for p in pages if p.ident}
    children: dict[str, list[Post]] = defaultdict(list)
    for page in pages:
        parent = page.parent if page.parent in by_ident and page.parent != page.ident else ""
        children[parent].append(page)
    lines: list[str] = []
    seen: set[int] = set()
    stack = [(p, 0) for p in sorted(children[""], key=lambda p: german_key(p.title), reverse=True)]
    while stack:
        page, depth = stack.pop()
        if id(page) in seen or depth > 5:
            continue
        seen.add(id(page))
        label = markdown_text(title_of(page))
        lines.append("    " * depth + f"- [{label}]({page.path.split('/', 1)[1]})")
        stack += [(c, depth + 1) for c in sorted(children.get(page.ident, []) if page.ident else [],
                                                  key=lambda p: german_key(p.title), reverse=True)]
    rest = [p for p in pages if id(p) not in seen]  # a cycle of parents: listed at the top level
    lines += [f"- [{markdown_text(p.title)}]({p.path.split('/', 1)[1]})" for p in rest]
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str, start: int = 0) -> tuple[int | None, int]:
    """1-based line of `needle` in `text` at or after `start`, and the position after it."""
    if not needle:
        return None, start
    index = text.find(needle, start)
    if index < 0:
        index = text.find(needle)
    if index < 0:
        return None, start
    return text.count("\n", 0, index) + 1, index + len(needle)
