"""Provider `email`: no comment server. The box under an open article invites
the reader to write to the editors (extra.betreiber.email) with the article's
title in the subject; selected answers are published with consent. The same
box is the fallback of every other provider (no JavaScript, blocked, down)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from kn.problems import Problem, error
from kn.schema import show

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

NAME = "email"
TEMPLATE = "fragments/kn/comments-email.html"
DATENSCHUTZ = "fragments/kn/datenschutz-email.md"
CONSENT = None
SCRIPT = None
CLIENT_STORAGE: tuple[str, ...] = ()
CLIENT_COOKIES: tuple[str, ...] = ()
CONFIG = "mkdocs.yml"
FIELD = "extra.betreiber.email"

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def check(raw: Any, open_articles: list[str], *, extra: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """The operator's address is required when readers are told to write to it."""
    address = operator_email(extra or {})
    if open_articles and not address:
        value = ((extra or {}).get("betreiber") or {}).get("email")
        return {}, [error(CONFIG, FIELD, (
            f"fehlt oder ist keine E-Mail-Adresse ({show(value)}), aber mit 'extra.comments.provider: email' "
            "schreiben Leserinnen und Leser ihre Kommentare an diese Adresse. Tragen Sie sie ein."
        ))]
    return {"address": address}, []


def csp(settings: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {}


def operator_email(extra: dict[str, Any]) -> str | None:
    """extra.betreiber.email if it looks like an address, else None."""
    value = (extra.get("betreiber") or {}).get("email") if isinstance(extra.get("betreiber"), dict) else None
    if isinstance(value, str) and "@" in value.strip() and not any(c in value for c in " <>\"'\n"):
        return value.strip()
    return None


def mailto(address: str, title: str) -> str:
    """A mailto link with the article's title in the subject, every character
    of the subject percent-encoded (RFC 6068)."""
    subject = f"Kommentar zu „{title}“"
    return f"mailto:{address}?subject={quote(subject, safe='')}"
