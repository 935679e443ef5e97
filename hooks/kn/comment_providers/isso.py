"""Provider `isso`: the operator's own comment server (Isso, SQLite). Nothing
is requested from it before „Kommentare laden“ (or a remembered consent); then
assets/kn-comments-isso.js loads Isso's client from the operator's address, and only
from there. Names and e-mail addresses are optional, the website field is off,
new comments wait for the editors' review (tools/isso/isso.cfg).

Address: `extra.comments.isso.url`, or the environment variable KN_ISSO_URL
(`make serve` points it at the local server of `make kommentare`)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from kn.problems import Problem, error
from kn.schema import show

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

NAME = "isso"
TEMPLATE = "fragments/kn/comments-isso.html"
DATENSCHUTZ = "fragments/kn/datenschutz-isso.md"
CONSENT = "isso"
SCRIPT = "assets/kn-comments-isso.js"
CLIENT_STORAGE = ("isso-author", "isso-email", "isso-website")  # its form fields
CLIENT_COOKIES = (r"^isso-\d+$",)  # its edit cookies, isso-<comment number>
CONFIG = "mkdocs.yml"
URL_ENV = "KN_ISSO_URL"
KEYS = ("url",)

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def check(raw: Any, open_articles: list[str], *, extra: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """The server's address (from KN_ISSO_URL or extra.comments.isso.url),
    required when any article is open."""
    if raw is not None and not isinstance(raw, dict):
        return {}, [error(CONFIG, "extra.comments.isso", f"{show(raw)} ist kein Abschnitt mit dem Feld 'url'.")]
    raw = raw or {}
    problems = [
        error(CONFIG, f"extra.comments.isso.{key}", f"unbekanntes Feld. Erlaubt ist: {', '.join(KEYS)}.")
        for key in raw if key not in KEYS
    ]
    from_env = os.environ.get(URL_ENV, "").strip()
    value = from_env or raw.get("url")
    where = f"Umgebungsvariable {URL_ENV}" if from_env else CONFIG
    field = None if from_env else "extra.comments.isso.url"
    if value is None or value == "":
        if open_articles:
            examples = ", ".join(open_articles[:3]) + (" …" if len(open_articles) > 3 else "")
            problems.append(error(CONFIG, "extra.comments.isso.url", (
                f"fehlt, aber Artikel haben offene Kommentare ({examples}). Tragen Sie die Adresse Ihres "
                "Isso-Servers ein, z. B. https://kommentare.example.org/, oder setzen Sie die Artikel auf "
                "'comments: closed' bzw. 'comments: off'."
            )))
        return {}, problems
    url, problem = check_url(value)
    if problem:
        return {}, [*problems, error(where, field, problem)]
    return {"url": url, "origin": origin(url)}, problems


def check_url(value: Any) -> tuple[str | None, str | None]:
    """An absolute http(s) address with a host, normalised to end in '/'."""
    if not isinstance(value, str):
        return None, f"{show(value)} ist keine Adresse. Erwartet wird z. B. https://kommentare.example.org/."
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or parts.username:
        return None, (
            f"{show(value)} ist keine gültige Adresse des Isso-Servers. Erwartet wird eine Adresse mit "
            "http:// oder https://, ohne ? und #, z. B. https://kommentare.example.org/ oder https://example.org/isso/."
        )
    return parts._replace(path=parts.path.rstrip("/") + "/").geturl(), None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def csp(settings: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Isso's client (embed.min.js) and its API calls; its stylesheet is our
    own (assets/kn-isso.css) and its avatars are inline SVG."""
    if not settings.get("origin"):
        return {}
    return {"script-src": (settings["origin"],), "connect-src": (settings["origin"],)}
