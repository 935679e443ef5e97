"""Social preview images: one PNG (1200×630) per article and per checklist,
drawn at build time by hooks/kn/render/preview_image.py with the fonts in data/fonts/
and the site's colours from docs/assets/kn.css, and announced in <head> as
`og:image` (with width, height and alt) and `twitter:card=summary_large_image`
by overrides/fragments/kn/social-meta.html.

Each image is cached in `.cache/social-images/<hash>.png`, the hash taken over
everything that changes its pixels (texts, colours, fonts, drawing code,
Pillow and pyphen versions). An unchanged article costs one hash and one hard
link on the next build; only new or changed ones are drawn (in parallel when
there are many). `mkdocs build` removes cached images no page uses any more.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kn import names, registry, view
from kn.render import preview_image
from kn.render.preview_image import HEIGHT, WIDTH, Colours, Preview
from kn.text import format_date_de

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.social")

IMAGE_DIR = names.PREVIEW_IMAGES
LOGO = f"{IMAGE_DIR}/logo.png"  # the publisher's logo in the structured data
LOGO_SIZE = 512
CACHE_DIR = names.SOCIAL_CACHE
FONT_DIR = names.FONTS_DIR
BOLD, REGULAR = "OpenSans-Bold.ttf", "OpenSans-Semibold.ttf"
STYLESHEET = names.STYLESHEET  # under docs/: the colours come from here
PARALLEL_FROM = 24  # draw in worker processes when this many images are missing

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    site.cache.previews = {}
    if not config.site_url:
        return files  # og:image needs an absolute address
    root = Path(config.config_file_path).parent
    colours = css_colours(read_text(Path(config.docs_dir) / STYLESHEET))
    fonts = fonts_digest(root / FONT_DIR)
    for src_uri, preview in previews(site, config.site_name, config.site_url):
        site.cache.previews[src_uri] = social_image(src_uri, preview, colours, fonts, config.site_url)
    return files


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any] | None:
    image = registry.SITE.cache.previews.get(page.file.src_uri)
    if image is not None:
        view.of(page).preview = image
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    site = registry.SITE
    if site.errors or not site.cache.previews:
        return
    root = Path(config.config_file_path).parent
    cache = root / CACHE_DIR
    colours = next(iter(site.cache.previews.values())).colours
    images = [*site.cache.previews.values(), logo_image(config.site_url, colours)]
    drawn = write_images(images, cache, Path(config.site_dir), root / FONT_DIR, parallel=not site.serving)
    if drawn:
        log.info("Vorschaubilder: %d neu gezeichnet, %d aus dem Zwischenspeicher.", drawn, len(images) - drawn)
    if not site.serving:
        prune(cache, {image.key for image in images})


# -----------------------------------------------------------------------------
# Helpers: what each image shows
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SocialImage:
    """One preview image: where it goes in the site, and what it shows."""

    path: str  # in the built site, e.g. "assets/vorschau/kooperation-netzwerke/x.png"
    url: str  # absolute, from site_url
    alt: str
    key: str  # hash of everything that changes its pixels
    preview: Preview | None  # None: the site's logo
    colours: Colours
    width: int = WIDTH
    height: int = HEIGHT


def previews(site: registry.Site, site_name: str, site_url: str) -> list[tuple[str, Preview]]:
    """(src_uri, what the image shows) for every article and checklist."""
    address = re.sub(r"\A[a-z]+://", "", site_url).rstrip("/")
    found: list[tuple[str, Preview]] = []
    for series in site.series.values():
        for number, article in enumerate(series.articles, start=1):
            # A series named like the site is not named twice on the image.
            if series.kind == "blog":
                kicker = f"Blog „{series.title}“"
            else:
                kicker = "Artikel der Reihe" if series.title == site_name else f"Reihe „{series.title}“"
            found.append((article.src_uri, Preview(
                site_name, article.title, kicker,
                format_date_de(article.date) if series.kind == "blog" else f"Teil {number} von {len(series.articles)}",
                address,
            )))
    for checklist in site.checklists.values():
        items = len(checklist.items)
        found.append((checklist.src_uri, Preview(
            site_name, checklist.title, "Checkliste zum Ausdrucken",
            f"{items} {'Punkt' if items == 1 else 'Punkte'} zum Abhaken", address,
        )))
    return found


def social_image(src_uri: str, preview: Preview, colours: Colours, fonts: str, site_url: str) -> SocialImage:
    path = f"{IMAGE_DIR}/{src_uri.removesuffix('.md')}.png"
    alt = f"{preview.title} – {preview.kicker}, {preview.footer}"
    return SocialImage(path, absolute(site_url, path), alt, image_key(preview, colours, fonts), preview, colours)


def logo_image(site_url: str, colours: Colours) -> SocialImage:
    """The site's mark as a PNG, for the publisher in the structured data."""
    key = hashlib.sha256(f"logo {preview_image.VERSION} {colours}".encode()).hexdigest()[:32]
    return SocialImage(LOGO, absolute(site_url, LOGO), "", key, None, colours, LOGO_SIZE, LOGO_SIZE)


def absolute(site_url: str, path: str) -> str:
    return (site_url if site_url.endswith("/") else site_url + "/") + path


def image_key(preview: Preview, colours: Colours, fonts: str) -> str:
    """Hash of everything that changes an image's pixels."""
    import PIL
    import pyphen

    inputs = [preview_image.VERSION, PIL.__version__, getattr(pyphen, "__version__", ""), fonts,
              asdict(colours), asdict(preview)]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def fonts_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in (BOLD, REGULAR):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


CSS_PROPERTY_RE = re.compile(r"(--md-primary-fg-color(?:--dark)?)\s*:\s*(#[0-9a-fA-F]{6})\b")


def css_colours(css: str) -> Colours:
    """The site's primary colours, as the stylesheet sets them for the light scheme."""
    found: dict[str, str] = {}
    for name, value in CSS_PROPERTY_RE.findall(css):
        found.setdefault(name, value.lower())
    default = Colours()
    return Colours(
        background=found.get("--md-primary-fg-color", default.background),
        band=found.get("--md-primary-fg-color--dark", default.band),
    )


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


# -----------------------------------------------------------------------------
# Helpers: drawing and the cache
# -----------------------------------------------------------------------------


def write_images(images: list[SocialImage], cache: Path, site_dir: Path, fonts: Path, *, parallel: bool) -> int:
    """Put every image into the built site, drawing the ones not cached yet;
    return how many were drawn."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = {image.key: image for image in images if not (cache / f"{image.key}.png").is_file()}
    # Plain values only: worker processes cannot import this hook module by name.
    jobs = [preview_image.Job(image.preview, image.colours, image.width, fonts / BOLD, fonts / REGULAR,
                              cache / f"{image.key}.png") for image in missing.values()]
    if parallel and len(jobs) >= PARALLEL_FROM and sys.platform == "linux" and (os.cpu_count() or 1) > 1:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(os.cpu_count(), mp_context=context) as pool:
            list(pool.map(preview_image.draw_job, jobs, chunksize=8))
    else:
        for job in jobs:
            preview_image.draw_job(job)
    for image in images:
        place(cache / f"{image.key}.png", site_dir / image.path)
    return len(missing)


def place(source: Path, target: Path) -> None:
    """A hard link to the cached file (a copy where links are impossible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if target.samefile(source):
            return
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def prune(cache: Path, keep: set[str]) -> None:
    """Remove cached images that no page of this build uses."""
    for path in cache.glob("*.png"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
