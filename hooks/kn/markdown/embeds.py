"""Nothing from another server before consent: videos the German way
(Zwei-Klick-Lösung) and a check of every page for resources from elsewhere.

- Video syntax: a paragraph that holds only a link with the class `video`,
  `[Titel](https://www.youtube.com/watch?v=ID){ .video }` (also youtu.be/ID and
  https://vimeo.com/ID). A Markdown treeprocessor (`VideoExtension`, listed in mkdocs.yml) marks
  it; `on_page_content` renders the placeholder fragments/kn/video.html: title,
  provider, a privacy sentence and „Video laden“. Only the click inserts the
  iframe (youtube-nocookie.com, player.vimeo.com): docs/assets/kn-consent.js.
- Check: every page's content HTML is parsed; an iframe, image, media source,
  object/embed, stylesheet, script or CSS url() from another origin is an
  error with file, line (found in the Markdown source) and URL. Plain links
  stay allowed. Pages are rendered before any is written, so `on_env` stops
  the build before anything is published.
"""

from __future__ import annotations

import html
import logging
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Callable
from urllib.parse import parse_qs, urlparse

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from kn import registry
from kn.problems import Problem, error

if TYPE_CHECKING:
    from jinja2 import Environment
    from markdown import Markdown
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.embeds")

VIDEO_CLASS = "video"
TEMPLATE = "fragments/kn/video.html"
MARKER_RE = re.compile(r'<div class="kn-video-marker" data-url="([^"]*)">(.*?)</div>', re.S)
YOUTUBE_ID_RE = re.compile(r"\A[A-Za-z0-9_-]{11}\Z")
VIMEO_ID_RE = re.compile(r"\A\d{1,12}\Z")
PROVIDERS = {
    "youtube": {
        "name": "YouTube", "company": "YouTube (Google)", "host": "www.youtube-nocookie.com",
        "embed": "https://www.youtube-nocookie.com/embed/{id}", "watch": "https://www.youtube.com/watch?v={id}",
    },
    "vimeo": {
        "name": "Vimeo", "company": "Vimeo", "host": "player.vimeo.com",
        "embed": "https://player.vimeo.com/video/{id}", "watch": "https://vimeo.com/{id}",
    },
}
TABLE_ALIGN_RE = re.compile(r"text-align: ?(left|right|center);?")
VIDEO_SYNTAX = "[Titel des Videos](https://www.youtube.com/watch?v=ID){ .video }"

# Elements and attributes that make the browser load something.
SOURCE_ATTRIBUTES = {
    "iframe": ("src",), "frame": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "object": ("data",),
    "embed": ("src",), "script": ("src",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"), "link": ("href",),
}
# <link rel> values that load the target (others, like rel="alternate", are links).
LOADING_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "icon", "preconnect", "dns-prefetch"}
# What a page must contain for `_ResourceParser` to find anything: the start
# of a tag in SOURCE_ATTRIBUTES or the word „style“ (attribute or element), in
# any case; an <input> only loads with a `src` (checklists have many boxes,
# none with one). Pages without any are not parsed (most pages of plain text).
MAY_LOAD_RE = re.compile(r"<(?:" + "|".join(sorted(set(SOURCE_ATTRIBUTES) - {"input"})) + r")|style", re.I)
# An <input …> tag with its inside (quoted values whole) and its end, if it has one.
INPUT_TAG_RE = re.compile(r"""<input\b((?:"[^"]*"|'[^']*'|[^'">])*)(>?)""", re.I)
CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.I)
HINT_VIDEO = f"Binden Sie Videos mit der Zwei-Klick-Lösung ein, als eigener Absatz: {VIDEO_SYNTAX} (siehe CONTRIBUTING.md)."
HINT_IMAGE = ("Kopieren Sie das Bild nach docs/ (z. B. docs/bilder/) und binden Sie es mit einem relativen Pfad ein, "
              "z. B. ![Beschreibung](../bilder/bild.jpg). Ein einfacher Link auf die Adresse ist erlaubt.")
HINT_OTHER = "Legen Sie die Datei unter docs/ ab oder setzen Sie einen einfachen Link auf die Adresse."

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_page_content(html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    src, source = page.file.src_uri, page.file.content_string
    html_text, bad_videos = render_videos(html_text, lambda video: site.render(TEMPLATE, page, video=video))
    site.errors.extend(video_problem(src, source, url) for url in bad_videos)
    site.errors.extend(foreign_problem(src, source, found) for found in foreign_resources(html_text, config.site_url))
    return html_text


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    # Every page is rendered now, none is written yet.
    registry.SITE.errors.report(config, where="in den Inhalten der Seiten")
    return None


# -----------------------------------------------------------------------------
# Helpers: videos
# -----------------------------------------------------------------------------


class _VideoTree(Treeprocessor):
    """A paragraph that holds only a link with class `video` becomes a marker
    `<div class="kn-video-marker" data-url="…">title</div>` for `render_videos`."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, paragraph in enumerate(list(parent)):
                if paragraph.tag != "p" or len(paragraph) != 1 or (paragraph.text or "").strip():
                    continue
                link = paragraph[0]
                classes = (link.get("class") or "").split()
                if link.tag != "a" or VIDEO_CLASS not in classes or (link.tail or "").strip():
                    continue
                marker = etree.Element("div", {"class": "kn-video-marker", "data-url": link.get("href", "")})
                marker.text, marker.tail = link.text, paragraph.tail
                marker.extend(list(link))
                parent[index] = marker


class VideoExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After attr_list (8) and smarty (6), so that the class and the typography are there.
        md.treeprocessors.register(_VideoTree(md), "kn_video", 5.5)


class _TableAlignTree(Treeprocessor):
    """Python-Markdown aligns table cells with `style="text-align: …"`, which
    the Content Security Policy blocks (no 'unsafe-inline' for styles): the
    alignment becomes a class `kn-align-…` (docs/assets/kn.css)."""

    def run(self, root: etree.Element) -> None:
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            match = TABLE_ALIGN_RE.fullmatch((cell.get("style") or "").strip())
            if match:
                del cell.attrib["style"]
                cell.set("class", " ".join(filter(None, [cell.get("class"), f"kn-align-{match.group(1)}"])))


class TableAlignExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_TableAlignTree(md), "kn_table_align", 5.4)


def parse_video(url: str) -> tuple[str, str] | None:
    """(provider, id) of a YouTube or Vimeo address, or None."""
    parsed = urlparse(url.strip())
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if parsed.scheme not in ("http", "https"):
        return None
    path = [part for part in parsed.path.split("/") if part]
    candidate = None
    if host == "youtube.com":
        if path == ["watch"]:
            candidate = (parse_qs(parsed.query).get("v") or [""])[0]
        elif len(path) == 2 and path[0] in ("embed", "shorts", "live"):
            candidate = path[1]
        return ("youtube", candidate) if candidate and YOUTUBE_ID_RE.match(candidate) else None
    if host == "youtu.be" and len(path) == 1 and YOUTUBE_ID_RE.match(path[0]):
        return "youtube", path[0]
    if host == "vimeo.com" and len(path) == 1 and VIMEO_ID_RE.match(path[0]):
        return "vimeo", path[0]
    return None


def render_videos(html_text: str, render: Callable[[dict[str, str]], str]) -> tuple[str, list[str]]:
    """Replace each video marker by `render(video)`; return the new HTML and the
    addresses that are no YouTube or Vimeo video (their marker is removed)."""
    bad: list[str] = []

    def replace(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())
        found = parse_video(url)
        if found is None:
            bad.append(url)
            return ""
        provider, video_id = found
        info = PROVIDERS[provider]
        return render({
            **info, "title": title or f"Video bei {info['name']}", "provider": provider, "id": video_id,
            "embed": info["embed"].format(id=video_id), "watch": info["watch"].format(id=video_id),
        })

    return MARKER_RE.sub(replace, html_text), bad


def video_problem(src: str, source: str, url: str) -> Problem:
    return error(src, None, (
        f"'{url}' ist keine Adresse eines YouTube- oder Vimeo-Videos. Erlaubt sind "
        "https://www.youtube.com/watch?v=ID, https://youtu.be/ID und https://vimeo.com/ID, "
        f"als eigener Absatz so geschrieben: {VIDEO_SYNTAX}"
    ), line=source_line(source, url), show_line=True)


# -----------------------------------------------------------------------------
# Helpers: resources from another origin
# -----------------------------------------------------------------------------


class _ResourceParser(HTMLParser):
    """Collects (tag, URL) of everything the browser would load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rels = set(values.get("rel", "").lower().split())
        for name in SOURCE_ATTRIBUTES.get(tag, ()):
            if name not in values or (tag == "link" and not rels & LOADING_RELS):
                continue
            urls = srcset_urls(values[name]) if name == "srcset" else [values[name]]
            self.found += [(tag, url) for url in urls]
        if "style" in values:
            self.found += [("style", url) for url in css_urls(values["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [("style", url) for url in css_urls(data)]


def srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL_RE.finditer(css)]


def is_foreign(url: str, site_url: str | None = None) -> bool:
    """True for an address on another server (scheme or '//' host); relative
    addresses, data: URLs and the site's own origin are fine."""
    parsed = urlparse(url.strip())
    if parsed.scheme.lower() in ("data", "blob"):
        return False
    if not parsed.scheme and not parsed.netloc:
        return False
    own = urlparse(site_url or "")
    return not (own.netloc and parsed.netloc.lower() == own.netloc.lower() and parsed.scheme in ("", own.scheme))


def may_load(html_text: str) -> bool:
    """Whether `_ResourceParser` could find anything in `html_text` (see
    MAY_LOAD_RE): an <input> counts when it names a source, or when its tag
    does not end plainly (a stray quote: the parser decides)."""
    if MAY_LOAD_RE.search(html_text):
        return True
    return any(not m.group(2) or "src" in m.group(1).lower() for m in INPUT_TAG_RE.finditer(html_text))


def foreign_resources(html_text: str, site_url: str | None = None) -> list[tuple[str, str]]:
    """(tag, URL) of every resource from another origin in a page's HTML."""
    if not may_load(html_text):
        return []  # no element of SOURCE_ATTRIBUTES, no style: nothing to parse for
    parser = _ResourceParser()
    parser.feed(html_text)
    parser.close()
    return [(tag, url) for tag, url in parser.found if is_foreign(url, site_url)]


def foreign_problem(src: str, source: str, found: tuple[str, str]) -> Problem:
    """The German message for one resource, with the line of the Markdown
    source that names it (when it is there)."""
    tag, url = found
    what = "CSS (Schrift oder Hintergrund)" if tag == "style" else f"<{tag}>"
    if tag in ("iframe", "frame", "object", "embed") or parse_video(url):
        hint = HINT_VIDEO
    elif tag in ("img", "source", "image", "input"):
        hint = HINT_IMAGE
    else:
        hint = HINT_OTHER
    return error(src, None, (
        f"{what} lädt '{url}' von einem fremden Server. Die Website lädt vor einer Zustimmung "
        f"nichts von anderen Servern. {hint}"
    ), line=source_line(source, url), show_line=True)


def source_line(source: str, url: str) -> int | None:
    """The line (from 1) of the first mention of `url` in the Markdown source."""
    for candidate in (url, html.escape(url, quote=False), url.replace("&", "&amp;")):
        index = source.find(candidate)
        if index >= 0:
            return source.count("\n", 0, index) + 1
    return None
