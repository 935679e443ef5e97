"""A preview that opens by double-click: the pull-request artifact is built
with the environment variable KN_DIRECTORY_URLS=false (.github/workflows/test.yml),
which sets `use_directory_urls: false` in `on_config`, so every page is a file
`…/name.html`. (Not as `!ENV` in mkdocs.yml: tools and tests read that file
with a plain YAML loader.)

From a folder on disk (file://) a browser does not open `index.html` for a
link to a folder, it lists the folder. So after such a build every relative
link in every HTML file that points to a folder (`../tags/`, `./`) or to a
page written as a folder (`../impressum/`) is rewritten to the file that is
there (`../tags/index.html`, `index.html`, `../impressum.html`). A build with
folder addresses (the published site) is left alone.

The search needs a web server (its index is fetched by script, which browsers
refuse for file://); assets/kn-datei.js says so in German on such a page.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# href="…" and src="…" in our and Material's HTML (always double-quoted).
LINK_RE = re.compile(r'(\s(?:href|src)=")([^"#?]*)((?:[?#][^"]*)?)(")')
SCHEME_RE = re.compile(r"\A[a-zA-Z][a-zA-Z0-9+.-]*:|\A//|\A/")
ENV = "KN_DIRECTORY_URLS"

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    if os.environ.get(ENV, "").strip().lower() in ("false", "0", "nein"):
        config.use_directory_urls = False
    return config


def on_post_build(*, config: MkDocsConfig) -> None:
    if not config.use_directory_urls:
        rewrite_site(Path(config.site_dir))


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def rewrite_site(site_dir: Path) -> int:
    """Rewrite the folder links of every HTML file under `site_dir`; return how many files changed."""
    changed = 0
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        here = path.parent.relative_to(site_dir).as_posix()
        new = file_links(text, here, lambda rel: (site_dir / rel).is_file())
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def file_links(html: str, folder: str, exists) -> str:
    """`html` (a page in `folder`, '.' for the root) with each relative link to
    a folder made a link to its file; `exists(path)` says whether a file exists
    (path relative to the site's root)."""

    def replace(match: re.Match) -> str:
        prefix, target, rest, quote = match.groups()
        if SCHEME_RE.match(target) or not (target.endswith("/") or target in (".", "..")):
            return match.group(0)  # absolute, a file, or this page ("", "#anchor")
        resolved = posixpath.normpath(posixpath.join(folder, target))
        resolved = "" if resolved == "." else resolved
        if exists(posixpath.join(resolved, "index.html")):
            new = (target if target.endswith("/") else target + "/") + "index.html"
        elif resolved and posixpath.basename(target.rstrip("/")) not in ("", ".", "..") and exists(resolved + ".html"):
            new = target.rstrip("/") + ".html"  # "../impressum/" -> "../impressum.html"
        else:
            return match.group(0)
        return f"{prefix}{new}{rest}{quote}"

    return LINK_RE.sub(replace, html)
