"""Checklist boxes on screen: a reader sees them (non-text contrast of at least
3:1, WCAG 2.2 1.4.11), tells a ticked box from an empty one by its shape, not
by colour alone, and hits it easily (a target of at least 24×24 CSS pixels,
2.5.8).

Measured on the rendered pixels: Chromium takes a screenshot around a box, and
the relative luminance of the box's pixels is compared with that of the page
right around it, in the light and the dark palette, on a checklist's own page
and in an article, with the box at rest, under the mouse and focused by
keyboard. So a later Material update cannot quietly make the boxes faint again."""

from __future__ import annotations

import math
import struct
import zlib
from collections import Counter

import pytest
from test_accessibility import luminance

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = ["checklisten/partner-pruefen/", "kooperation-netzwerke/passende-partner-finden/"]
SCHEMES = {"light": "default", "dark": "slate"}
STATES = ["normal", "hover", "focus"]
UNTICKED, TICKED = 2, 1  # item numbers in the checklist
PAD = 2  # pixels of page around the box in each screenshot
MIN_RATIO = 3.0
MIN_TARGET = 24

Pixel = tuple[int, int, int]

# Where the box is drawn: Material draws it as the indicator's ::before,
# positioned inside the list item.
BOX_RECT = """(item) => {
  const box = getComputedStyle(item.querySelector('.task-list-indicator'), '::before');
  const px = (name) => parseFloat(box[name]) || 0;
  const outer = box.boxSizing === 'border-box' ? 0 : 1;
  const r = item.getBoundingClientRect();
  return {
    x: r.left + item.clientLeft + px('left'),
    y: r.top + item.clientTop + px('top'),
    width: px('width') + outer * (px('borderLeftWidth') + px('borderRightWidth') + px('paddingLeft') + px('paddingRight')),
    height: px('height') + outer * (px('borderTopWidth') + px('borderBottomWidth') + px('paddingTop') + px('paddingBottom')),
  };
}"""

# For every checklist item in turn: scrolled to the middle of the screen, the
# rectangles of its label, its box, and whether the box's centre hits its label.
TARGETS = f"""(items) => {{
  const boxRect = {BOX_RECT};
  const labels = document.querySelectorAll('.kn-checklist .task-list-item label');
  return items.map((item, i) => {{
    item.scrollIntoView({{block: 'center'}});
    const rects = [...item.querySelector('label').getClientRects()].map(r => [r.width, r.height]);
    const box = boxRect(item);
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.closest('label') === labels[i];
    return {{rects, box, hit}};
  }});
}}"""

# Colour transitions (of the box, or any other on the page) run to their end.
SETTLED = """() => Promise.all(document.getAnimations()
  .filter(a => a.playState === 'running' && a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map(a => a.finished.catch(() => null))).then(() => null)"""


# -----------------------------------------------------------------------------
# Contrast and target size in the browser
# -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boxes(tabs, site_url):
    """The measured boxes, by (scheme, url): {state: (unticked, ticked)}.

    Each page is loaded once per palette (in a page as in a new context with
    that preferred scheme; nothing is stored, the tick is set in the page only),
    and its two boxes are measured in every state in turn (`measure` moves the
    mouse away and drops the focus before each state); the tests below assert on
    these measurements."""
    measured: dict[tuple[str, str], dict[str, tuple[Box, Box]]] = {}

    def get(scheme: str, url: str) -> dict[str, tuple[Box, Box]]:
        if (scheme, url) not in measured:
            page = open_checklist(tabs.page(color_scheme=scheme, viewport=PHONE), site_url + url, scheme)
            measured[(scheme, url)] = {
                state: (measure(page, UNTICKED, state), measure(page, TICKED, state)) for state in STATES
            }
        return measured[(scheme, url)]

    return get


@pytest.mark.browser
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_checklist_boxes_contrast_at_least_3_to_1(boxes, scheme, url, state):
    unticked, ticked = boxes(scheme, url)[state]
    for box in (unticked, ticked):
        assert box.ratio >= MIN_RATIO, f"{scheme} {url} {state} {box.name}: {box.ratio:.2f}:1"
    assert ticked.mark_ratio() >= MIN_RATIO, f"{scheme} {url} {state}: check mark {ticked.mark_ratio():.2f}:1"


@pytest.mark.browser
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_ticked_box_shows_a_check_mark_not_only_a_colour(boxes, scheme, url):
    unticked, ticked = boxes(scheme, url)["normal"]
    differing = sum(a != b for a, b in zip(unticked.shape, ticked.shape, strict=False)) / len(ticked.shape)
    assert differing >= 0.15, f"{scheme} {url}: ticked and unticked box differ in {differing:.0%} of their shape"
    assert ticked.mark_ratio() >= MIN_RATIO, f"{scheme} {url}: no check mark in the ticked box"
    assert unticked.mark_ratio() == 0, f"{scheme} {url}: a mark in the unticked box"


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("url", PAGES)
def test_box_and_its_text_are_one_target_of_at_least_24_pixels(tabs, site_url, url, viewport):
    page = tabs.page(viewport=viewport)
    open_checklist(page, site_url + url, "light")
    items = page.locator(".kn-checklist .task-list-item")
    assert items.count() >= 10
    # Each item scrolled to the middle in turn, its label and box measured there (one call for all items).
    measured = items.evaluate_all(TARGETS)
    for n, item in enumerate(measured):
        rects = item["rects"]
        assert rects and all(w >= MIN_TARGET and h >= MIN_TARGET for w, h in rects), f"{url} item {n}: {rects}"
        assert item["hit"], f"{url} item {n}: the box is not part of its label"
    box = measured[-1]["box"]
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    assert items.nth(items.count() - 1).locator("input").is_checked()


def open_checklist(page, url: str, scheme: str):
    """The page with its checklist in the middle of the screen, one box ticked."""
    page.goto(url)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
    page.evaluate("""(ticked) => {
      const list = document.querySelector('.kn-checklist');
      list.querySelectorAll('input[type=checkbox]')[ticked].checked = true;
      list.querySelector('.task-list-item').scrollIntoView({block: 'center'});
    }""", TICKED)
    return page


def measure(page, number: int, state: str) -> Box:
    """Screenshot the box of item `number` in the given state."""
    item = page.locator(".kn-checklist .task-list-item").nth(number)
    page.mouse.move(0, PHONE["height"] - 1)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    rect = item.evaluate(BOX_RECT)
    if state == "hover":
        page.mouse.move(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
        assert item.locator("label").evaluate("el => el.matches(':hover')")
    elif state == "focus":
        page.locator(".kn-checklist .task-list-item input").nth(number - 1).focus()
        page.keyboard.press("Tab")
        assert item.locator("input").evaluate("el => el === document.activeElement && el.matches(':focus-visible')")
    page.evaluate(SETTLED)  # let colour transitions end
    rect = item.evaluate(BOX_RECT)
    left, top = math.floor(rect["x"]) - PAD, math.floor(rect["y"]) - PAD
    right, bottom = math.ceil(rect["x"] + rect["width"]) + PAD, math.ceil(rect["y"] + rect["height"]) + PAD
    png = page.screenshot(clip={"x": left, "y": top, "width": right - left, "height": bottom - top})
    name = f"item {number} ({'ticked' if number == TICKED else 'unticked'})"
    return Box(name, png_pixels(png), PAD)


# -----------------------------------------------------------------------------
# Reading the screenshot
# -----------------------------------------------------------------------------


class Box:
    """The pixels of a box with a ring of PAD pixels of page around it."""

    def __init__(self, name: str, rows: list[list[Pixel]], pad: int) -> None:
        self.name = name
        height, width = len(rows), len(rows[0])
        inside = [(x, y) for y in range(pad, height - pad) for x in range(pad, width - pad)]
        ring = [rows[y][x] for y in range(height) for x in range(width) if min(x, y, width - 1 - x, height - 1 - y) < pad]
        self.size = (width - 2 * pad, height - 2 * pad)
        self.background = Counter(ring).most_common(1)[0][0]
        self.pixels = [rows[y][x] for x, y in inside]
        # The box's colour: the one that at least a one-pixel outline's worth
        # of its pixels reach (antialiased edges and stray pixels do not count).
        ranked = sorted(self.pixels, key=lambda p: contrast(p, self.background), reverse=True)
        self.ink = ranked[2 * sum(self.size) - 1]
        self.ratio = contrast(self.ink, self.background)
        # Its shape, whatever its colour: each pixel nearer the box's colour than the page's.
        middle = (luminance(self.ink) + luminance(self.background)) / 2
        darker = luminance(self.ink) < luminance(self.background)
        self.shape = [(luminance(p) < middle) == darker for p in self.pixels]

    def mark_ratio(self) -> float:
        """Contrast of a mark in the middle of the box with what surrounds it there;
        0 if the middle is (almost) all one colour."""
        width, height = self.size
        middle = [
            (pixel, ink) for i, (pixel, ink) in enumerate(zip(self.pixels, self.shape, strict=False))
            if width // 4 <= i % width < width - width // 4 and height // 4 <= i // width < height - height // 4
        ]
        ink = [pixel for pixel, is_ink in middle if is_ink]
        other = [pixel for pixel, is_ink in middle if not is_ink]
        if min(len(ink), len(other)) < 0.1 * len(middle):
            return 0.0
        return contrast(Counter(ink).most_common(1)[0][0], Counter(other).most_common(1)[0][0])


def contrast(a: Pixel, b: Pixel) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def png_pixels(data: bytes) -> list[list[Pixel]]:
    """Rows of RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG (Chromium's screenshots)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = {}, 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks[kind] = chunks.get(kind, b"") + data[pos + 8:pos + 8 + length]
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(chunks[b"IDAT"]), width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b, c = previous[i], previous[i - step] if i >= step else 0
            predictor = (0, a, b, (a + b) // 2, paeth(a, b, c))[kind]
            line[i] = (line[i] + predictor) & 0xFF
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, step)])
        previous = line
    return rows


def paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


# -----------------------------------------------------------------------------
# The helpers themselves
# -----------------------------------------------------------------------------


def tiny_png(rows: list[list[Pixel]], colour: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    step = 3 if colour == 2 else 4
    raw = b""
    for y, row in enumerate(rows):
        line = b"".join(bytes(p) + b"\xff" * (step - 3) for p in row)
        if y % 2:  # filter 1 (Sub) on every other line, to exercise the unfiltering
            line = bytes([1]) + bytes((line[i] - (line[i - step] if i >= step else 0)) & 0xFF for i in range(len(line)))
        else:
            line = bytes([0]) + line
        raw += line
    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("colour", [2, 6])
def test_png_pixels_reads_rgb_and_rgba(colour):
    rows = [[(255, 255, 255), (0, 0, 0)], [(10, 20, 30), (200, 100, 50)]]
    assert png_pixels(tiny_png(rows, colour)) == rows


WHITE, GREY = (255, 255, 255), (118, 118, 118)


def drawn_box(size: int, pad: int, ink) -> list[list[Pixel]]:
    """A white page with a box of `size` pixels, each pixel coloured by ink(x, y)."""
    return [
        [ink(x - pad, y - pad) if pad <= x < pad + size and pad <= y < pad + size else WHITE for x in range(size + 2 * pad)]
        for y in range(size + 2 * pad)
    ]


def test_box_measures_an_outline_against_the_page():
    outline = drawn_box(12, 2, lambda x, y: GREY if min(x, y) < 2 or max(x, y) >= 10 else WHITE)
    box = Box("test", outline, 2)
    assert box.background == WHITE
    assert box.ratio == pytest.approx(4.54, abs=0.01)
    assert sum(box.shape) == 12 * 12 - 8 * 8
    assert box.mark_ratio() == 0


def test_box_finds_a_mark_in_a_filled_box_but_not_in_a_plain_one():
    marked = Box("test", drawn_box(12, 2, lambda x, y: WHITE if x in (5, 6) and 3 <= y < 9 else GREY), 2)
    plain = Box("test", drawn_box(12, 2, lambda x, y: GREY), 2)
    assert marked.ratio == plain.ratio == pytest.approx(4.54, abs=0.01)
    assert marked.mark_ratio() == pytest.approx(4.54, abs=0.01)
    assert plain.mark_ratio() == 0
