"""The Content Security Policy of every page, computed at build time.

Not a hook module: `security.py` calls `add_policy` on every page's HTML as
the last step. The policy allows scripts from the site itself and, by SHA-256
hash, the inline scripts the theme ships (no 'unsafe-inline' for scripts):
a script gets a hash only when its text is one of the `<script>` elements of
Material's or our own templates (`shipped_scripts`), whatever else a page
holds — in its content, its <head> or its navigation — gets none. Under
`mkdocs serve` the dev server's live-reload script is allowed by a nonce that
only the server knows (security.py adds it when it injects the script), never
by 'unsafe-inline'. Images from the site and data: URLs; frames only
for the services a reader has to agree to first (the video hosts here; a comment
provider's origins come from its module, on open articles only). The
theme sets no style attributes in its HTML and changes styles only through
the CSSOM, which CSP does not restrict, so styles need no 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

VIDEO_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
# Directive -> sources; "script-src" gets the page's hashes appended.
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    # 'wasm-unsafe-eval': the search (Pagefind) runs its WebAssembly from the
    # site itself; it allows compiling WebAssembly only, not eval() of scripts.
    # A comment provider's origins are added only on open articles (hooks/kn/comment_providers/).
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "frame-src": ("'self'", *VIDEO_HOSTS),
    "worker-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}
# Script elements the browser runs (JSON data blocks are never run).
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SRC_RE = re.compile(r"\ssrc\s*=", re.I)
TYPE_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
RUN_TYPES = ("", "text/javascript", "application/javascript", "module")
CHARSET_RE = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.I)
HEAD_RE = re.compile(r"<head\b[^>]*>", re.I)
META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'
# Where the scripts we ship are written: Material's templates and ours.
OVERRIDES = Path(__file__).resolve().parent.parent / "overrides"
TEMPLATE_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.S)
JINJA_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# What a `{{ … }}` inside a shipped script may print: a URL or path (base_url,
# scope), never a quote, bracket or anything else a script could be made of.
TEMPLATE_VALUE = r"[A-Za-z0-9./:_-]{0,300}"

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


@functools.cache
def shipped_scripts() -> re.Pattern[str]:
    """One pattern matching exactly the text of every inline script in
    Material's templates and in overrides/ (a `{{ value }}` in it stands for
    a URL-like value), and nothing else."""
    import material

    dirs = [Path(material.__file__).parent / "templates", OVERRIDES]
    patterns: set[str] = set()
    for folder in dirs:
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else ():
            for body in TEMPLATE_SCRIPT_RE.findall(path.read_text(encoding="utf-8")):
                parts = JINJA_RE.split(body)
                values = JINJA_RE.findall(body)
                pattern = re.escape(parts[0])
                for value, part in zip(values, parts[1:], strict=True):
                    pattern += ("" if value.startswith(("{%", "{#")) else TEMPLATE_VALUE) + re.escape(part)
                patterns.add(pattern)
    return re.compile("|".join(f"(?:{p})" for p in sorted(patterns)) or r"(?!)")


def is_shipped(body: str) -> bool:
    """True for the text of an inline script our templates (or Material's) write."""
    return shipped_scripts().fullmatch(body) is not None


def inline_script_hashes(html: str, *, shipped_only: bool = False) -> list[str]:
    """'sha256-…' of every inline script that a browser would run, in order;
    `shipped_only`: only of those whose text our templates ship."""
    hashes: list[str] = []
    for match in SCRIPT_RE.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if SRC_RE.search(attributes):
            continue
        kind = TYPE_RE.search(attributes)
        if kind and kind.group(1).lower() not in RUN_TYPES:
            continue
        if shipped_only and not is_shipped(body):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(hashes: list[str], *, nonce: str | None = None, extra: dict[str, tuple[str, ...]] | None = None) -> str:
    """The policy text for a page with these inline-script hashes; `nonce`
    (mkdocs serve): also the dev server's live-reload script, which it adds
    after the build with this nonce. `extra`: sources this page alone needs
    (the comment provider of an open article)."""
    parts = []
    for directive, sources in POLICY.items():
        sources = tuple(dict.fromkeys((*sources, *(extra or {}).get(directive, ()))))
        if directive == "script-src":
            sources = (*sources, *hashes, *((f"'nonce-{nonce}'",) if nonce else ()))
        parts.append(" ".join((directive, *sources)))
    return "; ".join(parts)


def add_policy(html: str, content: str | None = None, *, nonce: str | None = None, extra: dict[str, tuple[str, ...]] | None = None) -> str:
    """The page with its CSP <meta> as early as possible in <head>: right after
    <meta charset>, before any script, style or link. Only scripts our
    templates ship get a hash, and none inside `content` (the page's own
    Markdown as HTML)."""
    theme_part = html.replace(content, "", 1) if content else html
    meta = META.format(policy=policy(inline_script_hashes(theme_part, shipped_only=True), nonce=nonce, extra=extra))
    for pattern in (CHARSET_RE, HEAD_RE):
        match = pattern.search(html)
        if match:
            return html[:match.end()] + "\n    " + meta + html[match.end():]
    return html
