"""The one module MkDocs loads (`hooks:` in mkdocs.yml): each MkDocs event
calls one step of the build in hooks/kn/pipeline.py, where the steps are
listed in their order. Only this module knows MkDocs' events; the code of
the site is the package `kn` beside it (hooks/kn/)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any


def _own_kn() -> None:
    """The build runs the package `kn` beside this file. MkDocs imports the
    Markdown extensions listed in mkdocs.yml (`kn.markdown.…`) while it reads
    the config, before it loads this module, from wherever `kn` is installed;
    in a copied project (the tests) or a second checkout that is another
    folder. Such a `kn` is forgotten here, so that this import and every later
    one by name (Python-Markdown's) get the modules of this project's hooks/."""
    here = Path(__file__).resolve().parent
    loaded = getattr(sys.modules.get("kn"), "__file__", None)
    if loaded and Path(loaded).resolve().parent.parent != here:
        for name in [name for name in sys.modules if name == "kn" or name.startswith("kn.")]:
            del sys.modules[name]


_own_kn()

from kn import pipeline  # noqa: E402  (after _own_kn)

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def on_startup(*, command: str, dirty: bool) -> None:
    pipeline.start(command, dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    return pipeline.configure(config)


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    return pipeline.read_and_derive(files, config)


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    return pipeline.validate(nav, config, files)


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return pipeline.render_markdown(markdown, page, config, files)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return pipeline.render_html(html, page, config, files)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    return pipeline.listings_and_templates(env, config, files)


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    return pipeline.template_context(context, page, config, nav)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return pipeline.rendered_template(output_content, template_name, config)


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return pipeline.rendered_page(output, page, config)


def on_post_build(*, config: MkDocsConfig) -> None:
    pipeline.publish(config)


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    return pipeline.serve(server, config, builder)


def on_build_error(*, error: Exception) -> None:
    pipeline.failed(error)
