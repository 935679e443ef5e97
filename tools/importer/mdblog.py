"""Read a Markdown blog: a folder of .md files with the front matter of
Material for MkDocs' blog plugin, Jekyll or Hugo (YAML between `---` or TOML
between `+++`).

Mapped fields: title, date (with time, or `{created, updated}`), slug, draft /
published: false, categories and tags (→ tags), authors / author, description /
summary / excerpt, comments, aliases / redirect_from (→ redirects). Every other
field is dropped and listed in the report. The first `# ` heading is the title
when the front matter has none. Relative links between posts and to images are
rewritten to the new files; images are copied.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from schema import _Loader
from text import slugify

from .html2md import Converted, video_markdown, video_title
from .model import DRAFT, IMPORTED, Author, ImportFailed, Options, Post, Source
from .plan import media_path
from .report import Report

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

YAML_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
TOML_RE = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)
JEKYLL_NAME_RE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})-(.+)\Z")
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
HEADING_LINE_RE = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*(\{[^}]*\})?[ \t]*$", re.M)
H1_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
FENCE_RE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?((?:\s+\"[^\"]*\")?)\s*\)")
REF_RE = re.compile(r"^([ ]{0,3}\[[^\]]+\]:[ \t]*)<?(\S+?)>?([ \t]+.*)?$", re.M)
LIQUID_POST_RE = re.compile(r"\{%\s*(?:post_url|link)\s+([^%\s]+)\s*%\}")
HUGO_REF_RE = re.compile(r"\{\{<\s*(?:rel)?ref\s+\"?([^\">\s]+)\"?\s*>\}\}")
HUGO_VIDEO_RE = re.compile(r"\{\{<\s*(youtube|vimeo)\s+(?:id=)?\"?([\w-]+)\"?[^>]*>\}\}")
TEMPLATE_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
URL_RE = re.compile(r"\A[a-zA-Z][a-zA-Z0-9+.-]*:|\A//")
USED_FIELDS = frozenset({
    "title", "date", "slug", "draft", "published", "categories", "tags", "authors", "author",
    "description", "summary", "excerpt", "comments", "aliases", "redirect_from",
})
SKIPPED_DIRS = frozenset({"node_modules", "site", "_site", "public", "resources"})
ASSET_ROOTS = ("", "static", "docs", "assets")

# -----------------------------------------------------------------------------
# Reading
# -----------------------------------------------------------------------------


@dataclass
class Blog:
    root: Path
    by_file: dict[str, Post] = field(default_factory=dict)  # path under root -> post
    by_stem: dict[str, Post] = field(default_factory=dict)  # file name without .md -> post
    files: dict[int, str] = field(default_factory=dict)  # id(post) -> path under root


def markdown_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.md")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") or p in SKIPPED_DIRS for p in parts[:-1]) or not path.is_file():
            continue
        found.append(path)
    return found


def read(root: Path, options: Options, report: Report) -> tuple[Source, Blog]:
    files = markdown_files(root)
    if not files:
        raise ImportFailed(f"Im Ordner „{root}“ gibt es keine .md-Dateien.")
    source = Source("Markdown", root.resolve().name.replace("-", " ").replace("_", " ").strip().title())
    authors = material_authors(root)
    blog = Blog(root)
    for path in files:
        rel = path.relative_to(root).as_posix()
        post = read_post(rel, path.read_text(encoding="utf-8", errors="replace"), options, report, source, authors)
        if post is not None:
            source.posts.append(post)
            blog.by_file[rel] = post
            blog.by_stem.setdefault(path.stem, post)
            blog.files[id(post)] = rel
    return source, blog


def material_authors(root: Path) -> dict[str, str]:
    """id -> name from Material's `.authors.yml` files."""
    names: dict[str, str] = {}
    for path in sorted(root.rglob(".authors.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        for author_id, entry in ((data.get("authors") or {}) if isinstance(data, dict) else {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                names[str(author_id)] = entry["name"]
    return names


def split(text: str) -> tuple[dict[str, Any] | None, str, str | None]:
    """(front matter, body, problem)."""
    for pattern, loader in ((YAML_RE, "yaml"), (TOML_RE, "toml")):
        match = pattern.match(text)
        if not match:
            continue
        try:
            meta = yaml.load(match.group(1), Loader=_Loader) if loader == "yaml" else tomllib.loads(match.group(1))
        except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
            return None, text, f"Kopfbereich nicht lesbar ({type(exc).__name__})"
        return (meta if isinstance(meta, dict) else {}), text[match.end():], None
    return {}, text, None


def read_post(rel: str, text: str, options: Options, report: Report, source: Source,
              known_authors: dict[str, str]) -> Post | None:
    meta, body, problem = split(text)
    if meta is None:
        report.item(rel, f"übersprungen: {problem}")
        return None
    name = Path(rel).name
    jekyll = JEKYLL_NAME_RE.match(Path(rel).stem)
    when = to_datetime(meta.get("date"))
    if when is None and jekyll:
        when = datetime.datetime(*map(int, jekyll.groups()[:3]))
    if when is None:
        report.item(rel, "übersprungen: kein Datum (keine Blogseite, z. B. eine Übersicht)")
        return None
    draft = meta.get("draft") is True or meta.get("published") is False or "_drafts" in Path(rel).parts
    report.item(rel, DRAFT if draft else IMPORTED)
    title = meta.get("title") if isinstance(meta.get("title"), str) and meta["title"].strip() else None
    if title is None:
        heading = H1_RE.search(FENCE_RE.sub("", body))
        if heading:
            title = heading.group(1).strip()
            body = body.replace(heading.group(0), "", 1)
    stem = Path(rel).stem if name not in ("index.md", "_index.md") else Path(rel).parent.name
    stem = jekyll.group(4) if jekyll else stem
    if title is None:
        title = stem.replace("-", " ").replace("_", " ").strip().capitalize() or rel
        report.note(rel, None, f"kein Titel in der Quelle; „{title}“ aus dem Dateinamen gebildet.")
    dropped = sorted(str(k) for k in meta if str(k) not in USED_FIELDS)
    if dropped:
        report.note(rel, None, "Felder nicht übernommen: " + ", ".join(dropped))
    author_ids = []
    for value in names(meta.get("authors")) + names(meta.get("author")):
        author_id = value if value in known_authors else slugify(value)
        if author_id and author_id not in author_ids:
            author_ids.append(author_id)
            source.authors.setdefault(author_id, Author(author_id, known_authors.get(value, value)))
    if not author_ids:
        author_ids = [options.default_author]
        source.authors.setdefault(options.default_author, Author(options.default_author, "Redaktion"))
    comments = meta.get("comments")
    post = Post(
        source=rel,
        kind="post",
        title=" ".join(title.split()),
        slug=slugify(str(meta.get("slug") or "")) or slugify(stem) or "beitrag",
        when=when,
        draft=draft,
        tags=names(meta.get("categories"), split_words=True) + names(meta.get("tags"), split_words=True),
        authors=author_ids,
        comments=options.open_comments if comments is True or comments == "open" else ("closed" if comments == "closed" else "off"),
        body=body,
        excerpt=next((" ".join(str(meta[k]).split()) for k in ("description", "summary", "excerpt") if meta.get(k)), ""),
    )
    for alias in names(meta.get("aliases")) + names(meta.get("redirect_from")):
        path = unquote(alias.split("?")[0].split("#")[0]).strip("/")
        if path and not URL_RE.match(alias):
            path += "" if posixpath.splitext(path)[1] else "/"
            if path not in post.old_urls:
                post.old_urls.append(path)
    return post


def names(value: Any, *, split_words: bool = False) -> list[str]:
    """A list of texts from a YAML/TOML value (a Jekyll string is split at spaces)."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split_words else ([value.strip()] if value.strip() else [])
    if isinstance(value, list):
        return [str(v).strip() for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    return []


def to_datetime(value: Any) -> datetime.datetime | None:
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    match = DATE_RE.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return datetime.datetime(*(int(g) if g else 0 for g in match.groups()))
    except ValueError:
        return None


# -----------------------------------------------------------------------------
# Bodies: links, images and template tags
# -----------------------------------------------------------------------------


def heading_anchors(body: str) -> set[str]:
    """The ids that Python-Markdown's toc gives the headings of `body` (and `{ #id }` ids)."""
    from markdown.extensions.toc import slugify as toc_slugify

    anchors = set()
    for match in HEADING_LINE_RE.finditer(FENCE_RE.sub("", body)):
        text, attrs = match.group(1), match.group(2) or ""
        explicit = re.search(r"#([\w-]+)", attrs)
        anchors.add(explicit.group(1) if explicit else toc_slugify(text, "-"))
    return anchors


def convert(post: Post, blog: Blog, targets: dict[str, str], media_folder: str,
            media: dict[str, Path]) -> tuple[Converted, list[str]]:
    """Rewrite links and images of one post; returns the Markdown with notes, and missing files."""
    rel = blog.files[id(post)]
    notes: list[tuple[str, str]] = []
    missing: list[str] = []

    def liquid(match: re.Match[str]) -> str:
        target = blog.by_stem.get(Path(match.group(1)).stem.removesuffix(".md"))
        return "/" + blog.files[id(target)] if target else match.group(0)

    anchors = heading_anchors(post.body)

    def resolve(target: str) -> str | None:
        """New target; None: broken."""
        if target.startswith("#"):
            return target if target[1:] in anchors else None
        if not target or URL_RE.match(target):
            return target
        path_part, _, fragment = target.partition("#")
        path_part = unquote(path_part.split("?")[0])
        base = "" if path_part.startswith("/") else posixpath.dirname(rel)
        for root in ASSET_ROOTS if path_part.startswith("/") else ("",):
            candidate = posixpath.normpath(posixpath.join(root, base, path_part.lstrip("/")))
            if candidate.startswith(".."):
                continue
            for option in (candidate, candidate.rstrip("/") + ".md", candidate.rstrip("/") + "/index.md"):
                other = blog.by_file.get(option)
                if other is not None and not other.draft:
                    # Without its #fragment: heading anchors are made differently here.
                    return posixpath.relpath(other.path, posixpath.dirname(post.path))
                file = blog.root / option
                if option.endswith(".md") or not file.is_file():
                    continue
                new = f"{media_folder}/{media_path(option)}"
                media[new] = file
                return posixpath.relpath(new, posixpath.dirname(post.path)) + (f"#{fragment}" if fragment else "")
        return None

    def link(match: re.Match[str]) -> str:
        bang, text, target, title = match.groups()
        new = resolve(target)
        if bang and new and URL_RE.match(new):
            notes.append((f"Bild von einem fremden Server {target!r} durch einen einfachen Link ersetzt.", target))
            return f"[{text or 'Bild'}]({target})"
        if new is None:
            what = "Bild" if bang else "Link"
            replacement = "den Alternativtext" if bang else "den Text"
            notes.append((f"{what} auf „{target}“ führt ins Leere; durch {replacement} ersetzt.", text or ""))
            return text
        return f"{bang}[{text}]({new}{title})"

    def reference(match: re.Match[str]) -> str:
        new = resolve(match.group(2))
        if new is None:
            notes.append((f"Link-Verweis auf „{match.group(2)}“ führt ins Leere; Verweis entfernt, der Text bleibt.", ""))
            return ""
        return match.group(1) + new + (match.group(3) or "")

    def video(match: re.Match[str]) -> str:
        site, video_id = match.groups()
        url = f"https://vimeo.com/{video_id}" if site == "vimeo" else f"https://www.youtube.com/watch?v={video_id}"
        return video_markdown(url, video_title(url))

    def outside_code(text: str) -> str:
        text = HUGO_VIDEO_RE.sub(video, text)
        text = LIQUID_POST_RE.sub(liquid, text)
        text = HUGO_REF_RE.sub(liquid, text)
        for tag in TEMPLATE_RE.findall(text):
            notes.append((f"Vorlagen-Befehl {tag[:60]!r} als Text übernommen (bitte von Hand ersetzen).", tag))
        text = LINK_RE.sub(link, text)
        return REF_RE.sub(reference, text)

    body, position, parts = post.body, 0, []
    for fence in FENCE_RE.finditer(body):
        parts.append(outside_code(body[position:fence.start()]))
        parts.append(fence.group(0))
        position = fence.end()
    parts.append(outside_code(body[position:]))
    markdown = re.sub(r"\n{3,}", "\n\n", "".join(parts)).strip()
    return Converted(markdown + "\n", notes), missing
