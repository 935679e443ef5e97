"""Share links: „Teilen“ under each article, as plain links built at build time.

LinkedIn, XING, E-Mail (mailto with subject and link) and WhatsApp get the
article's canonical URL and title in their address; no script, image or
frame of those services is loaded, so nothing is sent anywhere until a reader
clicks. „Link kopieren“ copies the address with the Clipboard API
(docs/assets/kn.js); without JavaScript it is a link to the article itself.
The block is rendered by overrides/fragments/kn/share.html.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kn import registry, view

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.share")

EMAIL_BREAK = "\r\n\r\n"  # between title and link in the e-mail body (RFC 6068: CRLF)

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any] | None:
    article = registry.SITE.by_uri.get(page.file.src_uri)
    if article is not None and page.canonical_url:
        view.of(page).share = share_links(page.canonical_url, article.title)
    return None


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareLink:
    name: str  # visible text
    label: str  # accessible name, says where the link goes
    href: str
    icon: str  # path in Material's bundled icon set, without ".svg"
    external: bool  # opens another site (in a new tab)


def share_links(url: str, title: str) -> list[ShareLink]:
    """The share links for a page at `url` titled `title`, every value
    percent-encoded as a whole (a title with „&“ or „#“ stays one value)."""
    return [
        ShareLink("LinkedIn", "Auf LinkedIn teilen",
                  f"https://www.linkedin.com/sharing/share-offsite/?url={encode(url)}",
                  "fontawesome/brands/linkedin", True),
        ShareLink("XING", "Auf XING teilen",
                  f"https://www.xing.com/spi/shares/new?url={encode(url)}",
                  "fontawesome/brands/xing", True),
        ShareLink("E-Mail", "Per E-Mail teilen",
                  f"mailto:?subject={encode(title)}&body={encode(title + EMAIL_BREAK + url)}",
                  "fontawesome/solid/envelope", False),
        ShareLink("WhatsApp", "Per WhatsApp teilen",
                  f"https://wa.me/?text={encode(f'{title} {url}')}",
                  "fontawesome/brands/whatsapp", True),
    ]


def encode(value: str) -> str:
    """Percent-encode a query value: UTF-8, spaces as %20 (mailto: knows no '+')."""
    return quote(value, safe="")
