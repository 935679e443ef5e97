"""The full text of every article for the Atom feeds (hooks/kn/derive/reader.py).

Feed readers show an entry's HTML without our stylesheet or scripts, on
another origin. So the article's finished content (after the checklists and
the video placeholders are in it) is rewritten for them:

- addresses become absolute (relative ones would point into the feed reader);
- a video placeholder becomes one paragraph with a link to the video's page:
  nothing in a feed loads from another server, not even after a click;
- checklist boxes become ☐ / ☑, a box's title a heading, buttons and „¶“
  heading links go;
- then nh3 (ammonia) keeps an allow-list of elements and attributes, and
  drops every image that is not on this site.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import nh3

from kn import registry
from kn.derive.reader import in_feeds

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
ATTRIBUTES = {
    "a": {"href"}, "abbr": {"title"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements left out with everything in them: headings' „¶“ links, buttons.
DROP_CLASSES = frozenset({"headerlink", "kn-checklist__actions", "kn-video__placeholder", "kn-video__revoke", "kn-video__status"})
EMPTY_IMG_RE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    if page.file.src_uri in in_feeds(site):  # an article some feed shows (the newest of the site and of each tag)
        base = (config.site_url or "/")
        site.cache.feed_html[page.file.src_uri] = feed_html(html, urljoin(base if base.endswith("/") else base + "/", page.url))
    return None


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def feed_html(html: str, page_url: str) -> str:
    """An article's HTML as a feed entry's content: absolute links, videos as
    links, no buttons or form fields, allow-listed, images only from the site
    of `page_url`."""
    rewriter = _FeedRewriter(page_url)
    rewriter.feed(html)
    rewriter.close()
    site_root = urljoin(page_url, "/")

    def allowed(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ATTRIBUTES.get(tag, ()):
            return None
        if tag == "img" and attribute == "src" and not value.startswith(site_root):
            return None  # only images of this site (embeds.py allows no other anyway)
        return value

    cleaned = nh3.clean(
        "".join(rewriter.out),
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=allowed,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # An <img> whose source was dropped shows nothing: take it out.
    return EMPTY_IMG_RE.sub("", cleaned)


class _FeedRewriter(HTMLParser):
    """One pass over the article's HTML (our own, well-formed output)."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=False)
        self.page_url = page_url
        self.out: list[str] = []
        self.skip: list[str] = []  # open elements being left out (their tag names)
        self.open: list[str] = []  # open elements written, as written (a box's title becomes h3)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.skip:
            if tag not in VOID:
                self.skip.append(tag)
            return
        classes = set(values.get("class", "").split())
        if "data-kn-video" in values:
            watch = values.get("data-kn-video-watch", "")
            title = escape(values.get("data-kn-video-title", "Video"))
            name = escape(values.get("data-kn-video-name", ""))
            self.out.append(f'<p>Video: <a href="{escape(watch)}">{title}</a>{f" ({name})" if name else ""}</p>')
            self.skip.append(tag)
            return
        if classes & DROP_CLASSES or tag in ("button", "script", "style", "template", "noscript"):
            if tag not in VOID:
                self.skip.append(tag)
            return
        if tag == "input":
            if values.get("type") == "checkbox":
                self.out.append("☑ " if "checked" in values else "☐ ")
            return
        if tag not in VOID:
            # A checklist's or note's title: a heading, as our stylesheet shows it.
            tag = "h3" if tag == "p" and "admonition-title" in classes else tag
            self.open.append(tag)
        kept = []
        for name, value in attrs:
            if name in ("href", "src") and value:
                value = urljoin(self.page_url, value)
            kept.append(f' {name}="{escape(value or "", quote=True)}"' if value is not None else f" {name}")
        self.out.append(f"<{tag}{''.join(kept)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag not in VOID and self.open:
            self.out.append(f"</{self.open.pop()}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.skip:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skip:
            self.out.append(f"&#{name};")

