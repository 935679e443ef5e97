"""Read a WordPress export (WXR 1.0–1.2, „Werkzeuge → Daten exportieren“).

The XML is parsed with defusedxml: a file that defines entities (billion
laughs) or refers to external ones is refused. `read` returns a `Source` whose
posts carry their raw HTML in `body`; `convert` turns it into Markdown once
the planner knows every post's new path (for links between posts).
"""

from __future__ import annotations

import datetime
import html as htmllib
import ipaddress
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kn.text import slugify

from .fetch import Fetcher
from .html2md import ANY_ATTR_RE, HTML_TAGS, IMAGE_FILE_RE, Converted, html_to_markdown, prepare_wordpress
from .media import allowed_name, clean_relative, safe_file
from .model import DRAFT, IMPORTED, PAGE, Author, Comment, ImportFailed, Options, Post, Source
from .plan import html_text, media_path
from .report import Report

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

TAXONOMIES = ("category", "post_tag")
SKIPPED_TYPES = {
    "attachment": "Mediendatei (Anhang)",
    "revision": "Revision",
    "nav_menu_item": "Menüeintrag",
    "wp_block": "wiederverwendbarer Block",
    "customize_changeset": "Einstellung des Themes",
    "custom_css": "eigenes CSS",
    "oembed_cache": "Zwischenspeicher für Einbettungen",
}
SKIPPED_STATUS = {
    "private": "privat",
    "trash": "im Papierkorb",
    "auto-draft": "automatischer Entwurf",
    "inherit": "Revision",
}
DRAFT_STATUS = ("draft", "pending", "future")
COMMENT_SKIPS = {"0": "nicht freigegeben", "spam": "Spam", "trash": "im Papierkorb"}
UPLOADS = "/wp-content/uploads/"
SIZE_SUFFIX_RE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+\Z)")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4_RE = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6_RE = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
NO_DATE = datetime.datetime(2000, 1, 1)

# -----------------------------------------------------------------------------
# Parsing
# -----------------------------------------------------------------------------


def parse(path: Path) -> Element:
    """The root element of a WXR file; ImportFailed with a German message otherwise."""
    try:
        return SafeET.parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as exc:
        raise ImportFailed(
            f"Die Datei „{path.name}“ wurde abgelehnt: Sie definiert eigene XML-Entitäten oder verweist auf "
            f"externe ({type(exc).__name__}). Ein echter WordPress-Export enthält so etwas nicht; "
            "solche Dateien können beim Lesen den Rechner lahmlegen („Billion Laughs“). Bitte exportieren "
            "Sie das Blog erneut unter „Werkzeuge → Daten exportieren“."
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise ImportFailed(
            f"Die Datei „{path.name}“ ist kein gültiges XML (Zeile {line}, Spalte {column + 1}). "
            "Ist es wirklich ein WordPress-Export (WXR)?"
        ) from None
    except OSError as exc:
        raise ImportFailed(f"Die Datei „{path}“ lässt sich nicht lesen ({exc.strerror}).") from None


def fields(element: Element) -> dict[str, Any]:
    """Children as {"wp:post_id": text, …}; repeated children (category,
    wp:comment, wp:postmeta) as lists of elements under "<name>*"."""
    found: dict[str, Any] = {}
    for child in element:
        name = qualified(child.tag)
        found.setdefault(name + "*", []).append(child)
        found.setdefault(name, (child.text or "").strip() if name not in RAW_FIELDS else (child.text or ""))
    return found


RAW_FIELDS = ("content:encoded", "excerpt:encoded", "wp:comment_content")


def qualified(tag: str) -> str:
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id' for every WXR version."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if "wordpress.org/export" in namespace:
        return ("excerpt:" if namespace.rstrip("/").endswith("excerpt") else "wp:") + local
    if "purl.org/rss/1.0/modules/content" in namespace:
        return "content:" + local
    if "purl.org/dc/elements" in namespace:
        return "dc:" + local
    return local


# -----------------------------------------------------------------------------
# Reading
# -----------------------------------------------------------------------------


@dataclass
class Blog:
    """What the planner needs from the export besides the posts."""

    hosts: set[str] = field(default_factory=set)  # the blog's own host names
    base: str = ""  # the blog's address, e.g. "https://alter-blog.example"
    by_id: dict[str, Post] = field(default_factory=dict)  # post id -> post
    attachments: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> (url, parent id, alt text)
    # Old archive addresses: ("category/x/", "Kategorie", "Name"), ("tag/y/", …), ("author/z/", "Autor", "")
    archives: list[tuple[str, str, str]] = field(default_factory=list)
    attachment_pages: dict[str, str] = field(default_factory=dict)  # old path or "?attachment_id=N" -> parent id


def read(path: Path, options: Options, report: Report) -> tuple[Source, Blog]:
    root = parse(path)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ImportFailed(f"Die Datei „{path.name}“ ist kein WordPress-Export: Es fehlt <rss><channel>.")
    info = fields(channel)
    source = Source("WordPress", plain_title(info.get("title", "")))
    blog = Blog()
    for key in ("link", "wp:base_site_url", "wp:base_blog_url"):
        parts = urlparse(info.get(key, ""))
        if parts.hostname:
            blog.hosts.add(parts.hostname.lower())
            blog.base = blog.base or f"{parts.scheme or 'https'}://{parts.netloc}"
    logins: dict[str, str] = {}
    for element in info.get("wp:author*", []):
        author = fields(element)
        login = author.get("wp:author_login", "")
        name = author.get("wp:author_display_name") or login
        if login:
            logins[login] = name
            blog.archives.append((f"author/{slugify(login)}/", "Autor", ""))
    for element in info.get("wp:category*", []):
        term = fields(element)
        add_description(source, term.get("wp:cat_name", ""), term.get("wp:category_description", ""))
        if term.get("wp:category_nicename"):
            blog.archives.append((f"category/{unquote(term['wp:category_nicename'])}/", "Kategorie", term.get("wp:cat_name", "")))
    for element in info.get("wp:tag*", []):
        term = fields(element)
        add_description(source, term.get("wp:tag_name", ""), term.get("wp:tag_description", ""))
        if term.get("wp:tag_slug"):
            blog.archives.append((f"tag/{unquote(term['wp:tag_slug'])}/", "Schlagwort", term.get("wp:tag_name", "")))
    for element in info.get("wp:term*", []):
        term = fields(element)
        if term.get("wp:term_taxonomy") in TAXONOMIES:
            add_description(source, term.get("wp:term_name", ""), term.get("wp:term_description", ""))
    for element in info.get("item*", []):
        post = read_item(fields(element), options, report, logins, source, blog)
        if post is not None:
            source.posts.append(post)
    return source, blog


def add_description(source: Source, name: str, description: str) -> None:
    name, description = name.strip(), " ".join(description.split())
    if name and description and not source.tag_descriptions.get(name):
        source.tag_descriptions[name] = description


def read_item(item: dict[str, Any], options: Options, report: Report, logins: dict[str, str],
              source: Source, blog: Blog) -> Post | None:
    post_id = item.get("wp:post_id", "")
    title = plain_title(item.get("title", ""))
    kind = item.get("wp:post_type", "post")
    status = item.get("wp:status", "publish")
    label = {"page": "Seite", "post": "Beitrag"}.get(kind, "Eintrag")
    name = f"{label} {post_id} „{title or '(ohne Titel)'}“"
    comments = item.get("wp:comment*", [])
    if kind == "attachment" and item.get("wp:attachment_url"):
        alt = next((fields(m).get("wp:meta_value", "") for m in item.get("wp:postmeta*", [])
                    if fields(m).get("wp:meta_key") == "_wp_attachment_image_alt"), "") or title
        blog.attachments[post_id] = (item["wp:attachment_url"], item.get("wp:post_parent", "0"), alt)
        path, _query = old_path(item.get("link", ""), blog.hosts)
        for old in (path, f"?attachment_id={post_id}"):
            if old:
                blog.attachment_pages[old] = item.get("wp:post_parent", "0")
    reason = skip_reason(kind, status, item.get("wp:post_password", ""), options)
    if reason:
        report.item(name, "übersprungen: " + reason)
        for _ in comments:
            report.comment("übersprungen: " + ("Kommentar zu einer Seite" if kind == "page" else "Beitrag nicht importiert"))
        return None
    draft = status in DRAFT_STATUS
    report.item(name, PAGE if kind == "page" else (DRAFT if draft else IMPORTED))
    creator = item.get("dc:creator", "")
    author_id = slugify(creator) or options.default_author
    if author_id not in source.authors:
        source.authors[author_id] = Author(author_id, logins.get(creator, creator) or author_id)
    tags = [c.text.strip() for c in item.get("category*", []) if c.get("domain") in TAXONOMIES and (c.text or "").strip()]
    post = Post(
        source=name,
        kind=kind,
        title=title or f"Ohne Titel ({post_id})",
        slug=slugify(unquote(item.get("wp:post_name", ""))) or slugify(title) or f"beitrag-{post_id}",
        when=parse_datetime(item.get("wp:post_date", "")) or parse_datetime(item.get("wp:post_modified", "")) or NO_DATE,
        draft=draft,
        tags=list(dict.fromkeys(tags)),
        authors=[author_id],
        comments=comment_state(item.get("wp:comment_status", "closed"), options),
        body=item.get("content:encoded", ""),
        excerpt=item.get("excerpt:encoded", ""),
        ident=post_id,
        parent=item.get("wp:post_parent", "0"),
        sticky=item.get("wp:is_sticky", "0") == "1",
        guid=item.get("guid", ""),
    )
    if not draft:
        for url in (item.get("link", ""), item.get("guid", "")):
            add_old_url(post, url, blog)
        post.query_urls.append(f"?{'page_id' if kind == 'page' else 'p'}={post_id}")
        post.query_urls = list(dict.fromkeys(post.query_urls))
    blog.by_id[post_id] = post
    # Pages keep their comments too: archived like a post's, shown closed on the page.
    post.thread = read_comments(comments, report)
    return post


def plain_title(value: str) -> str:
    """A title as text: `<em>Neu</em> &amp; gut` -> „Neu & gut“; `List<T>` stays."""
    text = htmllib.unescape(value)
    text = re.sub(r"</?([A-Za-z][\w-]*)\b[^>]*>", lambda m: "" if m.group(1).lower() in HTML_TAGS else m.group(0), text)
    return " ".join(htmllib.unescape(text).split())


def skip_reason(kind: str, status: str, password: str, options: Options) -> str | None:
    if kind in SKIPPED_TYPES:
        return SKIPPED_TYPES[kind]
    if kind not in ("post", "page"):
        return f"Inhaltstyp „{kind}“ wird nicht übernommen"
    if status in SKIPPED_STATUS:
        return SKIPPED_STATUS[status]
    if status not in ("publish", *DRAFT_STATUS):
        return f"unbekannter Status „{status}“"
    if password:
        return "passwortgeschützt"
    if kind == "page" and not options.pages:
        return "Seite (--ohne-seiten)"
    if kind == "page" and status != "publish":
        return "Seite im Entwurf"
    return None


def comment_state(status: str, options: Options) -> str:
    return options.open_comments if status == "open" else "closed"


def parse_datetime(value: str) -> datetime.datetime | None:
    try:
        parsed = datetime.datetime.fromisoformat(value.strip().replace(" ", "T"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def old_path(url: str, hosts: set[str]) -> tuple[str | None, str | None]:
    """(path, query) of an old address of the blog: ('2019/03/x/', None),
    (None, '?p=12'), or (None, None) for another server or the start page."""
    try:
        parts = urlparse(url.strip())
    except ValueError:
        return None, None
    if parts.scheme not in ("http", "https", "") or (parts.hostname and parts.hostname.lower() not in hosts):
        return None, None
    if not parts.hostname and not parts.path.startswith("/"):
        return None, None
    if parts.query:
        return None, "?" + parts.query
    path = unquote(parts.path).strip("/")
    if not path:
        return None, None
    if not posixpath.splitext(path)[1]:
        path += "/"
    return path, None


def add_old_url(post: Post, url: str, blog: Blog) -> None:
    path, query = old_path(url, blog.hosts)
    if path and path not in post.old_urls:
        post.old_urls.append(path)
    elif query and query not in post.query_urls:
        post.query_urls.append(query)


# -----------------------------------------------------------------------------
# Comments
# -----------------------------------------------------------------------------


def read_comments(elements: list[Element], report: Report) -> list[Comment]:
    """Approved comments only; everything else counted as skipped."""
    thread = []
    for element in elements:
        comment = fields(element)
        approved = comment.get("wp:comment_approved", "0")
        kind = comment.get("wp:comment_type", "") or "comment"
        if kind in ("pingback", "trackback"):
            report.comment(f"übersprungen: {kind.capitalize()}")
            continue
        if approved != "1":
            report.comment("übersprungen: " + COMMENT_SKIPS.get(approved, f"Status „{approved}“"))
            continue
        text = comment_markdown(comment.get("wp:comment_content", ""))
        if not text.strip():
            report.comment("übersprungen: leer")
            continue
        report.comment("archiviert")
        thread.append(Comment(
            id=comment.get("wp:comment_id", ""),
            parent=comment.get("wp:comment_parent", "0"),
            author=" ".join(htmllib.unescape(comment.get("wp:comment_author", "")).split()) or "Anonym",
            when=parse_datetime(comment.get("wp:comment_date", "")) or NO_DATE,
            text=text,
        ))
    return thread


class _CommentResolver:
    """Comments keep their links (plain links) but never load images."""

    def image(self, src: str) -> str | None:
        return ""

    def link(self, href: str) -> str | None:
        return "" if href.lower().startswith(("mailto:", "tel:")) else None  # no addresses in the archive


def comment_markdown(content: str) -> str:
    """A comment's HTML as Markdown, with e-mail addresses and IP addresses removed."""
    if "<" not in content and "&" not in content and not re.search(r"[\\`*_\[\]#>|-]", content):
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", content.strip())]
        text = "\n\n".join(p for p in paragraphs if p)
    else:
        html, _notes = prepare_wordpress(content)
        text = html_to_markdown(html, _CommentResolver(), embeds=False, comment=True).markdown
    return scrub(text)


def scrub(text: str) -> str:
    text = EMAIL_RE.sub("[E-Mail-Adresse entfernt]", text)
    text = IPV4_RE.sub("[IP-Adresse entfernt]", text)
    return IPV6_RE.sub(lambda m: "[IP-Adresse entfernt]" if is_ipv6(m.group(0)) else m.group(0), text)


def is_ipv6(candidate: str) -> bool:
    """An IPv6 address, not a time like 10:30:00."""
    if "::" not in candidate and candidate.count(":") < 4:
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


# -----------------------------------------------------------------------------
# Bodies: HTML to Markdown, with the new paths of posts and media
# -----------------------------------------------------------------------------


@dataclass
class Resolver:
    """Images and links of one post (see html2md.Resolver)."""

    post: Post
    blog: Blog
    targets: dict[str, str]  # old path or "?p=ID" -> new path under docs/
    media_dir: Path | None
    media_target: str  # folder under docs/ for media, e.g. "serie/bilder"
    media: dict[str, Path]  # out: path under docs/ -> file to copy
    missing: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (problem, needle) for the report
    fetcher: Fetcher | None = None  # --bilder-laden: pictures from the old site

    def own(self, url: str) -> tuple[str, str] | None:
        """(path, query) of a URL on the blog's own server, or None."""
        parts = urlparse(url)
        if parts.hostname and parts.hostname.lower() not in self.blog.hosts:
            return None
        if parts.scheme not in ("http", "https", "") or (not parts.hostname and not parts.path.startswith("/")):
            return None
        return unquote(parts.path), parts.query

    def upload(self, path: str, *, record: bool = True) -> str:
        """The relative link to a copied upload, or "" when it is missing.
        A file that is not a picture or PDF stays a link to its old address."""
        rel = path.split(UPLOADS, 1)[1]
        if not allowed_name(rel.split("?")[0]):
            if self.blog.base and clean_relative(rel):
                self.refused.append((f"Datei „{rel[:80]}“ nicht übernommen (nur Bilder und PDF); "
                                     "Link auf die alte Adresse.", path))
                return self.blog.base + path
            return ""
        for candidate in dict.fromkeys((rel, SIZE_SUFFIX_RE.sub("", rel))):
            if self.media_dir is None:
                break
            file, reason = safe_file(self.media_dir, candidate)
            if reason:
                self.refused.append((f"Mediendatei abgelehnt: {reason}.", path))
                return ""
            if file is not None:
                target = f"{self.media_target}/{media_path(clean_relative(candidate) or 'datei')}"
                self.media[target] = file
                return posixpath.relpath(target, posixpath.dirname(self.post.path))
        if record:
            self.missing.append(path)
        return ""

    def image(self, src: str) -> str | None:
        own = self.own(src)
        if own is None:
            return self.fetched(src)
        if UPLOADS in own[0]:
            return self.upload(own[0], record=False) or self.fetched(self.absolute(src)) or ""
        return self.fetched(self.absolute(src)) or ""

    def absolute(self, url: str) -> str:
        return url if urlparse(url).hostname or not self.blog.base else self.blog.base + url

    def fetched(self, url: str) -> str | None:
        """The relative link to a picture fetched from an allowed host (full
        size first: without WordPress' `?w=300` or `-300x200`), or None."""
        if self.fetcher is None or not self.fetcher.allowed(url):
            return None
        parts = urlparse(url)
        path = unquote(parts.path)
        candidates = [parts._replace(query="", fragment="").geturl()]
        if SIZE_SUFFIX_RE.search(path):
            candidates.insert(0, parts._replace(path=SIZE_SUFFIX_RE.sub("", parts.path), query="", fragment="").geturl())
        if parts.query and not (parts.hostname or "").endswith(".files.wordpress.com"):
            candidates.append(url)
        reason = ""
        for candidate in dict.fromkeys(candidates):
            file, info = self.fetcher.get(candidate)
            if file is None:
                reason = info
                continue
            rel_path = unquote(urlparse(candidate).path)
            rel_path = rel_path.split(UPLOADS, 1)[1] if UPLOADS in rel_path else rel_path.lstrip("/")
            if (parts.hostname or "").lower() not in self.blog.hosts and not (parts.hostname or "").endswith(".files.wordpress.com"):
                rel_path = f"{parts.hostname}/{rel_path}"
            name = media_path(clean_relative(rel_path) or "bild")
            stem = name.rsplit(".", 1)[0] if "." in name.rsplit("/", 1)[-1] else name
            target = f"{self.media_target}/{stem}{info}"
            self.media[target] = file
            return posixpath.relpath(target, posixpath.dirname(self.post.path))
        self.refused.append((f"Bild „{url[:100]}“ nicht geladen: {reason}.", url))
        return None

    def link(self, href: str) -> str | None:
        own = self.own(href)
        if own is None:
            if self.fetcher is not None and IMAGE_FILE_RE.search(urlparse(href).path) and self.fetcher.allowed(href):
                return self.fetched(href)
            return None
        path, query = own
        if UPLOADS in path:
            local = self.upload(path, record=False)
            if not local and IMAGE_FILE_RE.search(path) and self.fetcher is not None:
                local = self.fetched(self.absolute(href)) or ""
            if not local and path not in self.missing and allowed_name(path):
                self.missing.append(path)
            return local
        key = f"?{query}" if query else old_path(href, self.blog.hosts)[0]
        target = self.targets.get(key or "")
        if target is None:
            # A relative link to the old blog stays a plain link to it (not a broken link here).
            return None if urlparse(href).hostname or not self.blog.base else self.blog.base + href
        # Without its #fragment: anchors of the old theme (#comments, #more-12) do not exist here.
        return posixpath.relpath(target, posixpath.dirname(self.post.path))


GALLERY_RE = re.compile(r"\[gallery\b([^\]]*)\]", re.I)


def galleries(body: str, post: Post, blog: Blog, notes: list[tuple[str, str]]) -> str:
    """`[gallery ids="1,2"]` (or without ids: the post's attached pictures) as
    a gallery container of <img>, which html2md turns into a picture grid."""

    def replace(match: re.Match[str]) -> str:
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in ANY_ATTR_RE.finditer(match.group(1))}
        ids = [i.strip() for i in (attrs.get("ids") or attrs.get("include") or "").split(",") if i.strip()]
        if not ids:
            ids = sorted((i for i, a in blog.attachments.items() if a[1] == post.ident and post.ident),
                         key=lambda i: int(i) if i.isdigit() else 0)
        pictures = [blog.attachments[i] for i in ids if i in blog.attachments]
        if not pictures:
            return match.group(0)  # reported as a shortcode kept as text
        lost = [i for i in ids if i not in blog.attachments]
        if lost:
            notes.append((f"Galerie {match.group(0)[:60]}: Bild {', '.join(lost)} fehlt im Export.", ""))
        images = "".join(f'<img src="{htmllib.escape(url)}" alt="{htmllib.escape(alt)}">' for url, _parent, alt in pictures)
        return f'\n\n<div data-kn-galerie="1">{images}</div>\n\n'

    return GALLERY_RE.sub(replace, body)


def convert(post: Post, resolver: Resolver) -> Converted:
    gallery_notes: list[tuple[str, str]] = []
    html, notes = prepare_wordpress(galleries(post.body, post, resolver.blog, gallery_notes))
    notes += gallery_notes
    converted = html_to_markdown(html, resolver)
    converted.notes[:0] = notes
    converted.notes += resolver.refused
    return converted


def excerpt_text(excerpt_html: str) -> str:
    """The manual excerpt as plain text."""
    return html_text(excerpt_html) if excerpt_html.strip() else ""
