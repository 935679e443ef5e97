"""Provider `giscus`: comments in GitHub Discussions, loaded from giscus.app
only after consent (assets/kn-comments-giscus.js). Writing needs a GitHub account."""

from __future__ import annotations

from typing import Any

from kn.problems import Problem, error
from kn.schema import show

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

NAME = "giscus"
TEMPLATE = "fragments/kn/comments-giscus.html"
DATENSCHUTZ = "fragments/kn/datenschutz-giscus.md"
CONSENT = "comments"
SCRIPT = "assets/kn-comments-giscus.js"
CLIENT_STORAGE = ("giscus-session",)  # its login token
CLIENT_COOKIES: tuple[str, ...] = ()
CONFIG = "mkdocs.yml"
ORIGIN = "https://giscus.app"
KEYS = ("repo", "repo_id", "category", "category_id", "mapping")
MAPPINGS = ("pathname", "url", "title", "og:title")

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def check(raw: Any, open_articles: list[str], *, extra: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """giscus must be configured completely when any article is open."""
    if raw is not None and not isinstance(raw, dict):
        return {}, [error(CONFIG, "extra.comments.giscus", f"{show(raw)} ist kein Abschnitt mit den Feldern {', '.join(KEYS)}.")]
    giscus = raw or {}
    if not open_articles:
        return giscus, []
    examples = ", ".join(open_articles[:3]) + (" …" if len(open_articles) > 3 else "")
    problems = []
    for key in KEYS:
        value = giscus.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(error(CONFIG, f"extra.comments.giscus.{key}", (
                f"fehlt oder ist leer ({show(value)}), aber Artikel haben offene Kommentare ({examples}). "
                "Tragen Sie die Werte von https://giscus.app ein oder setzen Sie die Artikel auf "
                "'comments: closed' bzw. 'comments: off'."
            )))
    mapping = giscus.get("mapping")
    if isinstance(mapping, str) and mapping.strip() and mapping not in MAPPINGS:
        problems.append(error(CONFIG, "extra.comments.giscus.mapping", (
            f"unbekannter Wert {show(mapping)}. Erlaubt sind: {', '.join(MAPPINGS)}."
        )))
    return giscus, problems


def csp(settings: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {"script-src": (ORIGIN,), "style-src": (ORIGIN,), "connect-src": (ORIGIN,), "frame-src": (ORIGIN,)}
