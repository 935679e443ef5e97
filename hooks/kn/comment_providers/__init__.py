"""Comment providers: one module per provider, chosen by `extra.comments.provider`.

Each module (isso, giscus, email) says everything the site needs to know about
it, so that a provider is added or changed in one place:

- NAME, TEMPLATE (the box under an open article, overrides/fragments/kn/),
  DATENSCHUTZ (a Markdown template for the privacy page), CONSENT (the
  service key under which assets/kn-consent.js remembers the reader's choice;
  the template writes it as the box's data-kn-consent; None when nothing is
  loaded), SCRIPT (its client in docs/assets/, loaded by its template; None
  without one), CLIENT_STORAGE and CLIENT_COOKIES (the localStorage keys and
  cookie-name patterns its client leaves in this origin, forgotten on revoke
  on every page: `client_storage()`, `client_cookies()`);
- `check(raw, open_articles)`: its section of `extra.comments`, validated, and
  the problems in the build's error format;
- `csp(settings)`: the sources its client needs, directive -> origins, added to
  the Content Security Policy of pages with open comments only.

A new provider: one module here (found by its file, nothing to register), its
box template and its Datenschutz template (and its script, if it has a client).

Not a hook module: hooks/kn/read/comments.py imports this package by its name.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

# -----------------------------------------------------------------------------
# Data
# -----------------------------------------------------------------------------

DEFAULT = "isso"


def _providers() -> dict[str, ModuleType]:
    """Every module of this package, by its NAME, in the order messages list
    them: the default first, then those with a client, then by name."""
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    modules.sort(key=lambda module: (module.NAME != DEFAULT, module.CONSENT is None, module.NAME))
    return {module.NAME: module for module in modules}


PROVIDERS: dict[str, ModuleType] = _providers()

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def client_storage() -> str:
    """Every provider's localStorage keys, space-separated: a revoke forgets
    them whichever provider is configured now (it may have been another)."""
    return " ".join(dict.fromkeys(key for module in PROVIDERS.values() for key in module.CLIENT_STORAGE))


def client_cookies() -> str:
    """Every provider's cookie-name patterns (JavaScript regular expressions
    without spaces), space-separated."""
    return " ".join(dict.fromkeys(pattern for module in PROVIDERS.values() for pattern in module.CLIENT_COOKIES))
