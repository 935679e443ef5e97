"""`mkdocs serve` (make serve) sees every edit: docs/ and mkdocs.yml (MkDocs
itself), data/ (hooks/kn/read/articles.py), and here overrides/ and the build code in
hooks/.

MkDocs loads its hook module (hooks/main.py) once per process (its loader is
cached) and never again, and the package `kn` it imports stays in
`sys.modules`. So after every build under `mkdocs serve` this hook forgets
them all: the next rebuild, which loads mkdocs.yml anew, imports the current
code of hooks/main.py and of every module of `kn`. A plain `mkdocs build` is not affected.

`on_startup` runs once per process, for the first modules only; that this
process serves is therefore kept outside them (the environment variable
KN_MKDOCS_SERVE) and handed to each fresh registry in `on_config`, before
articles.on_config resets it (so drafts stay visible, as `mkdocs serve` shows them).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options

from kn import registry

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.kn.devserver")

HOOKS = Path(__file__).resolve().parent.parent  # hooks/: main.py and the package kn
SERVING_ENV = "KN_MKDOCS_SERVE"

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_startup(*, command: str, dirty: bool) -> None:
    if command == "serve":
        os.environ[SERVING_ENV] = "1"
    else:
        os.environ.pop(SERVING_ENV, None)  # never inherited by a plain build


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    if serving():
        registry.SITE.command = "serve"
    return config


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
    for folder in watched_folders(config):
        server.watch(str(folder))
    return server


def on_post_build(*, config: MkDocsConfig) -> None:
    if serving():
        forget_hook_modules(HOOKS)


def on_build_error(*, error: Exception) -> None:
    # A failed rebuild (e.g. a syntax error in a hook) must not stick either.
    if serving():
        forget_hook_modules(HOOKS)


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def serving() -> bool:
    return os.environ.get(SERVING_ENV) == "1"


def watched_folders(config: MkDocsConfig) -> list[Path]:
    """overrides/ (the theme's custom_dir) and hooks/, where they exist."""
    folders = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    folders.append(HOOKS)
    return [f for f in folders if f.is_dir()]


def forget_hook_modules(folder: Path) -> list[str]:
    """Drop every module loaded from `folder` and MkDocs' cache of loaded hook
    files, so that the next config load imports them afresh; return the names."""
    names = [
        name for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None) and Path(module.__file__).resolve().is_relative_to(folder)
    ]
    for name in names:
        del sys.modules[name]
    config_options.Hooks._load_hook.cache_clear()
    return names
