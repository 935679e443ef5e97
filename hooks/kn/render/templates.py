"""Compiled templates, kept between builds in .cache/templates/.

Jinja compiles every template of the theme (Material's and ours in
overrides/) to Python before it renders it; for a small site that is a good
part of a build. With a bytecode cache a later build, `mkdocs serve`'s next
rebuild and every copy of the site (the tests build many) load the compiled
code instead. Each entry is named by the template's name and checked
against its source before use: a changed template is compiled again, so the
cache never changes what is rendered.
"""

from __future__ import annotations

from hashlib import sha1
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import FileSystemBytecodeCache

from kn.names import TEMPLATE_CACHE

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, named by the template's name
    alone (Jinja adds the file's path): a copy of the site in another folder
    finds the same entries. The source's checksum in the entry decides."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return sha1(name.encode("utf-8")).hexdigest()


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    cached(env, config)  # MkDocs' own environment: the page templates
    return env


def theme_env(config: MkDocsConfig) -> Environment:
    """A Jinja environment of the theme, as `config.theme.get_env()` makes
    it, with the cache: for our own templates (fragments, PDFs, redirects)."""
    return cached(config.theme.get_env(), config)


def cached(env: Environment, config: MkDocsConfig) -> Environment:
    folder = Path(config.config_file_path).parent / TEMPLATE_CACHE
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = TemplateCache(str(folder))
    return env
