"""The site navigation, rendered once per build for every page outside it.

Material renders its navigation (partials/nav.html, a macro per item) for
every page: the largest part of a page's template, and the same for every
page that is not an item of the navigation itself (an article, a topic's
page, a further page of a list) but for its addresses, which the `url`
filter makes relative to the page.

`overrides/partials/nav.html` asks `kn_navigation()` first. For a page
outside the navigation it renders Material's template (copied unchanged to
`overrides/partials/material-nav.html`) once per build, with a marker around
each address instead of the address, and writes each page's own addresses
into that copy: what the `url` filter computes (MkDocs' `normalize_url`), so
the page is the same as if Material had rendered it. For a page of the
navigation (its item is marked as the current one) it returns None, and the
template renders Material's navigation as always; so does a build without our
hooks. tests/test_build_shortcuts.py keeps the copy equal to Material's template.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.utils import normalize_url

from kn import registry

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

TEMPLATE = "partials/material-nav.html"  # Material's partials/nav.html, unchanged
MARK = "\x1f"  # around each address in the navigation rendered once (no address contains it)
MARKED_RE = re.compile(MARK + "([^" + MARK + "]*)" + MARK)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    env.globals["kn_navigation"] = navigation
    return None


@pass_context
def navigation(context: Context) -> Markup | None:
    """The navigation for the page being rendered, or None: render Material's."""
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None:
        return None
    cache = registry.SITE.cache
    if cache.nav_pages is None:
        cache.nav_pages = frozenset(id(item) for item in nav.pages)
    if id(page) in cache.nav_pages:
        return None
    if cache.navigation is None:
        cache.navigation = marked(context) or ""
    if not cache.navigation:
        return None
    base_url = context.get("base_url")
    return Markup(MARKED_RE.sub(lambda match: normalize_url(match.group(1), page=page, base=base_url),
                                cache.navigation))


def marked(context: Context) -> str | None:
    """Material's navigation with MARK around each address (the value given to
    `url`), for a page outside it; None if an address contains MARK."""
    env = context.environment
    filters = env.filters  # MkDocs' own `url` filter, swapped for this one rendering only
    real = filters["url"]
    clean = True

    @pass_context
    def url(_context: Any, value: Any) -> str:
        nonlocal clean
        text = str(value)
        clean = clean and MARK not in text
        return MARK + text + MARK

    filters["url"] = url  # looked up when a template renders, not when it is compiled
    try:
        html = env.get_template(TEMPLATE).render(context.get_all())
    finally:
        filters["url"] = real
    return html if clean else None
