"""Hardening: nothing from outside the repository, bounded input, plain-text
fields escaped exactly once, and a Content Security Policy on every page.

- `on_config`: a symbolic link under docs/, data/ or overrides/ that points
  outside the repository stops the build, naming the link (never its target's
  content), before MkDocs walks or reads anything.
- `on_files` (first of all hooks): every Markdown file and data file is
  checked against the limits of `limits.py` (size, UTF-8, control characters,
  YAML depth, aliases, duplicate keys, pathological Markdown) before any other
  hook parses it. Problems stop the build at once, all of them listed.
- `on_page_markdown` (last): titles, descriptions and tags are plain text.
  They become `Markup` holding the escaped text, so the theme's templates, which
  print `page.title` and `page.meta.description` without escaping, print them
  escaped once, and our templates' `| e` leaves them alone.
- `on_post_page` / `on_post_template` (last): the CSP `<meta>` with the
  hashes of the inline scripts our templates ship (`csp.py`); under
  `mkdocs serve` also a nonce, which `on_serve` gives the dev server's
  live-reload script, so that content scripts do not run in the preview either.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

import limits
import registry
import schema
from csp import add_policy
from limits import LIMITS, problem
from schema import _Loader

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.security")

DATA = "data"
COMMENTS = "data/comments"
DATA_FILES = ("data/tags.yml", "data/authors.yml")
CHECKLISTS = "checklisten"
CHECKLIST_NAME_RE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
RESERVED_MARKER = "<!-- kn-checkliste:"
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
PLAIN_META = ("title", "description")
# The live-reload script's nonce under `mkdocs serve`: new per process, in
# the pages' policy and on the script the dev server injects (on_serve).
SERVE_NONCE = secrets.token_urlsafe(18)

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    root = Path(config.config_file_path).parent
    folders = [Path(config.docs_dir), root / DATA]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    fail(outside_links(root, folders))
    return config


@event_priority(110)  # before articles.on_files (100) reads any page
def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    root = Path(config.config_file_path).parent
    problems: list[str] = []
    for file in files.documentation_pages(inclusion=InclusionLevel.all):
        problems.extend(check_page(file))
    problems.extend(check_data(root))
    fail(problems)
    return files


@event_priority(-100)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    article = page.meta.get("kn_article")
    for key in PLAIN_META:
        value = getattr(article, key, None) if article is not None else None
        if value is None:
            value = page.meta.get(key)
        if value is not None and not isinstance(value, Markup):
            page.meta[key] = plain_text(value)
    # Material's search index shows `tags` as HTML in its results.
    if isinstance(page.meta.get("tags"), list):
        page.meta["tags"] = [t if isinstance(t, Markup) else plain_text(t) for t in page.meta["tags"]]
    return None


@event_priority(-100)
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str | None:
    return add_policy(output, page.content, nonce=serve_nonce())


@event_priority(-100)
def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
    if not template_name.endswith(".html"):
        return None
    return add_policy(output_content, nonce=serve_nonce())


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
    nonce_live_reload(server, SERVE_NONCE)
    return server


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def fail(problems: list[str]) -> None:
    """Stop the build with every problem, in the articles hook's format."""
    if problems:
        count = len(problems)
        head = "Ein Problem" if count == 1 else f"{count} Probleme"
        raise PluginError(f"{head} in den Inhalten; die Website wurde nicht gebaut:\n  " + "\n  ".join(problems))


def serve_nonce() -> str | None:
    return SERVE_NONCE if registry.SITE.serving else None


def nonce_live_reload(server: Any, nonce: str) -> None:
    """Give the `<script>` the dev server injects into every page the nonce of
    the pages' policy (the server writes it without attributes)."""
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is None or getattr(inject, "kn_nonce", None) == nonce:
        return

    def with_nonce(content: bytes, epoch: int) -> bytes:
        html = inject(content, epoch)
        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at  # where the server puts its script
        if not html.startswith(b"<script>", at):
            return html
        return html[:at] + b'<script nonce="' + nonce.encode("ascii") + b'">' + html[at + len(b"<script>"):]

    with_nonce.kn_nonce = nonce  # type: ignore[attr-defined]
    server._inject_js_into_html = with_nonce


def plain_text(value: object) -> Markup:
    """A plain-text field as HTML: escaped once, and marked as such so that
    `| e` in a template does not escape it a second time."""
    return Markup(escape(str(value)))


def outside_links(root: Path, folders: list[Path]) -> list[str]:
    """Every symbolic link under `folders` whose target lies outside these
    content folders (outside the repository, or in it but e.g. in .git/ with
    a checkout's token) or does not exist. Links are not followed while walking."""
    root = root.resolve()
    allowed = [folder.resolve() for folder in folders if folder.is_dir()]
    problems: list[str] = []
    for folder in folders:
        if not folder.exists() and not folder.is_symlink():
            continue
        candidates = [folder]
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            candidates.extend(Path(dirpath) / name for name in dirnames + filenames)
        for path in candidates:
            if not path.is_symlink():
                continue
            target = Path(os.path.realpath(path))
            inside = any(target == folder or folder in target.parents for folder in allowed)
            if not inside or not target.exists():
                rel = path.relative_to(root) if path.is_relative_to(root) else path
                problems.append(problem(rel.as_posix(), None, (
                    "Diese Datei ist ein symbolischer Link auf etwas außerhalb von docs/, data/ und overrides/ "
                    "(etwa außerhalb des Repositorys) oder ins Leere. "
                    "Solche Links werden weder veröffentlicht noch gelesen; legen Sie die Datei selbst ins Repository."
                )))
    return problems


def read(path: Path, src: str, max_bytes: int) -> tuple[str | None, str | None]:
    """A file's text, or a problem (too big, not UTF-8, control characters)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(max_bytes + 1)
    text, bad = limits.decode(src, data, max_bytes, size=size)
    if bad:
        return None, bad
    assert text is not None
    return text, None


def check_page(file: File) -> list[str]:
    """A Markdown file under docs/: size, encoding, control characters, front
    matter, Markdown nesting, reserved markers, checklist names."""
    src = file.src_uri
    problems: list[str] = []
    folder, _, name = src.partition("/")
    if folder == CHECKLISTS and name.endswith(".md") and "/" not in name and not CHECKLIST_NAME_RE.match(name[:-3]):
        problems.append(problem(f"docs/{src}", None, (
            "Der Dateiname einer Checkliste besteht nur aus Kleinbuchstaben a–z, Ziffern und Bindestrichen, "
            "z. B. partner-pruefen.md (keine Leerzeichen, Umlaute oder Großbuchstaben)."
        )))
    if file.abs_src_path is None:
        return problems  # generated by a hook: checked where it was made
    text, bad = read(Path(file.abs_src_path), src, LIMITS.page_bytes)
    if bad:
        return [*problems, bad]
    assert text is not None
    control = limits.control_problem(src, text)
    if control:
        return [*problems, control]
    kind, misplaced = schema.page_kind(src)
    if misplaced:
        return [*problems, problem(src, None, misplaced)]
    body, first_line = text, 1
    match = FRONT_MATTER_RE.match(text)
    if match:
        bad_yaml = limits.yaml_problems(src, match.group(1), first_line=2)
        problems.extend(bad_yaml)
        body, first_line = text[match.end():], text.count("\n", 0, match.end()) + 1
        if not bad_yaml and kind != "article":  # articles.py checks articles
            problems.extend(page_front_matter_problems(src, kind, text))
    if RESERVED_MARKER in body:
        line = first_line + body.count("\n", 0, body.index(RESERVED_MARKER))
        problems.append(problem(src, f"Zeile {line}", (
            f"„{RESERVED_MARKER} …“ ist eine interne Markierung. Eine Checkliste binden Sie mit "
            '--8<-- "checklisten/<name>.md" ein.'
        )))
    bad_markdown = limits.markdown_problem(src, body, first_line=first_line)
    if bad_markdown:
        problems.append(bad_markdown)
    return problems


def page_front_matter_problems(src: str, kind: str, text: str) -> list[str]:
    """The front matter of a page that is no article, by its kind's schema."""
    meta, _body, problems = schema.split_front_matter(src, text)
    if meta is None:
        return problems
    return schema.validate_page(src, kind, meta)


def check_data(root: Path) -> list[str]:
    """tags.yml, authors.yml and every file under data/comments/."""
    problems: list[str] = []
    for rel in DATA_FILES:
        path = root / rel
        if path.is_file():
            problems.extend(check_yaml_file(path, rel, names=rel.endswith("tags.yml")))
    folder = root / COMMENTS
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            if path.suffix != ".yml":
                problems.append(problem(rel, None, (
                    "Unter data/comments/ liegen nur Kommentardateien mit der Endung .yml, eine je Artikel "
                    "(z. B. data/comments/serie/artikel.yml). Löschen Sie diese Datei (Sicherungskopie?) "
                    "oder benennen Sie sie um."
                )))
                continue
            problems.extend(check_yaml_file(path, rel, comments=True))
    return problems


def check_yaml_file(path: Path, rel: str, *, names: bool = False, comments: bool = False) -> list[str]:
    text, bad = read(path, rel, LIMITS.data_bytes)
    if bad:
        return [bad]
    assert text is not None
    control = limits.control_problem(rel, text)
    if control:
        return [control]
    problems = limits.yaml_problems(rel, text, top_keys_are_names=names)
    if comments and not problems:
        problems.extend(comment_problems(rel, text))
    return problems


def comment_problems(rel: str, text: str) -> list[str]:
    """Reply depth and Markdown limits of one comments file (its YAML has
    passed `yaml_problems`, so loading it is safe)."""
    try:
        entries = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return []  # comments.py reports it
    problems: list[str] = []
    depth = limits.reply_depth_problem(rel, entries)
    if depth:
        problems.append(depth)
    texts: list[str] = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        body = entry.get("text") if isinstance(entry, dict) else None
        if isinstance(body, str):
            texts.append(body)
            bad = limits.markdown_problem(rel, body, f"Eintrag {number}, Feld 'text'")
            if bad:
                problems.append(bad)
    if not problems:
        total = limits.markup_total_problem(rel, "\n\n".join(texts), "alle Einträge zusammen")
        if total:
            problems.append(total)
    return problems
