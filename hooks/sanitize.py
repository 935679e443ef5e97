"""The second lock on comment HTML: an allow-list sanitizer (nh3, the binding
to Rust's ammonia) over whatever the comment renderer produced.

Not a hook module. `comments.render_text` passes its output through
`sanitize_html`, and so does every other path that turns a comment into HTML
(the importer's included), so there is exactly one policy: the elements and
attributes the comment templates need, links only to http(s) or relative
targets, each with rel="nofollow ugc noopener".
"""

from __future__ import annotations

import nh3

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

TAGS = frozenset({"a", "blockquote", "br", "code", "em", "hr", "li", "ol", "p", "pre", "strong", "ul"})
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "nofollow ugc noopener"

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def sanitize_html(html: str) -> str:
    """Comment HTML reduced to the allow-list; everything else is dropped
    (elements like <script> and <style> with their content, other elements
    keep their text)."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_only_allowed,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _only_allowed(tag: str, attribute: str, value: str) -> str | None:
    """ammonia keeps `title` and `lang` on every element by default: drop them
    (`rel` is the one ammonia sets from `link_rel`)."""
    if attribute in ATTRIBUTES.get(tag, ()) or (attribute == "rel" and value == LINK_REL):
        return value
    return None
