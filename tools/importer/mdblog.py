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
import os
import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from kn import yamlfile
from kn.limits import LIMITS, yaml_problems
from kn.markdown.embeds import PROVIDERS
from kn.text import slugify
from kn.yamlfile import FRONT_MATTER_RE

from .fetch import Fetcher
from .html2md import Converted, video_markdown, video_title, video_url
from .media import clean_relative, safe_file
from .model import DRAFT, IMPORTED, PAGE, Author, ImportFailed, Options, Post, Source
from .plan import media_path
from .report import Report
from .wxr import plain_title

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

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
ACTIVE_BLOCK_RE = re.compile(r"<(script|style|noscript|object|form|frameset)\b[^>]*>.*?</\1\s*>", re.S | re.I)
ACTIVE_TAG_RE = re.compile(r"</?(?:script|style|noscript|object|embed|form|input|button|select|textarea|meta|base|link|frame|"
                           r"frameset|applet)\b[^>]*>", re.I)
RAW_TAG_RE = re.compile(r"<(img|video|audio|source|a)\b([^>]*)>", re.I)
PLAYER_RE = re.compile(r"<(video|audio)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
EVENT_ATTR_RE = re.compile(r"""\s(?:on\w+|srcdoc|formaction)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
IFRAME_RE = re.compile(r"<iframe\b([^>]*)>(?:.*?</iframe\s*>)?", re.S | re.I)
# Any start tag, and the attributes the build refuses in a body (hooks/kn/security.py): inline
# styles (the CSP blocks them), event handlers, and names the theme or our scripts use.
START_TAG_RE = re.compile(r"<([a-zA-Z][\w-]*)(\s[^<>]*?)?(\s*/?)>")
REFUSED_ATTR_RE = re.compile(
    r"""\s(?:style|on\w+|srcdoc|formaction|data-(?:kn|md)-[\w-]*)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
ATTR_SRC_RE = re.compile(r"""\b(src|title)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
NOT_PAGES = frozenset({"readme.md", "changelog.md", "license.md", "licence.md", "contributing.md", "404.md", "tags.md"})
FATAL_YAML = ("Anker und Verweise", "tiefer als", "mehr als")  # limits.yaml_problems: refuse before loading
CONFIG_FILES = ("mkdocs.yml", "_config.yml", "hugo.yaml", "hugo.yml", "config.yaml", "config.yml")
SKIPPED_DIRS = frozenset({"node_modules", "site", "_site", "public", "resources"})
ASSET_ROOTS = ("", "static", "docs", "assets")

# -----------------------------------------------------------------------------
# Reading
# -----------------------------------------------------------------------------


@dataclass
class Blog:
    root: Path
    owner: str = ""  # the blog's owner (site_author), author of posts that name none
    hosts: set[str] = field(default_factory=set)  # the blog's own host (site_url, url, baseURL)
    by_file: dict[str, Post] = field(default_factory=dict)  # path under root -> post
    by_stem: dict[str, Post] = field(default_factory=dict)  # file name without .md -> post
    files: dict[int, str] = field(default_factory=dict)  # id(post) -> path under root


def markdown_files(root: Path, refused: list[str] | None = None) -> list[Path]:
    """The .md files under `root`, never through a symbolic link (a folder, a
    file) and never a hard link: a source must not import files from elsewhere."""
    found = []
    for folder, dirs, files in os.walk(root):  # os.walk does not follow links to folders
        here = Path(folder)
        for name in list(dirs):
            if name.startswith(".") or name in SKIPPED_DIRS or (here / name).is_symlink():
                if (here / name).is_symlink() and refused is not None:
                    refused.append((here / name).relative_to(root).as_posix())
                dirs.remove(name)
        for name in files:
            path = here / name
            if not name.endswith(".md"):
                continue
            if path.is_symlink() or not path.is_file() or path.stat().st_nlink > 1:
                if refused is not None:
                    refused.append(path.relative_to(root).as_posix())
                continue
            found.append(path)
    return sorted(found)


def read(root: Path, options: Options, report: Report) -> tuple[Source, Blog]:
    refused: list[str] = []
    files = markdown_files(root, refused)
    if not files:
        raise ImportFailed(f"Im Ordner „{root}“ gibt es keine .md-Dateien.")
    for rel in refused:
        report.item(rel, "übersprungen: symbolischer oder harter Link (nur echte Dateien im Ordner werden gelesen)")
    config = blog_config(root)
    title = config.get("site_name") or config.get("title")
    source = Source("Markdown", title.strip() if isinstance(title, str) and title.strip() else
                    root.resolve().name.replace("-", " ").replace("_", " ").strip().title())
    authors = material_authors(root)
    owner = config.get("site_author") or config.get("author")
    owner = owner.get("name") if isinstance(owner, dict) else owner
    blog = Blog(root, owner=owner.strip() if isinstance(owner, str) and owner.strip() else "")
    for key in ("site_url", "url", "baseURL"):
        host = urlsplit(str(config.get(key) or "")).hostname
        if host:
            blog.hosts.add(host.lower())
    for path in files:
        rel = path.relative_to(root).as_posix()
        if path.stat().st_size > LIMITS.page_bytes:
            report.item(rel, f"übersprungen: größer als {LIMITS.page_bytes // 1000} KB")
            continue
        post = read_post(rel, path.read_text(encoding="utf-8", errors="replace"), options, report, source, authors,
                         owner=blog.owner, page=is_page_file(path, root))
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
        if path.is_symlink():
            continue
        data, _problem = load_yaml(path.read_text(encoding="utf-8", errors="replace"), path.name)
        data = data or {}
        for author_id, entry in ((data.get("authors") or {}) if isinstance(data, dict) else {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                names[str(author_id)] = entry["name"]
    return names


def load_yaml(text: str, src: str) -> tuple[Any, str | None]:
    """YAML read with the build's limits (hooks/kn/limits.py): aliases (billion
    laughs), depth and size are checked on the event stream before any tree is
    built. Returns (data, problem)."""
    if len(text) > LIMITS.data_bytes:
        return None, f"Kopfbereich größer als {LIMITS.data_bytes // 1000} KB"
    fatal = [p for p in yaml_problems(src, text, first_line=2) if any(f in p for f in FATAL_YAML)]
    if fatal:
        return None, "Kopfbereich abgelehnt: " + fatal[0].split(": ", 1)[-1]
    try:
        return yamlfile.load(text), None
    except (yaml.YAMLError, RecursionError) as exc:
        return None, f"Kopfbereich nicht lesbar ({type(exc).__name__})"


def blog_config(root: Path) -> dict[str, Any]:
    """The blog's configuration (mkdocs.yml, Jekyll's _config.yml, Hugo's),
    in the folder or up to two folders above; {} if there is none."""
    for folder in (root, root.parent, root.parent.parent):
        for name in CONFIG_FILES:
            path = folder / name
            if path.is_file() and not path.is_symlink():
                text = path.read_text(encoding="utf-8", errors="replace")
                # Only the plain top-level keys: mkdocs.yml may use !!python tags.
                plain = "\n".join(line for line in text.splitlines()
                                   if re.match(r"(site_name|site_author|site_url|title|author|url|baseURL):", line))
                data, _problem = load_yaml(plain, name)
                if isinstance(data, dict):
                    return data
        for name in ("hugo.toml", "config.toml"):
            path = folder / name
            if path.is_file() and not path.is_symlink():
                try:
                    data = tomllib.loads(path.read_text(encoding="utf-8", errors="replace"))
                except (tomllib.TOMLDecodeError, RecursionError):
                    continue
                return {"title": data.get("title"), "url": data.get("baseURL"),
                        "author": (data.get("params") or {}).get("author") or data.get("author")}
    return {}


def is_page_file(path: Path, root: Path) -> bool:
    """An undated file that is a page of the blog („Über mich“), not a listing,
    README or a blog's index: index.md only as the one file of its folder."""
    name = path.name.lower()
    if name in NOT_PAGES:
        return False
    listing = path.parent == root or any(p != path for p in path.parent.rglob("*.md"))
    if name in ("index.md", "_index.md") and listing:
        return False
    return "posts" not in path.relative_to(root).parts and "_posts" not in path.relative_to(root).parts


def split(text: str) -> tuple[dict[str, Any] | None, str, str | None]:
    """(front matter, body, problem)."""
    for pattern, loader in ((FRONT_MATTER_RE, "yaml"), (TOML_RE, "toml")):
        match = pattern.match(text)
        if not match:
            continue
        if loader == "yaml":
            meta, problem = load_yaml(match.group(1), "Kopfbereich")
            if problem:
                return None, text, problem
        else:
            try:
                meta = tomllib.loads(match.group(1))
            except (tomllib.TOMLDecodeError, RecursionError) as exc:
                return None, text, f"Kopfbereich nicht lesbar ({type(exc).__name__})"
        return (meta if isinstance(meta, dict) else {}), text[match.end():], None
    return {}, text, None


def read_post(rel: str, text: str, options: Options, report: Report, source: Source,
              known_authors: dict[str, str], *, owner: str = "", page: bool = False) -> Post | None:
    meta, body, problem = split(text)
    if meta is None:
        report.item(rel, f"übersprungen: {problem}")
        return None
    name = Path(rel).name
    jekyll = JEKYLL_NAME_RE.match(Path(rel).stem)
    when = to_datetime(meta.get("date"))
    if when is None and jekyll:
        when = datetime.datetime(*map(int, jekyll.groups()[:3]))
    draft = meta.get("draft") is True or meta.get("published") is False or "_drafts" in Path(rel).parts
    kind = "post"
    if when is None:
        if not page or draft:
            report.item(rel, "übersprungen: kein Datum (keine Blogseite, z. B. eine Übersicht)")
            return None
        kind, when = "page", datetime.datetime(2000, 1, 1)
    report.item(rel, PAGE if kind == "page" else (DRAFT if draft else IMPORTED))
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
    if not author_ids and owner and slugify(owner):
        author_ids = [slugify(owner)]  # a one-person blog: its owner wrote the post
        source.authors.setdefault(author_ids[0], Author(author_ids[0], owner))
    if not author_ids:
        author_ids = [options.default_author]
        source.authors.setdefault(options.default_author, Author(options.default_author, "Redaktion"))
    comments = meta.get("comments")
    post = Post(
        source=rel,
        kind=kind,
        title=plain_title(title),
        slug=slugify(str(meta.get("slug") or "")) or slugify(stem) or "beitrag",
        when=when,
        draft=draft,
        tags=names(meta.get("categories"), split_words=True) + names(meta.get("tags"), split_words=True),
        authors=author_ids,
        comments=options.open_comments if comments is True or comments == "open" else ("closed" if comments == "closed" else "off"),
        body=body,
        excerpt=next((" ".join(str(meta[k]).split()) for k in ("description", "summary", "excerpt") if meta.get(k)), ""),
    )
    material = material_url(rel, meta, post)
    if material:
        post.old_urls.append(material)
    for alias in names(meta.get("aliases")) + names(meta.get("redirect_from")):
        path = unquote(alias.split("?")[0].split("#")[0]).strip("/")
        if path and not URL_RE.match(alias):
            path += "" if posixpath.splitext(path)[1] else "/"
            if path not in post.old_urls:
                post.old_urls.append(path)
    return post


def material_url(rel: str, meta: dict[str, Any], post: Post) -> str | None:
    """The address Material's blog plugin gave a post: <blog>/2025/06/22/<slug>/."""
    from markdown.extensions.toc import slugify as toc_slugify

    parts = Path(rel).parts
    if post.kind != "post" or post.draft or "posts" not in parts[:-1]:
        return None
    base = list(parts[:parts.index("posts")])
    if base[:1] == ["docs"]:
        base = base[1:]
    slug = str(meta.get("slug") or "") or toc_slugify(post.title, "-")
    return "/".join([*base, post.when.strftime("%Y/%m/%d"), slug]) + "/" if slug else None


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


def demote_headings(body: str) -> str:
    """The title is the page's only `# `: with a `# ` heading in the body, every
    ATX heading outside code goes one level down (###### stays)."""
    pieces, position = [], 0
    for fence in FENCE_RE.finditer(body):
        pieces.append((body[position:fence.start()], True))
        pieces.append((fence.group(0), False))
        position = fence.end()
    pieces.append((body[position:], True))
    if not any(prose and H1_RE.search(text) for text, prose in pieces):
        return body
    shift = re.compile(r"^(#{1,5})(?=[ \t])", re.M)
    return "".join(shift.sub(r"#\1", text) if prose else text for text, prose in pieces)


def convert(post: Post, blog: Blog, targets: dict[str, str], media_folder: str,
            media: dict[str, Path], fetcher: Fetcher | None = None) -> tuple[Converted, list[str]]:
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
                if option.endswith(".md"):
                    continue
                file, reason = safe_file(blog.root, option)
                if reason:
                    notes.append((f"Datei abgelehnt: {reason}.", target))
                    return ""
                if file is None:
                    continue
                new = f"{media_folder}/{media_path(option.removeprefix('docs/'))}"
                media[new] = file
                return posixpath.relpath(new, posixpath.dirname(post.path)) + (f"#{fragment}" if fragment else "")
        return None

    def link(match: re.Match[str]) -> str:
        bang, text, target, title = match.groups()
        if not bang and "![" in text:
            text = LINK_RE.sub(link, text)  # a linked image: the image inside is rewritten too
        new = resolve(target)
        if not bang and new and text.startswith("![") and text.endswith(f"]({new})"):
            return text  # an image linked to itself: the image alone
        if bang and new and URL_RE.match(new) and fetcher is not None and fetcher.allowed(new):
            file, info = fetcher.get(new)
            if file is not None:
                parts = urlsplit(new)
                name = media_path(clean_relative(f"{parts.hostname}/{unquote(parts.path).lstrip('/')}") or "bild")
                local = f"{media_folder}/{name.rsplit('.', 1)[0] if '.' in name.rsplit('/', 1)[-1] else name}{info}"
                media[local] = file
                return f"![{text}]({posixpath.relpath(local, posixpath.dirname(post.path))}{title})"
            notes.append((f"Bild „{new[:100]}“ nicht geladen: {info}.", target))
        if bang and new and URL_RE.match(new):
            notes.append((f"Bild von einem fremden Server {target!r} durch einen einfachen Link ersetzt.", target))
            return f"[{text or 'Bild'}]({target})"
        if new == "":
            return text if not bang else (text or "")
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
        """A Hugo video shortcode: the video paragraph when the build's parser
        accepts its address (`video_url`), else a plain link and a note."""
        site, video_id = match.groups()
        url = f"https://vimeo.com/{video_id}" if site == "vimeo" else f"https://www.youtube.com/watch?v={video_id}"
        found = video_url(url)
        if found:
            return video_markdown(found, video_title(found))
        notes.append((f"Video-Kennung {video_id[:40]!r} ist keine gültige {PROVIDERS[site]['name']}-Kennung; "
                      "durch einen einfachen Link ersetzt.", match.group(0)[:40]))
        return f"[{video_title(url)}]({url})"

    def iframe(match: re.Match[str]) -> str:
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in ATTR_SRC_RE.finditer(match.group(1))}
        src = attrs.get("src", "").strip()
        src = "https:" + src if src.startswith("//") else src
        found = video_url(src)
        if found:
            return "\n\n" + video_markdown(found, video_title(found, attrs.get("title", ""))) + "\n\n"
        notes.append((f"Eingebetteter Inhalt (iframe) {src[:80]!r} durch einen einfachen Link ersetzt.", match.group(0)[:40]))
        if not src.startswith(("http://", "https://")):
            return ""
        label = (attrs.get("title") or "Eingebetteter Inhalt").replace("[", "(").replace("]", ")")
        return f"\n\n[{label}]({src})\n\n"

    def active(match: re.Match[str]) -> str:
        notes.append((f"HTML-Element {match.group(0)[:40]!r} entfernt (Skripte, Formulare und Plugins laufen hier nicht).",
                      match.group(0)[:30]))
        return ""

    def raw_tag(match: re.Match[str]) -> str:
        """Raw <img>/<video>/<audio> from another server become a link; handlers and javascript: go."""
        name, attrs = match.group(1).lower(), EVENT_ATTR_RE.sub("", match.group(2))
        attrs = re.sub(r"""\s(href|src)\s*=\s*(["']?)\s*(?:javascript|vbscript|data):[^"'>\s]*\2""", "", attrs, flags=re.I)
        found = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in ATTR_SRC_RE.finditer(attrs)}
        src = found.get("src", "").strip()
        if name != "a" and (URL_RE.match(src) or attrs.lower().find("poster=") >= 0):
            alt = re.search(r"""\salt\s*=\s*["']([^"']*)""", attrs)
            label = (alt.group(1) if alt else "") or {"img": "Bild", "source": "Datei"}.get(name, name.capitalize())
            notes.append((f"<{name}> von einem fremden Server {src[:80]!r} durch einen einfachen Link ersetzt.", match.group(0)[:30]))
            return f"[{label.replace('[', '(').replace(']', ')')}]({src})" if URL_RE.match(src) and src.startswith("http") else ""
        return f"<{match.group(1)}{attrs}>"

    def start_tag(match: re.Match[str]) -> str:
        """Any other raw tag keeps its element, without what the build refuses."""
        attrs = match.group(2) or ""
        kept = REFUSED_ATTR_RE.sub("", attrs)
        if kept != attrs:
            notes.append((f"HTML-Attribute (Stil, Ereignis) in {match.group(0)[:40]!r} entfernt.", match.group(0)[:30]))
        return f"<{match.group(1)}{kept}{match.group(3)}>"

    def player(match: re.Match[str]) -> str:
        """A raw <video>/<audio>: a link to its file (its poster goes), or a video paragraph."""
        inner = re.search(r"""<source\b[^>]*\ssrc\s*=\s*["']([^"']+)""", match.group(3), re.I)
        own = re.search(r"""\ssrc\s*=\s*["']([^"']+)""", match.group(2), re.I)
        src = (own or inner).group(1).strip() if (own or inner) else ""
        found = video_url(src)
        if found:
            return "\n\n" + video_markdown(found, video_title(found)) + "\n\n"
        what = "Audio" if match.group(1).lower() == "audio" else "Video"
        notes.append((f"{what}-Player durch einen Link auf die Datei ersetzt.", match.group(0)[:30]))
        new = resolve(src) if src else None
        return f"[{what}: {src.rsplit('/', 1)[-1]}]({new})" if new else ""

    def outside_code(text: str) -> str:
        text = PLAYER_RE.sub(player, text)
        text = ACTIVE_BLOCK_RE.sub(active, text)
        text = ACTIVE_TAG_RE.sub(active, text)
        text = RAW_TAG_RE.sub(raw_tag, text)
        text = START_TAG_RE.sub(start_tag, text)
        text = IFRAME_RE.sub(iframe, text)
        text = HUGO_VIDEO_RE.sub(video, text)
        text = LIQUID_POST_RE.sub(liquid, text)
        text = HUGO_REF_RE.sub(liquid, text)
        for tag in TEMPLATE_RE.findall(text):
            notes.append((f"Vorlagen-Befehl {tag[:60]!r} als Text übernommen (bitte von Hand ersetzen).", tag))
        text = LINK_RE.sub(link, text)
        return REF_RE.sub(reference, text)

    body, position, parts = demote_headings(post.body), 0, []
    for fence in FENCE_RE.finditer(body):
        parts.append(outside_code(body[position:fence.start()]))
        parts.append(fence.group(0))
        position = fence.end()
    parts.append(outside_code(body[position:]))
    markdown = re.sub(r"\n{3,}", "\n\n", "".join(parts)).strip()
    return Converted(markdown + "\n", notes), missing
