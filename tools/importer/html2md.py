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

from kn.markdown.embeds import PROVIDERS, parse_video

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
BLOCK_LINE_END_RE = re.compile(rf"(?:</?(?:{BLOCK_TAGS})\b[^>]*>|<br\s*/?>|-->|KN(?:PRE|CODE)\d+KN)\s*\Z", re.I)
BLOCK_LINE_START_RE = re.compile(rf"\A\s*(?:</?(?:{BLOCK_TAGS})\b|<!--|KN(?:PRE|CODE)\d+KN)", re.I)
HEADING_RE = re.compile(r"\Ah[1-6]\Z")
ANCHOR_RE = re.compile(r"[A-Za-z][\w-]*")
DROPPED_RE = re.compile(r"<(?:script|style|noscript|form|input|button|select|textarea|object|embed)\b", re.I)
CODE_SHORTCODE_RE = re.compile(
    r"\[(code|sourcecode|(?:{langs}))\b([^\]]*)\](.*?)\[/\1\]".replace("{langs}", "|".join([
        "bash", "c", "cpp", "csharp", "css", "delphi", "diff", "erlang", "groovy", "html", "java", "javascript",
        "js", "jscript", "matlab", "objc", "perl", "php", "plain", "powershell", "ps", "py", "python", "r",
        "ruby", "sass", "scala", "shell", "sql", "swift", "text", "typescript", "vb", "vbnet", "xml", "yaml",
    ])), re.S | re.I)
SYNTAX_BLOCK_RE = re.compile(r'<!--\s*wp:syntaxhighlighter/code\s*(\{.*?\})?\s*-->\s*<pre\b', re.S | re.I)
PRE_PARTS_RE = re.compile(r"<pre\b([^>]*)>(.*?)</pre>", re.S | re.I)
CODE_TOKEN_RE = re.compile(r"KNCODE(\d+)KN")
# Tags inside a <pre> that only format it; anything else in there is code (`List<T>`).
PRE_FORMAT_RE = re.compile(r"</?(?:code|span|b|strong|i|em|u|font|mark|kbd|samp|var|a|small|tt|ins|del)\b[^>]*>", re.I)
BRUSH_RE = re.compile(r"(?:brush|lang(?:uage)?)\s*[:=]\s*['\"]?([\w#+.-]+)", re.I)
LANGUAGE_ALIASES = {"c#": "csharp", "cs": "csharp", "c++": "cpp", "js": "javascript", "jscript": "javascript",
                    "plain": "text", "ps": "powershell", "py": "python", "vb": "vbnet", "sh": "bash", "shell": "bash"}
MEDIA_SHORTCODE_RE = re.compile(r"\[(audio|video)\b([^\]]*)\](?:.*?\[/\1\])?", re.S | re.I)
MEDIA_ATTRS = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "mp4", "m4v", "webm", "ogv", "mov", "wmv", "flv")
ANY_ATTR_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'\]]+))""")
TAG_NAME_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?=[\s/>])")
INLINE_BR_RE = re.compile(r"(<br\s*/?>)(\s*)(</(?:strong|b|em|i|span|u|s|del|ins|mark|small|a|code)>)", re.I)
HTML_TAGS = frozenset("""
a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button canvas caption
center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption
figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd
label legend li link main map mark menu meta meter nav noscript object ol optgroup option output p param picture
pre progress q rp rt ruby s samp script section select small source span strike strong style sub summary sup
svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr math
""".split())
SCHEMELESS_RE = re.compile(
    r"\A(?:www\.[\w-]+(?:\.[\w-]+)+|[\w-]+(?:\.[\w-]+)*\.(?:de|com|org|net|eu|info|at|ch|io|biz|nl|fr|uk))"
    r"(?::\d+)?(?:[/?#]|\Z)", re.I)
MAX_NESTING = 60  # elements inside elements; real posts stay below 20
NESTING_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)\b[^>]*?(/?)>")
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
IMAGE_FILE_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|tiff?)\Z", re.I)
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
    """A post's content as stored by WordPress to HTML, and notes on shortcodes kept as text.

    Code (`[code]`/`[sourcecode]`/`[php]` shortcodes, `<pre>`, Gutenberg's code
    and SyntaxHighlighter blocks) is taken out first and comes back as
    `<pre class="language-…"><code>` with its text escaped, so nothing in it is
    read as HTML, shortcode or paragraph."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    codes: list[str] = []
    text = SYNTAX_BLOCK_RE.sub(_syntax_block, text)
    text = CODE_SHORTCODE_RE.sub(lambda m: _code_token(codes, m.group(3), _shortcode_language(m), raw=True), text)
    text = PRE_PARTS_RE.sub(lambda m: _code_token(codes, m.group(2), _pre_language(m.group(1)), raw=False), text)
    text = GUTENBERG_RE.sub("", text)
    text = MORE_RE.sub(f"\n\n<p>{MORE_TOKEN}</p>\n\n", text)
    text = CAPTION_RE.sub(_caption, text)
    text = EMBED_RE.sub(lambda m: f"\n\n<p>{htmllib.escape(m.group(1).strip())}</p>\n\n", text)
    text = JETPACK_VIDEO_RE.sub(_jetpack_video, text)
    notes: list[tuple[str, str]] = []
    text = MEDIA_SHORTCODE_RE.sub(lambda m: _media_shortcode(m, notes), text)
    notes += [
        (f"Shortcode {_short(m.group(0))} als Text übernommen (bitte von Hand ersetzen oder löschen).", m.group(0))
        for m in SHORTCODE_RE.finditer(text)
        if not m.group(1) and _looks_like_shortcode(m, text)
    ]
    text = escape_unknown_tags(text)
    while INLINE_BR_RE.search(text):
        # `<strong>Titel<br></strong>Text`: the break after the bold text, not inside it.
        text = INLINE_BR_RE.sub(r"\3\1\2", text)
    html = autop(text)
    return CODE_TOKEN_RE.sub(lambda m: codes[int(m.group(1))], html), notes


def escape_unknown_tags(text: str) -> str:
    """`RegisterType<WebApplication>()` in prose: a '<' that starts no HTML
    element is text, not a tag for the parser to eat."""
    return TAG_NAME_RE.sub(lambda m: m.group(0) if m.group(2).lower() in HTML_TAGS else "&lt;" + m.group(0)[1:], text)


def _code_token(codes: list[str], inner: str, language: str, *, raw: bool) -> str:
    """Stash one code block, verbatim, as `<pre><code>`; return its token."""
    if raw:  # shortcode: the text as typed (the editor may have escaped < and &)
        code = htmllib.unescape(inner)
    else:
        code = htmllib.unescape(PRE_FORMAT_RE.sub("", re.sub(r"<br\s*/?>\n?", "\n", inner, flags=re.I)))
    code = code.strip("\n")
    cls = f' class="language-{language}"' if language else ""
    codes.append(f"<pre{cls}><code>{htmllib.escape(code, quote=False)}</code></pre>")
    return f"\n\nKNCODE{len(codes) - 1}KN\n\n"


def code_language(value: str) -> str:
    """A fence language from a SyntaxHighlighter/shortcode name ('c#' -> 'csharp'); '' if none."""
    value = value.strip().lower()
    value = LANGUAGE_ALIASES.get(value, value)
    return value if re.fullmatch(r"[a-z0-9][a-z0-9+_-]{0,30}", value) else ""


def _shortcode_language(match: re.Match[str]) -> str:
    name, attrs = match.group(1).lower(), match.group(2)
    if name not in ("code", "sourcecode"):
        return code_language(name)
    found = BRUSH_RE.search(attrs)
    return code_language(found.group(1)) if found else ""


def _pre_language(attrs: str) -> str:
    for cls in re.findall(r'class\s*=\s*["\']([^"\']*)', attrs, re.I):
        found = BRUSH_RE.search(cls)
        if found:
            return code_language(found.group(1))
        for name in cls.split():
            if name.startswith(("language-", "lang-")):
                return code_language(name.split("-", 1)[1])
    found = re.search(r'(?:data-)?lang(?:uage)?\s*=\s*["\']([^"\']+)', attrs, re.I)
    return code_language(found.group(1)) if found else ""


def _syntax_block(match: re.Match[str]) -> str:
    """Gutenberg's SyntaxHighlighter block keeps its language in the block comment."""
    found = re.search(r'"language"\s*:\s*"([^"]+)"', match.group(1) or "")
    return f'<pre class="language-{code_language(found.group(1))}"' if found and code_language(found.group(1)) else "<pre"


def _media_shortcode(match: re.Match[str], notes: list[tuple[str, str]]) -> str:
    """`[audio mp3="…"]` and `[video mp4="…"]`: a link to the file (a YouTube or
    Vimeo address becomes a video paragraph later)."""
    attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in ANY_ATTR_RE.finditer(match.group(2))}
    url = next((attrs[k].strip() for k in MEDIA_ATTRS if attrs.get(k, "").strip()), "")
    if not url:
        notes.append((f"Shortcode {_short(match.group(0))} ohne Datei entfernt.", ""))
        return ""
    if video_url(url):
        return f"\n\n<p>{htmllib.escape(url)}</p>\n\n"
    what = "Audio" if match.group(1).lower() == "audio" else "Video"
    name = url.rstrip("/").rsplit("/", 1)[-1] or url
    notes.append((f"{what}-Player {_short(match.group(0))} durch einen Link auf die Datei ersetzt.", url))
    return f'\n\n<p><a href="{htmllib.escape(url)}">{what}: {htmllib.escape(name)}</a></p>\n\n'


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
    becomes <p>, single line breaks <br> (also inside a <p> of the source);
    block elements stay as they are."""
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
        if re.fullmatch(r"KN(?:PRE|CODE)\d+KN", chunk):
            chunks.append(chunk)
        elif BLOCK_START_RE.match(chunk) or BLOCK_END_RE.search(chunk):
            chunks.append(_line_breaks(chunk))
        else:
            chunks.append("<p>" + _line_breaks(chunk) + "</p>")
    text = "\n\n".join(chunks)
    return re.sub(r"KNPRE(\d+)KN", lambda m: pres[int(m.group(1))], text)


def _line_breaks(chunk: str) -> str:
    """Single line breaks in text become <br>, as wpautop does; not next to a
    block tag and not inside a tag."""
    lines = chunk.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        before = out[-1]
        inside_tag = before.rfind("<") > before.rfind(">")
        if inside_tag or not line.strip() or BLOCK_LINE_END_RE.search(before) or BLOCK_LINE_START_RE.match(line):
            out.append("\n" + line)
        else:
            out.append("<br>\n" + line)
    return "".join(out)


# -----------------------------------------------------------------------------
# Videos
# -----------------------------------------------------------------------------


def video_url(url: str) -> str | None:
    """The canonical YouTube/Vimeo address of a video or embed URL, or None.

    Embed forms (youtube-nocookie.com/embed/ID, youtube.com/v/ID,
    player.vimeo.com/video/ID, vimeo.com/channels/x/ID, '//…' without scheme)
    are first written as the address a reader would open; the build's own
    parser (`embeds.parse_video`) then decides, so the importer never writes a
    video paragraph that the build rejects."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlparse(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    candidate = url
    if host in ("youtube.com", "youtube-nocookie.com"):
        if len(path) >= 2 and path[0] in ("embed", "shorts", "v", "live"):
            candidate = f"https://www.youtube.com/embed/{path[1]}"
        elif path[:1] == ["watch"]:
            candidate = f"https://www.youtube.com/watch?v={(parse_qs(parts.query).get('v') or [''])[0]}"
    elif host == "youtu.be" and path:
        candidate = f"https://youtu.be/{path[0]}"
    elif host == "player.vimeo.com" and len(path) >= 2 and path[0] == "video":
        candidate = f"https://vimeo.com/{path[1]}"
    elif host == "vimeo.com" and path:
        candidate = f"https://vimeo.com/{path[-1]}"
    found = parse_video(candidate)
    if found is None:
        return None
    provider, video_id = found
    return PROVIDERS[provider]["watch"].format(id=video_id)


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


def html_to_markdown(html: str, resolver: Resolver, *, embeds: bool = True, comment: bool = False) -> Converted:
    """Convert HTML to Markdown; images and links are resolved by `resolver`.
    `embeds=False` (comments, where WordPress allows no embeds) skips looking for videos."""
    notes: list[tuple[str, str]] = []
    if nesting_depth(html) > MAX_NESTING:
        notes.append((f"HTML mehr als {MAX_NESTING} Ebenen tief verschachtelt; nur als Text übernommen.", ""))
        return Converted(plain_paragraphs(html), notes)
    try:
        return _html_to_markdown(html, resolver, embeds=embeds, notes=notes, comment=comment)
    except RecursionError:
        notes.append(("HTML zu tief verschachtelt; nur als Text übernommen.", ""))
        return Converted(plain_paragraphs(html), notes)


def nesting_depth(html: str) -> int:
    """How deep elements nest (counted from the tags, without parsing)."""
    depth = deepest = 0
    for match in NESTING_TAG_RE.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in VOID_TAGS or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def plain_paragraphs(html: str) -> str:
    """The text of HTML, in paragraphs, escaped for Markdown."""
    text = re.sub(r"<[^>]*>", " ", re.sub(r"</(?:p|div|li|h[1-6]|tr|blockquote|pre)>|<br\s*/?>", "\n\n", html, flags=re.I))
    paragraphs = [" ".join(htmllib.unescape(p).split()) for p in re.split(r"\n\s*\n", text)]
    escaped = [re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", p) for p in paragraphs if p]
    return "\n\n".join(escaped) + "\n" if escaped else ""


def _html_to_markdown(html: str, resolver: Resolver, *, embeds: bool, notes: list[tuple[str, str]],
                      comment: bool = False) -> Converted:
    soup = BeautifulSoup(html, "html.parser")
    videos: list[str] = []
    if embeds:
        _replace_embeds(soup, videos, notes)
    elif DROPPED_RE.search(html):
        for element in soup.find_all(DROPPED_TAGS):
            element.decompose()
    lower = html.lower()  # cheap guards: most posts and comments have none of these
    if "<h1" in lower:
        _demote_headings(soup)
    if "<blockquote" in lower:
        _code_quotes(soup)
    for gallery in soup.select("figure.wp-block-gallery, div.gallery, div.tiled-gallery") if "gallery" in lower else []:
        # Gutenberg's gallery, the classic theme's and Jetpack's: one picture grid.
        gallery.name = "div"
        gallery.attrs = {"data-kn-galerie": "1"}
    converter = _CommentConverter(resolver, notes) if comment else _Converter(resolver, notes)
    # Heading ids survive as attr_list ids, so that links to #them keep working.
    converter.anchors = {h["id"] for h in soup.find_all(HEADING_RE) if ANCHOR_RE.fullmatch(h.get("id") or "")}
    markdown = converter.convert_soup(soup)
    markdown = VIDEO_TOKEN_RE.sub(lambda m: videos[int(m.group(1))], markdown)
    markdown = markdown.replace(MORE_TOKEN, MORE_MARK)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return Converted(markdown + "\n" if markdown else "", notes)


def _demote_headings(soup: BeautifulSoup) -> None:
    """The page title is the only `# ` heading: with an <h1> in the body, every
    heading moves one level down (h6 stays h6)."""
    headings = soup.find_all(HEADING_RE)
    if any(h.name == "h1" for h in headings):
        for heading in headings:
            heading.name = f"h{min(int(heading.name[1]) + 1, 6)}"


def _code_quotes(soup: BeautifulSoup) -> None:
    """Code pasted into a quote: a <blockquote> around a <pre>, or one whose
    text is all inside <code>, becomes the code block itself."""
    for quote in soup.find_all("blockquote"):
        for br in quote.select("code br"):
            br.replace_with("\n")
        if quote.find("pre") is not None:
            quote.unwrap()
            continue
        codes = quote.find_all("code")
        text = quote.get_text()
        if codes and text.strip() and "".join(c.get_text() for c in codes).strip() == text.strip() and "\n" in text.strip():
            pre = soup.new_tag("pre")
            code = soup.new_tag("code")
            code.string = "\n".join(c.get_text() for c in codes).strip("\n")
            pre.append(code)
            quote.replace_with(pre)


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
            src = "https:" + src if src.startswith("//") else src
            iframe.replace_with(_link_paragraph(soup, src, iframe.get("title") or "Eingebetteter Inhalt") if src.startswith("http") else "")
    for player in soup.find_all(("video", "audio")):
        source = player.find("source")
        src = (player.get("src") or (source.get("src") if source else "") or "").strip()
        video = video_url(src)
        if video:
            player.replace_with(_video_paragraph(soup, videos, video, player.get("title", "")))
            continue
        what = "Audio" if player.name == "audio" else "Video"
        notes.append((f"{what}-Player <{player.name}> durch einen Link auf die Datei ersetzt"
                      + (" (Vorschaubild „poster“ entfernt)." if player.get("poster") else "."), src or player.name))
        name = src.rstrip("/").rsplit("/", 1)[-1]
        player.replace_with(_link_paragraph(soup, src, f"{what}: {name}") if src else "")
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

    def convert_div(self, el, text, parent_tags):
        if not el.has_attr("data-kn-galerie"):
            return super().convert_div(el, text, parent_tags)
        items = []
        for img in el.find_all("img"):
            link = img.find_parent("a")
            href = (link.get("href") or "").strip() if link is not None and el in link.parents else ""
            items.append(self._linked_image(link, img, href) if href else self.convert_img(img, "", set()))
        items = [item for item in items if item.strip()]
        if not items:
            return ""
        # One paragraph of pictures; attr_list gives it the grid's class (kn.css).
        return "\n\n" + "\n".join(items) + "\n{ .kn-galerie }\n\n"

    def escape(self, text, parent_tags):
        # `List<string>` in prose is text: Python-Markdown would pass `<string>` on as an HTML tag.
        return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", super().escape(text, parent_tags))

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
        if SCHEMELESS_RE.match(href):
            href = "https://" + href  # `href="www.example.com"`: meant as an address, not a relative link
            el["href"] = href
        scheme = href.split(":", 1)[0].lower() if ":" in href else ""
        if scheme in ("javascript", "data", "vbscript") or (scheme and scheme not in ("http", "https", "mailto", "tel")):
            return text
        if scheme in ("mailto", "tel"):
            new = self.resolver.link(href)
            return text if new == "" else super().convert_a(el, text, parent_tags)
        if href.startswith("#"):
            # Only anchors of headings exist here; others (#more-12, old theme ids) become text.
            return super().convert_a(el, text, parent_tags) if href[1:] in self.anchors else text
        images = [c for c in el.descendants if getattr(c, "name", None) == "img"]  # cheaper than find_all
        if len(images) == 1 and not el.get_text(strip=True):
            return self._linked_image(el, images[0], href)
        new = self.resolver.link(href) if href else ""
        if new is not None:
            if new == "":
                return text
            el["href"] = new
        el.attrs.pop("title", None)
        return super().convert_a(el, text, parent_tags)

    def _linked_image(self, el, img, href: str) -> str:
        """WordPress' linked thumbnail `<a href=full><img src=thumb></a>`: one
        image, linked to the full size when that is here too; never a link
        inside a link."""
        picture = self.convert_img(img, "", set())
        if not picture.startswith("!["):
            # Not here (foreign or missing): one plain link, to the full size if there is one.
            target = self.resolver.link(href) if href else ""
            target = href if target is None else target
            alt = " ".join((img.get("alt") or "").split()).replace("[", "(").replace("]", ")")
            if picture.startswith("[") and not target:
                return picture
            return f"[{alt or 'Bild'}]({target})" if target else alt
        target = self.resolver.link(href) if href else ""
        if target is None and not IMAGE_FILE_RE.search(urlparse(href).path):
            target = href  # a thumbnail that links to a page keeps its link
        local = picture[picture.index("](") + 2:-1]
        if not target or target == local:
            return picture
        return f"[{picture}]({target})"


class _CommentConverter(_Converter):
    """Comments are rendered with plain Markdown (hooks/kn/read/comments.py: no tables,
    fences or strike-through): write what that renderer shows."""

    def convert_pre(self, el, text, parent_tags):
        code = el.get_text().strip("\n")
        return "\n\n" + "\n".join("    " + line if line.strip() else "" for line in code.split("\n")) + "\n\n"

    def convert_del(self, el, text, parent_tags):
        return text

    convert_s = convert_del
    convert_strike = convert_del

    def convert_table(self, el, text, parent_tags):
        rows = [" | ".join(" ".join(c.get_text(" ").split()) for c in row.find_all(("td", "th"))) for row in el.find_all("tr")]
        return "\n\n" + "  \n".join(self.escape(r, parent_tags) for r in rows if r.strip()) + "\n\n"


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
