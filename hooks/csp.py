"""The Content Security Policy of every page, computed at build time.

Not a hook module: `security.py` calls `add_policy` on every page's HTML as
the last step. The policy allows scripts from the site itself and, by SHA-256
hash, exactly the inline scripts the theme writes into that page (no
'unsafe-inline' for scripts; a script in the page's content gets no hash); images from the site and data: URLs; frames only
for the services a reader has to agree to first (giscus, video hosts). The
theme sets no style attributes in its HTML and changes styles only through
the CSSOM, which CSP does not restrict, so styles need no 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

GISCUS = "https://giscus.app"
VIDEO_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
# Directive -> sources; "script-src" gets the page's hashes appended.
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    # 'wasm-unsafe-eval': the search (Pagefind) runs its WebAssembly from the
    # site itself; it allows compiling WebAssembly only, not eval() of scripts.
    "script-src": ("'self'", "'wasm-unsafe-eval'", GISCUS),
    "style-src": ("'self'", GISCUS),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'", GISCUS),
    "frame-src": ("'self'", GISCUS, *VIDEO_HOSTS),
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

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def inline_script_hashes(html: str) -> list[str]:
    """'sha256-…' of every inline script that a browser would run, in order."""
    hashes: list[str] = []
    for match in SCRIPT_RE.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if SRC_RE.search(attributes):
            continue
        kind = TYPE_RE.search(attributes)
        if kind and kind.group(1).lower() not in RUN_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(hashes: list[str], *, preview: bool = False) -> str:
    """The policy text for a page with these inline-script hashes. `preview`
    (mkdocs serve): inline scripts by 'unsafe-inline' instead, because the
    dev server adds its live-reload script after the build."""
    parts = []
    for directive, sources in POLICY.items():
        if directive == "script-src":
            sources = (*sources, "'unsafe-inline'") if preview else (*sources, *hashes)
        parts.append(" ".join((directive, *sources)))
    return "; ".join(parts)


def add_policy(html: str, content: str | None = None, *, preview: bool = False) -> str:
    """The page with its CSP <meta> as early as possible in <head>: right after
    <meta charset>, before any script, style or link. Scripts inside `content`
    (the page's own Markdown as HTML) get no hash: only the theme's run."""
    theme_part = html.replace(content, "", 1) if content else html
    meta = META.format(policy=policy(inline_script_hashes(theme_part), preview=preview))
    for pattern in (CHARSET_RE, HEAD_RE):
        match = pattern.search(html)
        if match:
            return html[:match.end()] + "\n    " + meta + html[match.end():]
    return html
