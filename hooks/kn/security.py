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
import posixpath
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup, escape
from mkdocs.structure.files import InclusionLevel

from kn import annotate, limits, registry, schema, view, yamlfile
from kn.csp import add_policy
from kn.limits import LIMITS
from kn.names import ASSETS, CHECKLISTS, DATA, DATA_FILES
from kn.names import COMMENTS_DIR as COMMENTS
from kn.problems import Problem, error, stop
from kn.sanitize import active_html
from kn.yamlfile import FRONT_MATTER_RE

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.security")

CHECKLIST_NAME_RE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
RESERVED_MARKER = "<!-- kn-checkliste:"
PLAIN_META = ("title", "description")
# What a pull request may publish beside its pages (published_file_problems):
# type name and the checks of a file's first bytes, by file suffix.
OWN_ASSETS = f"{ASSETS}/"
_PNG = (lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),)
_JPEG = (lambda b: b.startswith(b"\xff\xd8\xff"),)
PUBLISHABLE = {
    ".png": ("PNG-Bild", _PNG), ".jpg": ("JPEG-Bild", _JPEG), ".jpeg": ("JPEG-Bild", _JPEG),
    ".gif": ("GIF-Bild", (lambda b: b.startswith((b"GIF87a", b"GIF89a")),)),
    ".webp": ("WebP-Bild", (lambda b: b.startswith(b"RIFF") and b[8:12] == b"WEBP",)),
    ".avif": ("AVIF-Bild", (lambda b: b[4:12] in (b"ftypavif", b"ftypavis"),)),
    ".pdf": ("PDF-Dokument", (lambda b: b.startswith(b"%PDF-"),)),
}
PUBLISHABLE[".svg"] = ("SVG-Bild", ())  # checked as a whole: svg_problems
SVG_BYTES = 500_000
SVG_START_RE = re.compile(r"\A(?:\ufeff)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<svg\b", re.S)
# What makes an SVG more than a picture (in the lowercased text).
SVG_ACTIVE_RE = re.compile(
    r"<script|<foreignobject|<iframe|<embed|<object|<handler|<listener|<animate|<set\b|<!entity|<!doctype|"
    r"\son[a-z]+\s*=|javascript:|vbscript:|(?:xlink:)?href\s*=\s*[\"']?\s*(?!#)[^\s\"'>]|@import|url\(\s*[\"']?\s*(?!#)"
)
# Files the build writes itself at the site's root.
GENERATED_FILES = ("feed.xml", "sitemap.xml", "sitemap.xml.gz", "404.html", "alte-adressen.json")
POLICY_MARK = 'http-equiv="Content-Security-Policy"'
# Per-build state: the pages that got their policy in on_post_page.
_pages_with_policy: set[str] = set()
# The live-reload script's nonce under `mkdocs serve`: new per process, in
# the pages' policy and on the script the dev server injects (on_serve).
SERVE_NONCE = secrets.token_urlsafe(18)

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_startup(*, command: str, dirty: bool) -> None:
    # Before any hook logs: no log line can become a GitHub workflow command.
    annotate.guard_log_records()


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    _pages_with_policy.clear()
    root = Path(config.config_file_path).parent
    folders = [Path(config.docs_dir), root / DATA]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    stop(outside_links(root, folders), config)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    root = Path(config.config_file_path).parent
    problems: list[Problem] = []
    for file in files.documentation_pages(inclusion=InclusionLevel.all):
        problems.extend(check_page(file))
    for file in files:
        if file.abs_src_path and not file.is_documentation_page() and not file.inclusion.is_excluded():
            problems.extend(published_file_problems(file.src_uri, Path(file.abs_src_path)))
    problems.extend(collisions([(f.src_uri, f.dest_uri) for f in files if not f.inclusion.is_excluded()]))
    problems.extend(check_data(root))
    stop(problems, config)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    article = view.of(page).article
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


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    # Reported with the foreign resources, before any page is written (embeds.on_env).
    registry.SITE.errors.extend(active_html_problems(page.file.src_uri, page.file.content_string, html))
    return None


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str | None:
    # csp: the comment provider's sources, on open articles only (hooks/kn/read/comments.py).
    _pages_with_policy.add(page.file.dest_uri)
    return add_policy(output, page.content, nonce=serve_nonce(), extra=view.of(page).csp)


def on_post_build(*, config: MkDocsConfig) -> None:
    # Every other HTML file in the site carries the policy too.
    site_dir = Path(config.site_dir)
    for path in sorted(site_dir.rglob("*.html")):
        if path.relative_to(site_dir).as_posix() in _pages_with_policy or path.is_symlink():
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        if POLICY_MARK not in html:
            path.write_text(add_policy(html), encoding="utf-8")


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


def active_html_problems(src: str, source: str, html: str) -> list[Problem]:
    """A problem, with the line in the Markdown source, for everything in a
    page's HTML that would run, load a document or navigate (sanitize.py)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for what, needle in active_html(html):
        if what in seen:
            continue
        seen.add(what)
        pattern = re.escape(needle) if needle.startswith("<") or needle.endswith(":") else rf"\s{re.escape(needle)}(?![\w-])"
        match = re.search(pattern, source, re.I)
        line = source.count("\n", 0, match.start()) + 1 if match else None
        video = " Videos binden Sie mit der Zwei-Klick-Lösung ein." if needle in ("<iframe", "<embed", "<object") or "Video" in what else ""
        problems.append(error(src, None, (
            f"{what}. Im Text einer Seite ist nur HTML erlaubt, das nichts ausführt, lädt oder weiterleitet "
            f"(Liste in CONTRIBUTING.md, „Erlaubtes HTML“).{video}"
        ), line=line, show_line=True))
    return problems


def plain_text(value: object) -> Markup:
    """A plain-text field as HTML: escaped once, and marked as such so that
    `| e` in a template does not escape it a second time."""
    return Markup(escape(str(value)))


def outside_links(root: Path, folders: list[Path]) -> list[Problem]:
    """Every problem with what lies under `folders` (docs/, data/,
    overrides/), found without following any link: a folder that is itself a
    link out of the repository; a symbolic link whose target lies outside its
    own folder (outside the repository, in .git/ with a checkout's token, or
    from docs/ into data/) or does not exist; a hard link (a second name of a
    file that may live anywhere, e.g. /etc/passwd); a file name that is not
    UTF-8 or holds control or HTML characters (checked before anything prints it)."""
    root = root.resolve()
    problems: list[Problem] = []
    for folder in folders:
        if not folder.exists() and not folder.is_symlink():
            continue
        own = Path(os.path.realpath(folder))
        if not own.is_relative_to(root) or not own.is_dir():
            problems.append(error(display_path(folder, root), None, (
                "Dieser Ordner ist ein symbolischer Link aus dem Repository hinaus (oder ins Leere). "
                "Die Website liest und veröffentlicht nur, was im Repository selbst liegt."
            )))
            continue
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            for name in sorted(dirnames + filenames):
                path = Path(dirpath) / name
                bad_name = name_problem(name)
                if bad_name:
                    problems.append(error(display_path(path, root), None, bad_name))
                    continue
                if path.is_symlink():
                    target = Path(os.path.realpath(path))
                    if not (target == own or own in target.parents) or not target.exists():
                        problems.append(error(display_path(path, root), None, (
                            f"Diese Datei ist ein symbolischer Link auf etwas außerhalb von {display_path(folder, root)}/ "
                            "(etwa außerhalb des Repositorys, nach data/ oder .git/) oder ins Leere. "
                            "Solche Links werden weder veröffentlicht noch gelesen; legen Sie die Datei selbst ins Repository."
                        )))
                elif name in filenames and path.lstat().st_nlink > 1:
                    problems.append(error(display_path(path, root), None, (
                        "Diese Datei ist ein harter Link: ein zweiter Name einer Datei, die auch anderswo auf dem Rechner "
                        "liegen kann. Solche Dateien werden weder veröffentlicht noch gelesen; legen Sie eine Kopie ab."
                    )))
    return problems


# Characters a file or folder name under docs/, data/ or overrides/ may not hold:
# control characters (they would reach logs and workflow commands) and HTML.
BAD_NAME_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029<>\"'`\\\\]")


def name_problem(name: str) -> Problem | None:
    """Why a file name is refused, or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return ("Der Dateiname ist nicht in UTF-8 kodiert (etwa Latin-1 von einem alten System). "
                "Benennen Sie die Datei um, am besten nur mit a–z, 0–9 und Bindestrichen.")
    bad = BAD_NAME_RE.search(name)
    if bad:
        return (f"Der Dateiname enthält das Zeichen {limits.shorten_for_message(repr(bad.group(0)))}, das in Namen nicht erlaubt ist "
                "(Steuerzeichen, < > \" ' ` \\). Benennen Sie die Datei um, am besten nur mit a–z, 0–9 und Bindestrichen.")
    return None


def display_path(path: Path, root: Path) -> str:
    """A path for a message: relative to the repository, undecodable bytes
    and control characters shown as escapes, never raw."""
    absolute = Path(os.path.abspath(path))
    rel = absolute.relative_to(root) if absolute.is_relative_to(root) else absolute
    text = os.fsencode(rel).decode("utf-8", "backslashreplace")
    return limits.shorten_for_message(text, 200)


def collisions(files: list[tuple[str, str]]) -> list[Problem]:
    """A problem for every file under docs/ that the build would write to the
    same address as another one (`neu.md` and `neu/index.md`), naming both."""
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for src, dest in sorted(files):
        if dest in first:
            problems.append(error(f"docs/{src}", None, (
                f"ergibt dieselbe Adresse ('{dest.removesuffix('index.html')}') wie 'docs/{first[dest]}'; "
                "eine der beiden Seiten verdeckte stillschweigend die andere. Benennen Sie eine um oder löschen Sie sie."
            )))
        else:
            first[dest] = src
    return problems


def published_file_problems(src: str, path: Path) -> list[Problem]:
    """A file under docs/ that is no page: only images (by their content) and
    PDFs are published from a pull request; scripts, HTML, SVG, XML and
    everything else only from the project's own docs/assets/."""
    if src.startswith(OWN_ASSETS):
        return []
    suffix = posixpath.splitext(src)[1].lower()
    kind = PUBLISHABLE.get(suffix)
    where = f"docs/{src}"
    if kind is None:
        generated = f" Außerdem schreibt die Website selbst '{src}'." if src in GENERATED_FILES else ""
        return [error(where, None, (
            f"Dateien dieser Art ('{suffix or src}') werden nicht veröffentlicht.{generated} Erlaubt sind neben Seiten (.md) nur "
            "Bilder (PNG, JPEG, GIF, WebP, AVIF, SVG ohne Skripte) und PDF-Dateien; Skripte, HTML- und XML-Dateien "
            "bringt nur die Website selbst mit (docs/assets/)."
        ))]
    if suffix == ".svg":
        return svg_problems(where, path)
    with open(path, "rb") as handle:
        head = handle.read(16)
    if not any(magic(head) for magic in kind[1]):
        return [error(where, None, (
            f"Die Datei heißt '{suffix}', ist aber kein {kind[0]} (ihr Inhalt beginnt anders). "
            "Speichern Sie das Bild noch einmal im richtigen Format."
        ))]
    return []


def svg_problems(where: str, path: Path) -> list[Problem]:
    """An SVG image is published only when it is one (XML with an <svg>
    element) and holds nothing that runs, loads or embeds: opened on its own,
    a browser would run its scripts under the site's address."""
    with open(path, "rb") as handle:
        data = handle.read(SVG_BYTES + 1)
    if len(data) > SVG_BYTES:
        return [error(where, None, f"Ein SVG-Bild darf höchstens {SVG_BYTES:,} Bytes groß sein.".replace(",", "."))]
    text = data.decode("utf-8", "replace").lower()
    if "<svg" not in text or not SVG_START_RE.match(text):
        return [error(where, None, (
            "Die Datei heißt '.svg', ist aber kein SVG-Bild. Speichern Sie das Bild noch einmal als SVG oder PNG."
        ))]
    active = SVG_ACTIVE_RE.search(text)
    if active:
        return [error(where, None, (
            f"Das SVG-Bild enthält „{limits.shorten_for_message(active.group(0).strip())}“: Skripte, Ereignisse (on…), eingebettete "
            "Inhalte, Animationen von Links, Verweise auf andere Dateien oder Entitäten sind in Bildern nicht erlaubt. "
            "Speichern Sie das Bild als „einfaches SVG“ ohne Skripte oder als PNG."
        ))]
    return []


def read(path: Path, src: str, max_bytes: int) -> tuple[str | None, Problem | None]:
    """A file's text, or a problem (too big, not UTF-8, control characters)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(max_bytes + 1)
    text, bad = limits.decode(src, data, max_bytes, size=size)
    if bad:
        return None, bad
    assert text is not None
    return text, None


def check_page(file: File) -> list[Problem]:
    """A Markdown file under docs/: size, encoding, control characters, front
    matter, Markdown nesting, reserved markers, checklist names."""
    src = file.src_uri
    problems: list[Problem] = []
    folder, _, name = src.partition("/")
    if folder == CHECKLISTS and name.endswith(".md") and "/" not in name and not CHECKLIST_NAME_RE.match(name[:-3]):
        problems.append(error(f"docs/{src}", None, (
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
        return [*problems, error(src, None, misplaced)]
    body, first_line = text, 1
    match = FRONT_MATTER_RE.match(text)
    if match:
        bad_yaml = limits.yaml_problems(src, match.group(1), first_line=2)
        problems.extend(bad_yaml)
        body, first_line = text[match.end():], text.count("\n", 0, match.end()) + 1
        # articles.py checks articles, checklists.py the front matter of checklists (CHECKLIST_FIELDS).
        if not bad_yaml and kind not in ("article", "checklist"):
            problems.extend(page_front_matter_problems(src, kind, text))
    if RESERVED_MARKER in body:
        line = first_line + body.count("\n", 0, body.index(RESERVED_MARKER))
        problems.append(error(src, None, (
            f"„{RESERVED_MARKER} …“ ist eine interne Markierung. Eine Checkliste binden Sie mit "
            '--8<-- "checklisten/<name>.md" ein.'
        ), line=line, show_line=True))
    bad_markdown = limits.markdown_problem(src, body, first_line=first_line)
    if bad_markdown:
        problems.append(bad_markdown)
    return problems


def page_front_matter_problems(src: str, kind: str, text: str) -> list[Problem]:
    """The front matter of a page that is no article, by its kind's schema."""
    meta, _body, problems = schema.split_front_matter(src, text)
    if meta is None:
        return problems
    return schema.validate_page(src, kind, meta)


def check_data(root: Path) -> list[Problem]:
    """tags.yml, authors.yml and every file under data/comments/."""
    problems: list[Problem] = []
    for rel in DATA_FILES:
        path = root / rel
        if path.is_file():
            problems.extend(check_yaml_file(path, rel, names=rel.endswith("tags.yml"), string_keys=rel.endswith("redirects.yml")))
    folder = root / COMMENTS
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            if path.suffix != ".yml":
                problems.append(error(rel, None, (
                    "Unter data/comments/ liegen nur Kommentardateien mit der Endung .yml, eine je Artikel "
                    "(z. B. data/comments/serie/artikel.yml). Löschen Sie diese Datei (Sicherungskopie?) "
                    "oder benennen Sie sie um."
                )))
                continue
            problems.extend(check_yaml_file(path, rel, comments=True))
    return problems


def check_yaml_file(path: Path, rel: str, *, names: bool = False, comments: bool = False, string_keys: bool = False) -> list[Problem]:
    text, bad = read(path, rel, LIMITS.data_bytes)
    if bad:
        return [bad]
    assert text is not None
    control = limits.control_problem(rel, text)
    if control:
        return [control]
    problems = limits.yaml_problems(rel, text, top_keys_are_names=names, string_keys=string_keys)
    if comments and not problems:
        problems.extend(comment_problems(rel, text))
    return problems


def comment_problems(rel: str, text: str) -> list[Problem]:
    """Reply depth and Markdown limits of one comments file (its YAML has
    passed `yaml_problems`, so loading it is safe)."""
    try:
        entries = yamlfile.load(text)
    except (yaml.YAMLError, ValueError):
        return []  # comments.py reports it
    problems: list[Problem] = []
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
