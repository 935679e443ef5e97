"""Redirects from old addresses: `data/redirects.yml` maps an old path under
the site's root (e.g. `2019/03/mein-artikel/`, written by the importer or by
hand) to the page that replaced it (a path under docs/, e.g.
`kooperation-netzwerke/mein-artikel.md`). After the build, every old path gets
a small static page (meta refresh, canonical link and a visible link; markup in
overrides/fragments/kn/redirect.html) that sends the reader to the new page.
This has the effect of the mkdocs-redirects plugin, but in German and with its
list in a data file that an import can extend without touching mkdocs.yml.

The target may also be `feed.xml`, the site's Atom feed: the importer sends
the old WordPress feed `feed/` there (a real 301 for feed readers comes from
the web server, deploy/nginx.conf).

Why not mkdocs-redirects' `redirect_maps` (read: version 1.2.3, plugin.py,
December 2026): its page is the fixed Python string HTML_TEMPLATE, with no
template to override: `<html lang="en">`, title "Redirecting...", body "You're
being redirected to a new destination", a relative canonical link (the
relative path, where ours is site_url + page), no noindex, and an inline
`<script>` (it carries the #fragment over). Our CSP allows only inline scripts
our templates ship (kn/csp.py), so that script would be blocked on every
redirect page and reported as a violation. Making it German and CSP-clean
would mean patching its module constant or rewriting its files afterwards,
i.e. keeping this code anyway; it is also a plugin (`plugins:`), which MkDocs
2.0 and Zensical do not run. So we keep our own page; the checks below and
the `?p=` part would stay ours in either case.

Old WordPress short links like `/?p=123` cannot be static files: entries whose
key is such a query (`"?p=123": serie/artikel.md`) go to `alte-adressen.json`,
and the start page loads docs/assets/kn-alte-adressen.js, which looks the
query up there and sends the reader on.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.utils import get_relative_url

from kn import names, registry, view, yamlfile
from kn.problems import Problem, error
from kn.registry import Redirect
from kn.render import templates
from kn.schema import show, yaml_error

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.redirects")

REDIRECTS_FILE = names.REDIRECTS_FILE
QUERY_MAP = "alte-adressen.json"
QUERY_RE = re.compile(r"\?[A-Za-z_][\w-]*=[\w-]+")
TEMPLATE = "fragments/kn/redirect.html"
FORM = "Jede Zeile hat die Form „alter/pfad/: serie/artikel.md“."
# A target that is no page: the site's Atom feed (hooks/kn/derive/reader.py), for an old `feed/`.
FEED = "feed.xml"
FEED_TITLE = "Atom-Feed"


# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    path = Path(config.config_file_path).parent / REDIRECTS_FILE
    if not path.is_file():
        return files
    # Size, encoding, depth, aliases and duplicate keys were checked before any
    # parsing (security.on_files, limits.py): loading it now is safe.
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        registry.SITE.errors.append(yaml_error(REDIRECTS_FILE, exc, hint=FORM) if isinstance(exc, yaml.YAMLError)
                                    else error(REDIRECTS_FILE, None, "Die Datei ist nicht in UTF-8 gespeichert."))
        return files
    pages = {f.src_uri: f.dest_uri for f in files.documentation_pages()}
    outputs = {f.dest_uri for f in files}
    redirects, problems = parse_redirects(data, pages, outputs, generated=True)
    site = registry.SITE
    site.errors.extend(problems)
    site.redirects = tuple(redirects)
    site.cache.redirect_files = {f.src_uri: f for f in files.documentation_pages()}
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.is_homepage and any(not r.output for r in registry.SITE.redirects):
        view.of(page).old_addresses = QUERY_MAP
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    site = registry.SITE
    if site.errors or not site.redirects:
        return
    site_dir = Path(config.site_dir)
    template = templates.theme_env(config).get_template(TEMPLATE)
    base = (config.site_url or "").rstrip("/") + "/"
    queries: dict[str, str] = {}
    for redirect in site.redirects:
        file = site.cache.redirect_files.get(redirect.target)
        dest, url = (file.dest_uri, file.url) if file is not None else (FEED, FEED)
        if not (site_dir / dest).is_file():
            log.info("Weiterleitung %s ausgelassen: %s wird nicht veröffentlicht (Entwurf?).", redirect.old, redirect.target)
            continue
        if not redirect.output:
            queries[redirect.old] = url or "./"
            continue
        old_url = redirect.output.removesuffix("index.html")
        title = FEED_TITLE if file is None else (file.page.title if file.page is not None and file.page.title else file.url)
        html = template.render(
            title=title, target=get_relative_url(url, old_url) if url else "./",
            canonical=base + url if config.site_url else url,
        )
        out = site_dir / redirect.output
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    if queries:
        (site_dir / QUERY_MAP).write_text(json.dumps(queries, ensure_ascii=False, sort_keys=True), encoding="utf-8")


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def output_path(old: str) -> str:
    """The file that answers an old path: 'a/b/' and 'a/b' -> 'a/b/index.html', 'a/b.html' stays."""
    old = old.strip("/") if old.endswith("/") else old.lstrip("/")
    if posixpath.splitext(old)[1].lower() in (".html", ".htm"):
        return old
    return f"{old}/index.html"


# What the build writes besides the pages, by the first part of its path or
# the whole path (MkDocs, the search plugin, hooks/kn/derive/reader.py, hooks/kn/render/social.py,
# hooks/kn/derive/tags.py, hooks/kn/publish/redirects.py), named for messages.
GENERATED_FOLDERS = {
    names.ASSETS: f"ihre eigenen Dateien (Stile, Skripte, Vorschaubilder unter {names.ASSETS}/)",
    "search": "den Suchindex (search/)", names.TAGS: f"die Themenseiten und ihre Feeds ({names.TAGS}/)",
}
GENERATED_FILES = {
    "feed.xml": "den Atom-Feed 'feed.xml'", "sitemap.xml": "die Sitemap 'sitemap.xml'",
    "sitemap.xml.gz": "die Sitemap 'sitemap.xml.gz'", "404.html": "die Seite „nicht gefunden“ '404.html'",
    QUERY_MAP: f"die Liste der Kurzadressen '{QUERY_MAP}'", "index.html": "die Startseite",
}


def generated_clash(output: str) -> str | None:
    """What the build itself writes at (or around) a redirect's output file."""
    parts = output.split("/")
    if parts[0] in GENERATED_FOLDERS:
        return GENERATED_FOLDERS[parts[0]]
    for length in range(1, len(parts) + 1):
        name = "/".join(parts[:length])
        if name in GENERATED_FILES:
            return GENERATED_FILES[name]
    return None


def parse_redirects(
    data: Any, pages: dict[str, str], outputs: set[str], *, generated: bool = False,
) -> tuple[list[Redirect], list[str]]:
    """Check data/redirects.yml: `pages` maps each page's src_uri to its output
    file, `outputs` holds every file the build writes (so far); `generated`:
    also refuse what the build writes later (feeds, sitemap, search index,
    assets, preview images, tag pages, 404.html). Returns (redirects, problems)."""
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return [], [error(REDIRECTS_FILE, None, f"{show(data)} ist keine Zuordnung alter Pfade zu Seiten. {FORM}")]
    redirects: list[Redirect] = []
    problems: list[Problem] = []
    written: dict[str, str] = {}  # output -> the old path that writes it
    for key, target in data.items():
        if not isinstance(key, str):
            problems.append(error(REDIRECTS_FILE, show(key), (
                "ist kein Pfad, sondern ein YAML-Wert (ja/nein, leer oder eine Zahl). "
                f"Schreiben Sie den alten Pfad in Anführungszeichen, z. B. \"{show(key).strip(chr(39))}/\": serie/artikel.md."
            )))
            continue
        old = key.strip()
        parts = old.strip("/").split("/")
        query = bool(QUERY_RE.fullmatch(old))
        if query:
            pass
        elif not old.strip("/") or "://" in old or old.startswith("//") or any(c in old for c in "?#\\") or ".." in parts:
            problems.append(error(REDIRECTS_FILE, old, (
                "ist kein Pfad unter der Website. Erlaubt sind Pfade wie '2019/03/mein-artikel/' – "
                "ohne Domain und '#' – und Kurzadressen der Startseite wie '?p=12'."
            )))
            continue
        if not isinstance(target, str) or (target.strip() not in pages and target.strip() != FEED):
            problems.append(error(REDIRECTS_FILE, old, (
                f"Das Ziel {show(target)} ist keine Seite unter docs/. Erwartet wird ein Pfad wie "
                f"'kooperation-netzwerke/mein-artikel.md' (oder '{FEED}' für den Feed der Website)."
            )))
            continue
        if query:
            redirects.append(Redirect(old, "", target.strip()))
            continue
        output = output_path(old)
        if output in outputs:
            page = next((src for src, dest in pages.items() if dest == output), None)
            named = f"'docs/{page}'" if page else f"'{output}'"
            problems.append(error(REDIRECTS_FILE, old, (
                f"An dieser Adresse ('{output}') steht schon eine Seite der Website: {named}; "
                "eine Weiterleitung würde sie verdecken."
            )))
            continue
        clash = generated_clash(output) if generated else None
        if clash:
            problems.append(error(REDIRECTS_FILE, old, (
                f"Unter dieser Adresse ('{output}') schreibt die Website selbst {clash}; eine Weiterleitung "
                "würde das verdecken oder den Bau abbrechen. Wählen Sie einen anderen alten Pfad."
            )))
            continue
        if output in written:
            problems.append(error(REDIRECTS_FILE, old, (
                f"schreibt dieselbe Datei '{output}' wie der Eintrag '{written[output]}'; eine der beiden Weiterleitungen "
                "ginge stillschweigend verloren. Behalten Sie nur einen der beiden Einträge."
            )))
            continue
        written[output] = old
        redirects.append(Redirect(old, output, target.strip()))
    return redirects, problems
