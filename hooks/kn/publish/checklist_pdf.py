"""Checklist PDFs: every checklist gets `/checklisten/<name>/<name>.pdf` beside
its page, one A4 sheet drawn by WeasyPrint (hooks/kn/publish/pdf_document.py) from the
checklist's Markdown and the print rules of docs/assets/kn.css, with the
fonts of data/fonts/ embedded.

The document (overrides/fragments/kn/checklist-pdf.html) holds the title, the
items with real form fields as boxes, the fields for partner, date and notes
(unless the checklist says `felder: false`), „Kein Rechtsrat“ for checklists
with `rechtlich: true` and the source line: site, address and the date of the
checklist's last change (`updated` in its front matter, else its last commit,
else the file's modification time). The item texts are plain text: raw HTML
in a checklist is escaped, links to other servers become text.

Each PDF is cached in `.cache/checklist-pdfs/<hash>.pdf`, the hash taken over
the whole HTML document (styles inlined), the fonts, this module's VERSION
and WeasyPrint's version: an unchanged checklist costs one template render
and one hash per build. The buttons under a checklist (fragments/kn/
checklist-actions.html) link the PDF with its size; overrides/sitemap.xml
lists it. `mkdocs build` removes cached PDFs no checklist uses any more.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import hashlib
import importlib.metadata
import itertools
import logging
import multiprocessing
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown as python_markdown
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from kn import names, registry, view
from kn.problems import error
from kn.publish import pdf_document
from kn.read import checklists
from kn.text import format_date_de

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.checklist_pdf")

CACHE_DIR = names.PDF_CACHE
FONT_DIR = names.FONTS_DIR
FONTS = {400: "OpenSans-Regular.ttf", 600: "OpenSans-Semibold.ttf", 700: "OpenSans-Bold.ttf"}
# Form fields embed their font whole (a reader may type any letter): they get Open Sans
# Regular cut down to these characters, so a PDF weighs a few dozen KB, not 130.
FORM_CHARACTERS = (*range(0x20, 0x7F), *range(0xA0, 0x180), *map(ord, "„“‚‘’–—…€•·"))
FORM_FONT_DIR = "schriften"  # under the cache
STYLESHEET = names.STYLESHEET  # under docs/: the print rules
TEMPLATE = "fragments/kn/checklist-pdf.html"
OVERFLOW_SUFFIX = ".seiten"  # beside a cached PDF of more than one page: its number of pages
PARALLEL_FROM = 6  # render in worker processes when this many PDFs are missing
# Bump when the PDF changes in a way the HTML does not show, so cached PDFs are redrawn.
VERSION = "1"
# A task list's box with Material's drawn indicator and the space after it.
CHECKBOX_RE = re.compile(r'<input type="checkbox"[^>]*>(?:<span class="task-list-indicator"></span>)?\s*')
LINK_RE = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    site.cache.checklist_pdfs = {}
    if site.errors or not site.checklists:
        return files  # the build stops in articles.on_nav
    cache = Path(config.config_file_path).parent / CACHE_DIR
    for pdf in make_pdfs(site, config, cache):
        site.cache.checklist_pdfs[pdf.name] = pdf
        files.append(File.generated(config, pdf.path, abs_src_path=str(cache / f"{pdf.key}.pdf")))
    return files


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    # overrides/sitemap.xml lists the PDFs (only where the site has an address).
    pdfs = registry.SITE.cache.checklist_pdfs.values()
    env.globals["kn_checklist_pdfs"] = [pdf for pdf in pdfs if pdf.url.startswith(("http://", "https://"))]
    return env


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any] | None:
    # The printed checklist page names the date of the checklist's last change.
    name = checklists.checklist_name(page.file.src_uri)
    pdf = registry.SITE.cache.checklist_pdfs.get(name or "")
    if pdf is not None:
        view.of(page).stand = pdf.stand
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    site = registry.SITE
    if site.errors or site.serving or not site.cache.checklist_pdfs:
        return
    prune(Path(config.config_file_path).parent / CACHE_DIR, {pdf.key for pdf in site.cache.checklist_pdfs.values()})


# -----------------------------------------------------------------------------
# Helpers: what each PDF shows
# -----------------------------------------------------------------------------


def make_pdfs(site: registry.Site, config: MkDocsConfig, cache: Path) -> list[ChecklistPdf]:
    """Every checklist's PDF, rendered where the cache does not have it yet."""
    root = Path(config.config_file_path).parent
    fonts = font_files(root / FONT_DIR)
    form = form_font(cache / FORM_FONT_DIR, fonts[400])
    css = read_text(Path(config.docs_dir) / STYLESHEET)
    changed = last_changes(root, Path(config.docs_dir), [c.src_uri for c in site.checklists.values()])
    converter = pdf_markdown(config)
    documents = [
        document(site, config, checklist, converter, css=css, fonts=fonts, form=form,
                 changed=day(checklist.updated) or changed.get(checklist.src_uri) or datetime.date.today())
        for checklist in site.sorted_checklists()
    ]
    try:
        rendered = write_pdfs(documents, cache, (*fonts.values(), form), parallel=not site.serving)
    except (ImportError, OSError) as exc:  # WeasyPrint or Pango missing, the cache not writable
        raise PluginError(
            f"Die PDF-Dateien der Checklisten konnten nicht erzeugt werden ({type(exc).__name__}: {str(exc)[:200]}). "
            "Sie brauchen WeasyPrint (requirements.txt) und Pango (Debian: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0) sowie einen beschreibbaren Ordner {CACHE_DIR}/."
        ) from None
    if rendered:
        log.info("Checklisten-PDFs: %d neu erzeugt, %d aus dem Zwischenspeicher.", rendered, len(documents) - rendered)
    pdfs = []
    for doc in documents:
        pages = overflow(cache, doc.key)
        if pages:
            log.warning(error(site.checklists[doc.name].src_uri, None, (
                f"Die Checkliste passt nicht auf eine Seite DIN A4 (das PDF hat {pages} Seiten). Kürzen Sie die "
                "Punkte oder teilen Sie die Checkliste auf zwei Dateien auf."
            )))
        size = (cache / f"{doc.key}.pdf").stat().st_size
        pdfs.append(ChecklistPdf(doc.name, doc.path, doc.url, size, doc.stand, doc.stand_iso, doc.key))
    return pdfs


@dataclass(frozen=True)
class ChecklistPdf:
    """A checklist's PDF in the built site."""

    name: str
    path: str  # e.g. "checklisten/partner-pruefen/partner-pruefen.pdf"
    url: str  # absolute
    size: int  # bytes
    stand: str  # date of the checklist's last change, German („3. Dezember 2026“)
    stand_iso: str  # the same as JJJJ-MM-TT
    key: str

    @property
    def label(self) -> str:
        """„PDF, 48 KB“ for the download link."""
        return f"PDF, {size_label(self.size)}"


@dataclass(frozen=True)
class PdfDocument:
    name: str
    path: str
    url: str
    html: str
    key: str
    stand: str
    stand_iso: str


def document(site: registry.Site, config: MkDocsConfig, checklist: registry.Checklist,
             converter: python_markdown.Markdown, *, css: str, fonts: dict[int, Path], form: Path,
             changed: datetime.date) -> PdfDocument:
    """The HTML document of a checklist's PDF and its cache key."""
    site_url = config.site_url or ""
    page_url = absolute(site_url, checklist.url)
    path = f"{checklist.url}{checklist.name}.pdf"
    stand = format_date_de(changed)
    html = site.env().get_template(TEMPLATE).render(
        config=config, checklist=checklist, page_url=page_url, stand=stand, stand_iso=changed.isoformat(),
        admonition=pdf_admonition_html(converter, checklist, site_url),
        modifiers=checklists.page_modifiers(checklist), css=css,
        fonts={weight: path.as_uri() for weight, path in fonts.items()}, form_font=form.as_uri(),
    )
    # The key does not depend on where the project lies (the fonts are named by their file URIs).
    key = pdf_key(html.replace(Path(config.config_file_path).parent.resolve().as_uri(), ""), fonts)
    return PdfDocument(checklist.name, path, absolute(site_url, path), html, key, stand, changed.isoformat())


def pdf_markdown(config: MkDocsConfig) -> python_markdown.Markdown:
    """The site's Markdown with raw HTML as text (made once per build)."""
    converter = python_markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    for registry_, name in ((converter.preprocessors, "html_block"), (converter.inlinePatterns, "html")):
        if name in registry_:
            registry_.deregister(name)
    return converter


def pdf_admonition_html(converter: python_markdown.Markdown, checklist: registry.Checklist, site_url: str) -> str:
    """The checklist as the PDF shows it: the site's Markdown, but raw HTML is
    text, each box a named form field, and only links into the site stay links."""
    converter.reset()
    html = checklists.without_title(converter.convert(checklists.plain_title(checklist.source)))
    numbers = itertools.count(1)
    html = CHECKBOX_RE.sub(lambda m: f'<input type="checkbox" name="punkt-{next(numbers)}">', html)
    return own_links_only(html, site_url)


def own_links_only(html: str, site_url: str) -> str:
    """Links into the site stay links; any other link becomes its text, so that
    no PDF points to another server (or to a relative address it cannot resolve)."""
    return LINK_RE.sub(lambda m: m.group(0) if site_url and m.group(1).startswith(site_url) else m.group(2), html)


def pdf_key(html: str, fonts: dict[int, Path]) -> str:
    """Hash of everything that changes a PDF."""
    # The installed version, read without importing WeasyPrint (and Pango) on a warm build.
    digest = hashlib.sha256(f"{VERSION} {importlib.metadata.version('weasyprint')}\n".encode())
    digest.update(html.encode())
    for weight in sorted(fonts):
        digest.update(font_digest(fonts[weight]).encode())
    return digest.hexdigest()[:32]


_FONT_DIGESTS: dict[tuple[str, int, int], str] = {}


def font_digest(path: Path) -> str:
    """SHA-256 of a font file, remembered by path, size and modification time."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _FONT_DIGESTS:
        _FONT_DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _FONT_DIGESTS[key]


def form_font(folder: Path, regular: Path) -> Path:
    """Open Sans Regular with FORM_CHARACTERS only, made once into the cache
    (named by a hash of the font and the characters)."""
    digest = hashlib.sha256(f"{font_digest(regular)} {FORM_CHARACTERS}".encode()).hexdigest()[:16]
    target = (folder / f"formular-{digest}.ttf").resolve()
    if not target.is_file():
        from fontTools import subset  # a dependency of WeasyPrint, needed only here
        from fontTools.ttLib import TTFont

        options = subset.Options()
        options.hinting = False
        options.name_IDs = ["*"]
        font = TTFont(regular)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=FORM_CHARACTERS)
        subsetter.subset(font)
        folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        font.save(temporary)
        os.replace(temporary, target)
    return target


def font_files(folder: Path) -> dict[int, Path]:
    """The fonts the PDFs embed, by weight; a missing one stops the build."""
    fonts = {weight: (folder / name).resolve() for weight, name in FONTS.items()}
    missing = [f"{FONT_DIR}/{path.name}" for path in fonts.values() if not path.is_file()]
    if missing:
        raise PluginError(error(FONT_DIR, None, (
            f"Für die Checklisten-PDFs fehlt die Schrift {', '.join(missing)} (siehe data/fonts/README.md)."
        )))
    return fonts


def day(value: datetime.date | None) -> datetime.date | None:
    """The date of a date or of a date with time."""
    return value.date() if isinstance(value, datetime.datetime) else value


def size_label(size: int) -> str:
    """Bytes as German readers read them: „48 KB“, „1,2 MB“ (1 KB = 1024 bytes)."""
    kilobytes = size / 1024
    if kilobytes < 1000:
        return f"{max(1, round(kilobytes))} KB"
    return f"{kilobytes / 1024:.1f} MB".replace(".", ",")


def absolute(site_url: str, path: str) -> str:
    return (site_url if site_url.endswith("/") else site_url + "/") + path if site_url else path


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def last_changes(root: Path, docs_dir: Path, src_uris: list[str]) -> dict[str, datetime.date]:
    """src_uri -> date of the file's last change: its last commit, or its
    modification time when git does not know it or it has uncommitted changes."""
    paths = {src: docs_dir / src for src in src_uris}
    committed: dict[str, datetime.date] = {}
    dirty: set[str] = set()
    relative = {str(path.resolve().relative_to(root.resolve())): src for src, path in paths.items()
                if path.resolve().is_relative_to(root.resolve())}
    if relative and (root / ".git").exists():
        folders = sorted({str(Path(rel).parent) for rel in relative})
        log_output = git(root, "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", *folders)
        current: datetime.date | None = None
        for line in log_output.splitlines():
            if line.startswith("\0"):
                current = datetime.date.fromisoformat(line[1:])
            elif line in relative and current is not None:
                committed.setdefault(relative[line], current)
        for line in git(root, "status", "--porcelain", "--", *folders).splitlines():
            name = line[3:].strip().strip('"')
            if name in relative:
                dirty.add(relative[name])
    found: dict[str, datetime.date] = {}
    for src, path in paths.items():
        if src in committed and src not in dirty:
            found[src] = committed[src]
        else:
            try:
                found[src] = datetime.date.fromtimestamp(path.stat().st_mtime)
            except OSError:
                continue
    return found


def git(root: Path, *args: str) -> str:
    """Output of a git command in `root`, or "" (no git, not a repository)."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


# -----------------------------------------------------------------------------
# Helpers: rendering and the cache
# -----------------------------------------------------------------------------


def write_pdfs(documents: list[PdfDocument], cache: Path, fonts: tuple[Path, ...], *, parallel: bool) -> int:
    """Render the PDFs not cached yet; return how many were rendered."""
    cache.mkdir(parents=True, exist_ok=True)
    allowed = tuple(str(path) for path in fonts)
    missing = {doc.key: doc for doc in documents if not (cache / f"{doc.key}.pdf").is_file()}
    jobs = [pdf_document.Job(doc.html, cache / f"{doc.key}.pdf", allowed) for doc in missing.values()]
    if parallel and len(jobs) >= PARALLEL_FROM and sys.platform == "linux" and (os.cpu_count() or 1) > 1:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(os.cpu_count(), mp_context=context) as pool:
            pages = list(pool.map(pdf_document.render_job, jobs, chunksize=4))
    else:
        pages = [pdf_document.render_job(job) for job in jobs]
    for job, count in zip(jobs, pages, strict=True):
        # Remembered beside the PDF, so that a cached PDF warns as a new one does.
        marker = job.target.with_suffix(OVERFLOW_SUFFIX)
        if count > 1:
            marker.write_text(str(count), encoding="utf-8")
        else:
            marker.unlink(missing_ok=True)
    return len(jobs)


def overflow(cache: Path, key: str) -> int:
    """Number of pages of a cached PDF longer than one page, else 0."""
    try:
        return int((cache / f"{key}{OVERFLOW_SUFFIX}").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0


def prune(cache: Path, keep: set[str]) -> None:
    """Remove cached PDFs that no checklist of this build uses."""
    for path in [*cache.glob("*.pdf"), *cache.glob(f"*{OVERFLOW_SUFFIX}")]:
        if path.stem not in keep:
            path.unlink(missing_ok=True)
