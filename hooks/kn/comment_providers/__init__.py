"""Comment providers: one module per provider, chosen by `extra.comments.provider`.

Each module (isso, giscus, email) says everything the site needs to know about
it, so that a provider is added or changed in one place:

- NAME, TEMPLATE (the box under an open article, overrides/fragments/kn/),
  DATENSCHUTZ (a Markdown template for the privacy page) and CONSENT (the
  service key of assets/kn-consent.js; None when nothing is loaded);
- `check(raw, open_articles)`: its section of `extra.comments`, validated, and
  the problems in the build's error format;
- `csp(settings)`: the sources its client needs, directive -> origins, added to
  the Content Security Policy of pages with open comments only.

Not a hook module: hooks/kn/read/comments.py imports this package by its name.
"""

from __future__ import annotations

from types import ModuleType

from . import email, giscus, isso

# -----------------------------------------------------------------------------
# Data
# -----------------------------------------------------------------------------

PROVIDERS: dict[str, ModuleType] = {module.NAME: module for module in (isso, giscus, email)}
DEFAULT = "isso"
