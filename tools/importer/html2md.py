"""WordPress HTML to Markdown for this site.

Pure functions: `prepare_wordpress` turns a post's stored content into plain
HTML (Gutenberg block comments removed, paragraphs added as WordPress' autop
does, `[caption]` and video shortcodes expanded); `html_to_markdown` converts
HTML with markdownify (nested lists, tables, code and captions as Python-
Markdown understands them), asking a `Resolver` what each image and link
becomes. Videos become the consent-gated embed paragraph
`[Titel](https://www.youtube.com/watch?v=ID){ .video }`. Everything the
conversion could not keep is returned as a note for the report.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qs, urlparse

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import MarkdownConverter

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

MORE_TOKEN = "KNMOREKN"
VIDEO_TOKEN = "KNVIDEO{}KN"
VIDEO_TOKEN_RE = re.compile(r"KNVIDEO(\d+)KN")
MORE_MARK = "<!-- more -->"

GUTENBERG_RE = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?")
MORE_RE = re.compile(r"<!--\s*more\b[^>]*-->")
CAPTION_RE = re.compile(r"\[(?:caption|wp_caption)\b([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]", re.S | re.I)
CAPTION_IMAGE_RE = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)\Z", re.S | re.I)
EMBED_RE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
JETPACK_VIDEO_RE = re.compile(r"\[(youtube|vimeo)[= ]([^\]\s]+)[^\]]*\]", re.I)
SHORTCODE_RE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\]\n]*)?)\]")
PRE_RE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
ATTR_RE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|dd|dt|fieldset|figcaption|figure|footer|form|"
    "h[1-6]|header|hr|iframe|li|menu|nav|ol|p|pre|section|summary|table|thead|tbody|tfoot|tr|td|th|ul|"
    "video|audio|object|script|style"
)
BLOCK_START_RE = re.compile(rf"\A\s*</?(?:{BLOCK_TAGS})\b", re.I)
BLOCK_END_RE = re.compile(rf"</(?:{BLOCK_TAGS})>\s*\Z", re.I)
HEADING_RE = re.compile(r"\Ah[1-6]\Z")
ANCHOR_RE = re.compile(r"[A-Za-z][\w-]*")
YOUTUBE_ID_RE = re.compile(r"\A[\w-]{6,20}\Z")
DROPPED_RE = re.compile(r"<(?:script|style|noscript|form|input|button|select|textarea|object|embed)\b", re.I)
DROPPED_TAGS = ("script", "style", "noscript", "form", "input", "button", "select", "textarea", "object", "embed")

# -----------------------------------------------------------------------------
# Interface to the planner
# -----------------------------------------------------------------------------


class Resolver(Protocol):
    """What images and links become; implemented by the readers."""

    def image(self, src: str) -> str | None:
        """A local path for a Markdown image; "" when it is the blog's own file
        but not available; None when it is on another server."""

    def link(self, href: str) -> str | None:
        """The new link target ("" keeps the text only), or None to keep `href`."""


@dataclass
class Converted:
    markdown: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (problem, needle to find its line)


# -----------------------------------------------------------------------------
# WordPress content to HTML
# -----------------------------------------------------------------------------


def prepare_wordpress(content: str) -> tuple[str, list[tuple[str, str]]]:
    """A post's content as stored by WordPress to HTML, and notes on shortcodes kept as text."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    text = GUTENBERG_RE.sub("", text)
    text = MORE_RE.sub(f"\n\n<p>{MORE_TOKEN}</p>\n\n", text)
    text = CAPTION_RE.sub(_caption, text)
    text = EMBED_RE.sub(lambda m: f"\n\n<p>{htmllib.escape(m.group(1).strip())}</p>\n\n", text)
    text = JETPACK_VIDEO_RE.sub(_jetpack_video, text)
    notes = [
        (f"Shortcode {_short(m.group(0))} als Text übernommen (bitte von Hand ersetzen oder löschen).", m.group(0))
        for m in SHORTCODE_RE.finditer(PRE_RE.sub("", text))
        if not m.group(1) and _looks_like_shortcode(m, text)
    ]
    return autop(text), notes


def _looks_like_shortcode(match: re.Match[str], text: str) -> bool:
    """`[gallery ids="1"]`, `[contact-form-7 …]` or `[name]…[/name]`, not `[sic]` in prose."""
    name = match.group(2)
    return "=" in match.group(3) or f"[/{name}]" in text or name.lower() in KNOWN_SHORTCODES


KNOWN_SHORTCODES = frozenset({"gallery", "audio", "video", "playlist", "contact-form-7", "wpforms", "shortcode"})


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…]"


def _caption(match: re.Match[str]) -> str:
    attrs = dict(ATTR_RE.findall(match.group(1)))
    inner = CAPTION_IMAGE_RE.match(match.group(2))
    if not inner:
        return match.group(2)
    image, caption = inner.group(1), inner.group(2).strip() or attrs.get("caption", "")
    return f"\n\n<figure>{image}<figcaption>{caption}</figcaption></figure>\n\n"


def _jetpack_video(match: re.Match[str]) -> str:
    value = match.group(2)
    if match.group(1).lower() == "vimeo" and value.isdigit():
        value = f"https://vimeo.com/{value}"
    return f"\n\n<p>{htmllib.escape(value)}</p>\n\n"


def autop(text: str) -> str:
    """Paragraphs as WordPress adds them on display: blank-line separated text
    becomes <p>, single line breaks <br>; block elements stay as they are."""
    pres: list[str] = []

    def keep(match: re.Match[str]) -> str:
        pres.append(match.group(0))
        return f"\n\nKNPRE{len(pres) - 1}KN\n\n"

    text = PRE_RE.sub(keep, text)
    chunks = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_START_RE.match(chunk) or BLOCK_END_RE.search(chunk) or re.fullmatch(r"KNPRE\d+KN", chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    text = "\n\n".join(chunks)
    return re.sub(r"KNPRE(\d+)KN", lambda m: pres[int(m.group(1))], text)


# -----------------------------------------------------------------------------
# Videos
# -----------------------------------------------------------------------------


def video_url(url: str) -> str | None:
    """The canonical YouTube/Vimeo address of a video URL, or None."""
    try:
        parts = urlparse(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    video = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"] or not path:
            video = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "v", "live"):
            video = path[1]
    elif host == "youtu.be" and path:
        video = path[0]
    if video and YOUTUBE_ID_RE.match(video):
        return f"https://www.youtube.com/watch?v={video}"
    if host == "vimeo.com" and path and path[-1].isdigit():
        return f"https://vimeo.com/{path[-1]}"
    if host == "player.vimeo.com" and len(path) >= 2 and path[0] == "video" and path[1].isdigit():
        return f"https://vimeo.com/{path[1]}"
    return None


def video_title(url: str, title: str = "") -> str:
    title = " ".join(title.split())
    if title:
        return title
    return "Video auf Vimeo" if "vimeo.com" in url else "Video auf YouTube"


def video_markdown(url: str, title: str) -> str:
    escaped = title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{escaped}]({url}){{ .video }}"


# -----------------------------------------------------------------------------
# HTML to Markdown
# -----------------------------------------------------------------------------


def html_to_markdown(html: str, resolver: Resolver, *, embeds: bool = True) -> Converted:
    """Convert HTML to Markdown; images and links are resolved by `resolver`.
    `embeds=False` (comments, where WordPress allows no embeds) skips looking for videos."""
    soup = BeautifulSoup(html, "html.parser")
    notes: list[tuple[str, str]] = []
    videos: list[str] = []
    if embeds:
        _replace_embeds(soup, videos, notes)
    elif DROPPED_RE.search(html):
        for element in soup.find_all(DROPPED_TAGS):
            element.decompose()
    converter = _Converter(resolver, notes)
    # Heading ids survive as attr_list ids, so that links to #them keep working.
    converter.anchors = {h["id"] for h in soup.find_all(HEADING_RE) if ANCHOR_RE.fullmatch(h.get("id") or "")}
    markdown = converter.convert_soup(soup)
    markdown = VIDEO_TOKEN_RE.sub(lambda m: videos[int(m.group(1))], markdown)
    markdown = markdown.replace(MORE_TOKEN, MORE_MARK)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return Converted(markdown + "\n" if markdown else "", notes)


def _video_paragraph(soup: BeautifulSoup, videos: list[str], url: str, title: str) -> Tag:
    videos.append(video_markdown(url, video_title(url, title)))
    paragraph = soup.new_tag("p")
    paragraph.string = VIDEO_TOKEN.format(len(videos) - 1)
    return paragraph


def _link_paragraph(soup: BeautifulSoup, url: str, text: str) -> Tag:
    paragraph = soup.new_tag("p")
    link = soup.new_tag("a", href=url)
    link.string = text
    paragraph.append(link)
    return paragraph


def _replace_embeds(soup: BeautifulSoup, videos: list[str], notes: list[tuple[str, str]]) -> None:
    """Iframes, Gutenberg embeds and video URLs on their own line become video
    paragraphs or plain links; scripts, forms and plugins are removed."""
    for element in soup.find_all(DROPPED_TAGS):
        if element.name in ("object", "embed", "form"):
            notes.append((f"Element <{element.name}> entfernt (nicht übertragbar).", ""))
        element.decompose()
    for figure in soup.find_all("figure", class_="wp-block-embed"):
        caption = figure.find("figcaption")
        title = caption.get_text(" ", strip=True) if caption else ""
        iframe = figure.find("iframe")
        url = iframe.get("src", "") if iframe else figure.get_text(" ", strip=True).split(" ")[0]
        video = video_url(url)
        if video:
            figure.replace_with(_video_paragraph(soup, videos, video, title or (iframe.get("title", "") if iframe else "")))
        elif url.startswith(("http://", "https://")):
            figure.replace_with(_link_paragraph(soup, url, title or url))
    for iframe in soup.find_all("iframe"):
        src = iframe.get("src", "")
        video = video_url(src)
        if video:
            iframe.replace_with(_video_paragraph(soup, videos, video, iframe.get("title", "")))
        else:
            notes.append((f"Eingebetteter Inhalt (iframe) {src!r} durch einen einfachen Link ersetzt.", src))
            iframe.replace_with(_link_paragraph(soup, src, iframe.get("title") or "Eingebetteter Inhalt") if src.startswith("http") else "")
    for paragraph in soup.find_all("p"):
        text = paragraph.get_text(strip=True)
        if not text.startswith("http") or " " in text:
            continue
        children = [c for c in paragraph.children if not (isinstance(c, NavigableString) and not c.strip())]
        if len(children) != 1 or (isinstance(children[0], Tag) and children[0].name != "a"):
            continue
        video = video_url(text)
        if video:
            paragraph.replace_with(_video_paragraph(soup, videos, video, ""))


class _Converter(MarkdownConverter):
    """markdownify with the Markdown dialect of this site (Python-Markdown)."""

    def __init__(self, resolver: Resolver, notes: list[tuple[str, str]]) -> None:
        super().__init__(
            heading_style="ATX", bullets="-", table_infer_header=True, escape_misc=False,
            code_language_callback=_code_language, keep_inline_images_in=["a", "td", "th"],
        )
        self.resolver = resolver
        self.notes = notes
        self.anchors: set[str] = set()

    def convert_hN(self, n, el, text, parent_tags):
        heading = super().convert_hN(n, el, text, parent_tags)
        anchor = el.get("id") or ""
        if anchor in self.anchors and heading.strip() and "_inline" not in parent_tags:
            heading = heading.rstrip("\n") + f" {{ #{anchor} }}\n\n"
        return heading

    def convert_li(self, el, text, parent_tags):
        """Python-Markdown needs four spaces for content under a list item."""
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = int(parent["start"]) if str(parent.get("start", "")).isdigit() else 1
            bullet = f"{start + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        bullet = bullet.ljust(4)
        lines = text.split("\n")
        return bullet + lines[0] + "".join("\n" + ("    " + line if line.strip() else "") for line in lines[1:]) + "\n"

    def convert_list(self, el, text, parent_tags):
        result = super().convert_list(el, text, parent_tags)
        sibling = el.find_next_sibling()
        if "li" not in parent_tags and sibling is not None and sibling.name in ("ul", "ol"):
            # Two lists in a row would merge into one: an empty comment separates them.
            result = result.rstrip("\n") + "\n\n<!-- -->\n\n"
        return result

    convert_ul = convert_list
    convert_ol = convert_list

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)

    def convert_figcaption(self, el, text, parent_tags):
        text = " ".join(text.split())
        return f"\n\n*{text}*\n\n" if text else ""

    def convert_img(self, el, text, parent_tags):
        alt = " ".join((el.get("alt") or "").split()).replace("[", "(").replace("]", ")")
        src = (el.get("src") or "").strip()
        if not src:
            return alt
        local = self.resolver.image(src)
        if local:
            return f"![{alt}]({local})"
        if local is None and src.startswith(("http://", "https://")):
            self.notes.append((f"Bild von einem fremden Server {src!r} durch einen einfachen Link ersetzt.", src))
            return f"[{alt or 'Bild'}]({src})"
        self.notes.append((f"Bild {src!r} fehlt; durch seinen Alternativtext ersetzt.", alt or ""))
        return alt

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        if href.lower().startswith(("mailto:", "javascript:", "data:", "tel:")):
            return text
        if href.startswith("#"):
            # Only anchors of headings exist here; others (#more-12, old theme ids) become text.
            return super().convert_a(el, text, parent_tags) if href[1:] in self.anchors else text
        new = self.resolver.link(href) if href else ""
        if new is not None:
            if new == "":
                return text
            el["href"] = new
        el.attrs.pop("title", None)
        return super().convert_a(el, text, parent_tags)


def _code_language(el: Tag) -> str:
    for candidate in (el, el.find("code")):
        if candidate is None:
            continue
        for cls in candidate.get("class") or []:
            if cls.startswith(("language-", "lang-")):
                return cls.split("-", 1)[1]
        lang = candidate.get("lang") or candidate.get("data-lang")
        if lang:
            return str(lang)
    return ""
