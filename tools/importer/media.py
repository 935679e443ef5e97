"""Media files from an export, read as untrusted: a path must stay inside its
folder (no absolute path, no `..`, also not URL-encoded, no symbolic or hard
link out), and only pictures and PDFs whose content matches their name are
copied. Everything else is refused with a German reason for the report."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

MAX_BYTES = 20_000_000  # one picture or PDF
# File name ending -> what the first bytes must be.
MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".pdf": (b"%PDF-",),
}
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
DRIVE_RE = re.compile(r"\A[A-Za-z]:")

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def content_type(head: bytes) -> str | None:
    """The file type its first bytes show ('.png', '.jpg', '.gif', '.webp', '.pdf'), or None."""
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return ".webp"
    for ext, magics in MAGIC.items():
        if ext != ".webp" and any(head.startswith(m) for m in magics):
            return ".jpg" if ext == ".jpeg" else ext
    return None


def allowed_name(name: str) -> bool:
    return PurePosixPath(name.lower()).suffix in MAGIC


def clean_relative(rel: str) -> str | None:
    """`rel` decoded (also twice URL-encoded) as a relative path without `..`, or None."""
    decoded = rel
    for _ in range(3):
        decoded = unquote(decoded)
    decoded = decoded.replace("\\", "/")
    if not decoded or "\x00" in decoded or decoded.startswith("/") or DRIVE_RE.match(decoded):
        return None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def safe_file(base: Path, rel: str) -> tuple[Path | None, str | None]:
    """(file, None) for a picture or PDF strictly inside `base`; (None, reason)
    when it is refused; (None, None) when it simply is not there."""
    clean = clean_relative(rel)
    if clean is None:
        return None, f"Pfad „{rel[:80]}“ zeigt aus dem Medienordner hinaus"
    current = base
    for part in clean.split("/"):
        current = current / part
        if current.is_symlink():
            return None, f"„{clean[:80]}“ ist ein symbolischer Link"
    if not current.is_file():
        return None, None
    try:
        real = current.resolve(strict=True)
        if not real.is_relative_to(base.resolve()):
            return None, f"„{clean[:80]}“ liegt außerhalb des Medienordners"
        stat = os.stat(current, follow_symlinks=False)
    except OSError:
        return None, None
    if stat.st_nlink > 1:
        return None, f"„{clean[:80]}“ ist ein harter Link auf eine andere Datei"
    ext = PurePosixPath(clean.lower()).suffix
    if ext not in MAGIC:
        return None, f"Dateityp „{ext or '(ohne Endung)'}“ wird nicht kopiert (nur Bilder PNG, JPEG, GIF, WebP und PDF)"
    if stat.st_size > MAX_BYTES:
        return None, f"„{clean[:80]}“ ist größer als {MAX_BYTES // 1_000_000} MB"
    with open(current, "rb") as handle:
        head = handle.read(16)
    found = content_type(head)
    if found != (".jpg" if ext == ".jpeg" else ext):
        return None, f"Inhalt von „{clean[:80]}“ passt nicht zur Endung {ext}"
    return current, None
