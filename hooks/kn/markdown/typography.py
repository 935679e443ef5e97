"""German typography: the apostrophe ’ in Markdown and in plain texts, and
plain-text teasers of an article's Markdown.

- `smarty` (mkdocs.yml) writes German quotes „…“ and ‚…‘. Because the German
  closing single quote ‘ is the English opening one, smarty would also turn
  the apostrophe of „geht's“ into ‘. `ApostropheExtension` adds one pattern in
  front of smarty's quote patterns: a ' between two letters or digits is the
  apostrophe ’ (U+2019). mkdocs.yml lists it after smarty for the site's
  Markdown; the comments renderer (hooks/kn/read/comments.py) uses it too.
- `typeset(text)`: the same rules for plain texts from the front matter
  (titles, descriptions), which never pass through Markdown.
- `teaser(markdown)`: the text before `<!-- more -->`, else the first
  paragraph, as plain text cut at a word boundary (at most 200 characters).
- `nbsp(text)`: no-break spaces where German typesetting keeps words together
  („§ 5“, „Art. 21“, „Abs. 2“, „SGB VI“, „z. B.“, „10 %“, „50 Euro“,
  „13. November“). `NbspExtension` (listed in mkdocs.yml) applies it to the text of every page (a
  treeprocessor; code, attributes and raw HTML stay as they are); articles.py
  applies it to titles and descriptions.
"""

from __future__ import annotations

import functools
import html
import re

import markdown as python_markdown
from markdown.extensions import Extension
from markdown.extensions.smarty import SubstituteTextPattern
from markdown.treeprocessors import Treeprocessor

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

APOSTROPHE = "\u2019"
# German quotation marks for smarty: „…“ and ‚…‘, for the plain texts (titles,
# teasers). The site's pages and comments get the same from smarty's settings in
# mkdocs.yml (tests/test_pipeline_portable.py keeps the two equal).
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

NBSP = "\u00a0"
_MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_UNITS = (
    r"%|‰|€|Euro|EUR|Cent|km|m|m²|m³|cm|mm|kg|Std\.|Min\.|Sek\.|px|pt|KB|MB|GB|TB|kW|kWh|Mio\.|Mrd\.|Tsd\."
)
# Abbreviations written with an inner space: „z. B.“, „d. h.“, „i. d. R.“, „e. Kfr.“ …
_ABBREVIATIONS = (
    "z. B.", "d. h.", "u. a.", "u. Ä.", "o. Ä.", "i. d. R.", "s. o.", "s. u.", "v. a.", "z. T.",
    "u. U.", "m. E.", "o. g.", "i. S. d.", "e. K.", "e. Kfm.", "e. Kfr.",
)
# Each rule with what a text must contain for it to match at all (a digit, or
# a plain substring): most text nodes contain none of these, and `nbsp` then
# skips the rule's regular expression (the output is the same).
DIGIT = "digit"
NBSP_RULES: list[tuple[str, re.Pattern[str], str]] = [
    # „§ 5“, „§§ 705 ff.“, „Art. 21“, „Abs. 2“, „Nr. 9“, „Satz 1“, „S. 98“: before the number.
    (DIGIT, re.compile(r"(?<![^\W\d_])(§§?|Art\.|Abs\.|Nr\.|Ziff\.|Satz|S\.) (?=\d)"), r"\1" + NBSP),
    # „lit. f“: before the letter.
    ("lit. ", re.compile(r"(?<![^\W\d_])(lit\.) (?=[a-z]\b)"), r"\1" + NBSP),
    # „705 ff.“, „26 f.“
    (DIGIT, re.compile(r"(\d) (ff?\.)"), r"\1" + NBSP + r"\2"),
    # „SGB VI“, „SGB IV“
    ("SGB ", re.compile(r"\b(SGB) (?=[IVX]+\b)"), r"\1" + NBSP),
    # „10 %“, „800.000 Euro“, „5 km“: a number and its unit.
    (DIGIT, re.compile(r"(\d) (?=(?:" + _UNITS + r")(?![^\W\d_]))"), r"\1" + NBSP),
    # „13. November“: day and month.
    (DIGIT, re.compile(r"\b(\d{1,2}\.) (?=(?:" + _MONTHS + r")\b)"), r"\1" + NBSP),
    # „z. B.“ … (every abbreviation has „. “ inside)
    # The check that no letter comes before follows the first letter: a pattern
    # that starts with a letter lets the regex engine skip every other character.
    (". ", re.compile("|".join(re.escape(a[0]) + r"(?<![^\W\d_].)" + re.escape(a[1:]) for a in _ABBREVIATIONS)),
     lambda m: m.group(0).replace(" ", NBSP)),
]
assert all(". " in a for a in _ABBREVIATIONS)
HAS_DIGIT = re.compile(r"\d").search
# Elements whose text is never touched.
NBSP_SKIP = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}

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


class NbspExtension(Extension):
    """No-break spaces in the text of a page (see `nbsp`). Runs after the inline
    patterns and before the table of contents, so headings in the TOC get them too."""

    def extendMarkdown(self, md: python_markdown.Markdown) -> None:
        md.treeprocessors.register(NbspTreeprocessor(md), "kn-nbsp", 6)


class NbspTreeprocessor(Treeprocessor):
    def run(self, root) -> None:
        self._walk(root)

    def _walk(self, element) -> None:
        if element.tag in NBSP_SKIP:
            return
        if element.text:
            element.text = nbsp(element.text)
        for child in element:
            self._walk(child)
            if child.tail:
                child.tail = nbsp(child.tail)


def nbsp(text: str) -> str:
    """`text` with no-break spaces (U+00A0) where German typesetting wants them:
    after „§“, „Art.“, „Abs.“, „Nr.“, „Satz“ before a number, in „SGB VI“,
    „z. B.“ and the like, between a number and its unit („10 %“, „5 km“,
    „50 Euro“) and between day and month („13. November“)."""
    if " " not in text:
        return text
    digit = HAS_DIGIT(text) is not None
    for needs, pattern, repl in NBSP_RULES:
        if (digit if needs is DIGIT else needs in text):
            text = pattern.sub(repl, text)
    return text


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
    return cut_at_word(markdown_to_text(source), limit)


def first_paragraph(markdown: str) -> str:
    """The first block of running text (no heading, list, admonition, include,
    HTML, image or video line)."""
    for block in re.split(r"\n[ \t]*\n", markdown):
        block = block.strip("\n")
        if block.strip() and not NOT_PARAGRAPH_RE.match(block):
            return block
    return ""


def cut_at_word(text: str, limit: int = TEASER_LENGTH) -> str:
    """`text` with its white space folded, cut at the last word boundary so
    that it with „…“ fits `limit` (teasers and descriptions)."""
    text = " ".join(text.split())
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
