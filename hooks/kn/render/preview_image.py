"""Drawing of the social preview images (Open Graph, 1200×630 PNG) with Pillow.

Not a hook module: `hooks/kn/render/social.py` calls `draw_preview` for each article and
checklist. Everything here is a pure function of its inputs (texts, colours,
fonts), so the caller can cache an image by a hash of them. The title is
wrapped at spaces; a word wider than a line is split at a German hyphenation
point (pyphen) with a hyphen, never elsewhere. `layout_title` returns the
boxes of the lines it placed, so that tests can check the text lies inside
the image.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# The title block lies between the site name (top) and the footer line (bottom).
TITLE_TOP, TITLE_BOTTOM = 170, 500
FOOTER_TOP = 540  # the footer band with the part and the address
FOOTER_MIDDLE = (FOOTER_TOP + HEIGHT) // 2 + 3
TITLE_SIZES = tuple(range(76, 39, -4))  # largest first
LINE_HEIGHT = 1.18
ELLIPSIS = "…"
# Bump when the drawing changes, so cached images are redrawn.
VERSION = "2"


@dataclass(frozen=True)
class Colours:
    background: str = "#0b5563"  # --md-primary-fg-color
    band: str = "#073c46"  # --md-primary-fg-color--dark
    text: str = "#ffffff"
    muted: str = "#d5e8ec"
    accent: str = "#f0a272"  # --md-accent-fg-color of the dark scheme


@dataclass(frozen=True)
class Preview:
    """What an image shows."""

    site_name: str
    title: str
    kicker: str  # above the title, e.g. the series or „Checkliste“
    footer: str  # e.g. „Teil 3 von 6“
    address: str = ""  # the site's address, right in the footer


@dataclass(frozen=True)
class TitleLayout:
    lines: tuple[str, ...]
    size: int
    baselines: tuple[int, ...]  # y of each line's baseline; lines start at MARGIN
    boxes: tuple[tuple[int, int, int, int], ...]  # (left, top, right, bottom) of each line's ink
    complete: bool  # False when the title had to end with „…“ after a whole word


@dataclass(frozen=True)
class Job:
    """One image to draw into a file (picklable, for worker processes)."""

    preview: Preview | None  # None: the site's logo
    colours: Colours
    size: int  # width of the logo
    bold: Path
    regular: Path
    target: Path


# -----------------------------------------------------------------------------
# Drawing
# -----------------------------------------------------------------------------


def draw_job(job: Job) -> None:
    """Draw one image and write it atomically: never half a file at `target`."""
    if job.preview is None:
        data = draw_logo(job.colours, size=job.size)
    else:
        data = draw_preview(job.preview, bold=job.bold, regular=job.regular, colours=job.colours)
    temporary = job.target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, job.target)



def draw_preview(preview: Preview, *, bold: Path, regular: Path, colours: Colours = Colours()) -> bytes:
    """The PNG bytes of one preview image."""
    image = Image.new("RGB", (WIDTH, HEIGHT), colours.background)
    draw = ImageDraw.Draw(image)
    # Site mark (two linked rings, as in the favicon) and site name.
    for cx in (MARGIN + 22, MARGIN + 50):
        draw.ellipse((cx - 22, 62, cx + 22, 106), outline=colours.text, width=7)
    site_name = fit_line(preview.site_name, font(regular, 34), WIDTH - 2 * MARGIN - 96)
    draw.text((MARGIN + 96, 84), site_name, font=font(regular, 34), fill=colours.text, anchor="lm")
    # Kicker above the title.
    if preview.kicker:
        kicker = fit_line(preview.kicker, font(regular, 30), WIDTH - 2 * MARGIN)
        draw.text((MARGIN, TITLE_TOP - 6), kicker, font=font(regular, 30), fill=colours.accent, anchor="ls")
    layout = layout_title(preview.title, bold)
    title_font = font(bold, layout.size)
    for line, baseline in zip(layout.lines, layout.baselines, strict=True):
        draw.text((MARGIN, baseline), line, font=title_font, fill=colours.text, anchor="ls")
    # Footer band.
    draw.rectangle((0, FOOTER_TOP, WIDTH, HEIGHT), fill=colours.band)
    draw.rectangle((0, FOOTER_TOP, WIDTH, FOOTER_TOP + 6), fill=colours.accent)
    if preview.footer:
        draw.text((MARGIN, FOOTER_MIDDLE), preview.footer, font=font(regular, 32), fill=colours.muted, anchor="lm")
    if preview.address:
        room = WIDTH - 2 * MARGIN - font(regular, 32).getlength(preview.footer) - 40
        if font(regular, 26).getlength(preview.address) <= room:
            draw.text((WIDTH - MARGIN, FOOTER_MIDDLE), preview.address, font=font(regular, 26), fill=colours.muted, anchor="rm")
    out = io.BytesIO()
    # A palette keeps the flat colours and the anti-aliased text, at a fraction of the bytes.
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, "PNG", compress_level=6
    )
    return out.getvalue()


def draw_logo(colours: Colours = Colours(), *, size: int = 512) -> bytes:
    """The site's mark as in docs/assets/favicon.svg: two linked rings on a
    rounded square in the primary colour."""
    scale = size / 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(12 * scale), fill=colours.background)
    for cx in (22, 42):
        box = [round(v * scale) for v in (cx - 14.5, 32 - 14.5, cx + 14.5, 32 + 14.5)]
        draw.ellipse(box, outline=colours.text, width=round(5 * scale))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


@lru_cache(maxsize=64)
def measurer(path: Path, size: int) -> Callable[[str], float]:
    """Width of a text in pixels, remembered: wrapping measures the same words often."""
    return lru_cache(maxsize=8192)(font(path, size).getlength)


@lru_cache(maxsize=64)
def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


# -----------------------------------------------------------------------------
# Title layout: wrap, hyphenate, shrink
# -----------------------------------------------------------------------------


def layout_title(title: str, bold: Path) -> TitleLayout:
    """Place the title in the title block at the largest size where it fits
    with whole words; else hyphenate (German rules) at the sizes from the top
    down; a title that fits nowhere ends with „…“ after its last whole word."""
    width = WIDTH - 2 * MARGIN
    for split in ("never", "fill"):
        for size in TITLE_SIZES:
            measure = measurer(bold, size)
            lines = wrap(title, measure, width, split=split)
            if len(lines) <= max_lines(size) and all(measure(line) <= width for line in lines):
                return place(balance(title, lines, measure, width, split), bold, size, complete=True)
    size = TITLE_SIZES[-1]
    measure = measurer(bold, size)
    return place(fit_lines(title, measure, width, max_lines(size)), bold, size, complete=False)


def balance(title: str, lines: list[str], measure: Callable[[str], float], width: float, split: str) -> list[str]:
    """The same number of lines, as even as they get: wrap at the narrowest
    width that needs no more lines (binary search, a few wraps)."""
    if len(lines) < 2:
        return lines
    low, high, best = width / 2, width, lines
    while high - low > 8:
        middle = (low + high) / 2
        attempt = wrap(title, measure, middle, split=split)
        if len(attempt) <= len(lines) and all(measure(line) <= middle for line in attempt):
            high, best = middle, attempt
        else:
            low = middle
    return best


def max_lines(size: int) -> int:
    return int((TITLE_BOTTOM - TITLE_TOP) // (size * LINE_HEIGHT))


def place(lines: list[str], bold: Path, size: int, *, complete: bool) -> TitleLayout:
    """Boxes of the lines, top-aligned in the title block, measured by Pillow."""
    face = font(bold, size)
    step = round(size * LINE_HEIGHT)
    baselines = tuple(TITLE_TOP + step * (index + 1) for index in range(len(lines)))
    boxes = []
    for line, baseline in zip(lines, baselines, strict=True):
        left, top, right, bottom = face.getbbox(line, anchor="ls")
        boxes.append((MARGIN + left, baseline + top, MARGIN + right, baseline + bottom))
    return TitleLayout(tuple(lines), size, baselines, tuple(boxes), complete)


def wrap(text: str, measure: Callable[[str], float], width: float, *, split: str) -> list[str]:
    """Greedy line breaking at spaces. `split="never"` keeps every word whole
    (a word wider than `width` then overflows, which the caller rejects);
    `split="fill"` splits a word that does not fit the rest of a line at its
    last hyphenation point that does."""
    lines: list[str] = []
    line = ""
    for word in words(text):
        rest = word
        while rest:
            candidate = f"{line} {rest}" if line else rest
            if measure(candidate) <= width:
                line, rest = candidate, ""
                continue
            prefix = f"{line} " if line else ""
            head, tail = ("", rest) if split == "never" else split_word(rest, lambda part, prefix=prefix: measure(prefix + part) <= width)
            if head:
                lines.append(prefix + head)
                line, rest = "", tail
            elif line:
                lines.append(line)
                line = ""
            else:  # nothing fits an empty line: the word stays whole
                lines.append(rest)
                rest = ""
    if line:
        lines.append(line)
    return lines


def words(text: str) -> list[str]:
    """Words at spaces; a dash standing alone stays with the word before it."""
    result: list[str] = []
    for word in text.split():
        if result and word in {"–", "—", "-", ":", "?", "!"}:
            result[-1] += " " + word
        else:
            result.append(word)
    return result


def split_word(word: str, fits: Callable[[str], bool]) -> tuple[str, str]:
    """The longest head of `word` ending at a hyphenation point or an existing
    hyphen for which `fits(head)` holds (head with its hyphen), and the rest."""
    best = ("", word)
    for head, tail in break_points(word):
        if fits(head):
            best = (head, tail)
            break
    return best


@lru_cache(maxsize=4096)
def break_points(word: str) -> tuple[tuple[str, str], ...]:
    """Ways to split `word`, longest head first: after a hyphen in the word,
    or at a German hyphenation point with an added hyphen."""
    points: dict[int, tuple[str, str]] = {}
    for index, char in enumerate(word[:-1]):
        if char in "-–" and index > 0:
            points[index + 1] = (word[: index + 1], word[index + 1 :])
    for head, tail in hyphenator().iterate(word):
        if not head.endswith("-"):
            points.setdefault(len(head), (head + "-", tail))
    return tuple(points[i] for i in sorted(points, reverse=True))


@lru_cache(maxsize=1)
def hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="de_DE", left=3, right=3)


def fit_lines(title: str, measure: Callable[[str], float], width: float, limit: int) -> list[str]:
    """The first `limit` lines of the title, the last one ending with „…“ after
    a whole word."""
    lines = wrap(title, measure, width, split="never")[:limit]
    last = lines[-1].split(" ")
    if last[-1].endswith("-"):  # never end on half a word
        last.pop()
    while last and measure(" ".join(last) + " " + ELLIPSIS) > width:
        last.pop()
    lines[-1] = (" ".join(last) + " " + ELLIPSIS) if last else ELLIPSIS
    return lines


def fit_line(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """One line of `text`, ending with „…“ after a whole word when too long."""
    if face.getlength(text) <= width:
        return text
    return fit_lines(text, face.getlength, width, 1)[0]
