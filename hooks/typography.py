"""German typography: the apostrophe ’ in Markdown and in plain texts, and
plain-text teasers of an article's Markdown.

- `smarty` (mkdocs.yml) writes German quotes „…“ and ‚…‘. Because the German
  closing single quote ‘ is the English opening one, smarty would also turn
  the apostrophe of „geht's“ into ‘. `ApostropheExtension` adds one pattern in
  front of smarty's quote patterns: a ' between two letters or digits is the
  apostrophe ’ (U+2019). `on_config` adds it to the site's Markdown; the
  comments renderer (hooks/comments.py) uses it too.
- `typeset(text)`: the same rules for plain texts from the front matter
  (titles, descriptions), which never pass through Markdown.
- `teaser(markdown)`: the text before `<!-- more -->`, else the first
  paragraph, as plain text cut at a word boundary (at most 200 characters).
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING

import markdown as python_markdown
from markdown.extensions import Extension
from markdown.extensions.smarty import SubstituteTextPattern

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

APOSTROPHE = "\u2019"
# German quotation marks for smarty: „…“ and ‚…‘. The one place they are set:
# on_config puts them into the site's smarty settings (mkdocs.yml lists smarty).
SMARTY_DE = {
    "smarty": {"substitutions": {
        "left-double-quote": "&bdquo;", "right-double-quote": "&ldquo;",
        "left-single-quote": "&sbquo;", "right-single-quote": "&lsquo;",
    }},
}
WORD_APOSTROPHE_RE = r"(?<=[^\W_])'(?=[^\W_])"
MORE = "<!-- more -->"
MORE_RE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.M | re.I)
TEASER_LENGTH = 200
ELLIPSIS = "\u2026"
# Blocks that are no paragraph of running text (skipped when looking for the first one).
NOT_PARAGRAPH_RE = re.compile(
    r"\A(?:#|!!!|\?\?\?|--8<--|<|\||>|```|~~~|[-*+][ \t]|\d+[.)][ \t]|!\[|\[[^\]]*\]\([^)]*\)\{[^}]*\}\s*\Z| {4}|\t)"
)
BLOCK_END_RE = re.compile(r"</(?:p|li|h\d|div|blockquote|td|th)>|<br\s*/?>", re.I)
TAG_RE = re.compile(r"<[^>]+>")

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    # Before any page or comment is converted (comments.on_files reads these settings).
    smarty = config.mdx_configs.setdefault("smarty", {})
    smarty.setdefault("substitutions", dict(SMARTY_DE["smarty"]["substitutions"]))
    # After smarty (listed in mkdocs.yml), so that its quote patterns exist.
    # Once, even when `mkdocs serve` hands the same config to a rebuild.
    if not any(isinstance(ext, ApostropheExtension) for ext in config.markdown_extensions):
        config.markdown_extensions.append(ApostropheExtension())
    return config


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


class ApostropheExtension(Extension):
    """A ' inside a word is the apostrophe ’, before smarty's quote rules see it.
    Does nothing when smarty is not loaded (it must come after smarty)."""

    def extendMarkdown(self, md: python_markdown.Markdown) -> None:
        if "smarty" not in md.treeprocessors:
            return
        smarty = md.treeprocessors["smarty"]
        # smarty's quote patterns have priorities 30 and below.
        smarty.inlinePatterns.register(
            SubstituteTextPattern(WORD_APOSTROPHE_RE, ("&rsquo;",), md), "kn-apostrophe", 31,
        )


def typeset(text: str) -> str:
    """German typography for a plain text (no Markdown): ’ inside words,
    „…“ and ‚…‘, … and dashes, as smarty does in the body."""
    text = re.sub(r"(?<!\.)\.{3}(?!\.)", ELLIPSIS, text)
    text = re.sub(r"(?<!-)---(?!-)", "\u2014", text)
    text = re.sub(r"(?<!-)--(?!-)", "\u2013", text)
    text = re.sub(WORD_APOSTROPHE_RE, APOSTROPHE, text)
    opening = r"(?:(?<=\A)|(?<=[\s(\[\u2013\u2014/]))"
    text = re.sub(opening + '"', "\u201e", text).replace('"', "\u201c")
    text = re.sub(opening + "'", "\u201a", text).replace("'", "\u2018")
    return text


def markdown_to_text(markdown: str) -> str:
    """Inline Markdown as plain text with German typography (links keep their
    text, markup and HTML tags go)."""
    text = TAG_RE.sub("", BLOCK_END_RE.sub(" ", _plain_markdown().reset().convert(markdown)))
    return " ".join(html.unescape(text).split())


@functools.cache
def _plain_markdown() -> python_markdown.Markdown:
    """One converter for every title and teaser of a build (made once: building
    a Markdown instance costs more than converting one line)."""
    return python_markdown.Markdown(extensions=["attr_list", "smarty", ApostropheExtension()], extension_configs=SMARTY_DE)


def teaser(markdown: str, limit: int = TEASER_LENGTH) -> str:
    """The teaser of an article body: the text before `<!-- more -->`, else the
    first paragraph of running text; plain, at most `limit` characters."""
    parts = MORE_RE.split(markdown, maxsplit=1)
    source = parts[0] if len(parts) == 2 else first_paragraph(markdown)
    return shorten(markdown_to_text(source), limit)


def first_paragraph(markdown: str) -> str:
    """The first block of running text (no heading, list, admonition, include,
    HTML, image or video line)."""
    for block in re.split(r"\n[ \t]*\n", markdown):
        block = block.strip("\n")
        if block.strip() and not NOT_PARAGRAPH_RE.match(block):
            return block
    return ""


def shorten(text: str, limit: int = TEASER_LENGTH) -> str:
    """`text` cut at the last word boundary so that it with „…“ fits `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip(" ,;:–—-") + ELLIPSIS


# -----------------------------------------------------------------------------
# Helpers: the title heading
# -----------------------------------------------------------------------------

H1_RE = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
ATTRS_RE = re.compile(r"[ \t]*\{[^}]*\}[ \t]*$")


def h1_headings(markdown: str) -> list[tuple[int, str]]:
    """(line index, text) of every heading '# …' outside fenced code."""
    found: list[tuple[int, str]] = []
    fence = ""
    for index, line in enumerate(markdown.split("\n")):
        match = FENCE_RE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        heading = H1_RE.match(line)
        if heading:
            found.append((index, ATTRS_RE.sub("", heading.group(1))))
    return found


def title_heading(headings: list[tuple[int, str]], title: str | None) -> tuple[int, str] | None:
    """The heading that is the page's title: the first one, when the front
    matter has no title (`title` None) or the same one."""
    if headings and (title is None or markdown_to_text(headings[0][1]) == title):
        return headings[0]
    return None


def one_title(markdown: str, title: str | None) -> str:
    """Markdown without its title heading, other '# ' headings as '## ' (a page
    has one h1: the title, printed by the template above the article header)."""
    headings = h1_headings(markdown)
    drop = title_heading(headings, title)
    lines = markdown.split("\n")
    for index, _text in headings:
        lines[index] = "" if drop and index == drop[0] else "#" + lines[index]
    return "\n".join(lines)
