"""Import an existing blog into this site: `python -m tools.importer QUELLE`.

Modules: `wxr` (WordPress export), `mdblog` (Markdown blogs), `html2md`
(HTML → Markdown), `plan` (file names, descriptions, tags, comment threads,
file texts), `writer` (writing without clobbering), `report` (the German
report), `run` (one import from start to end).
"""

from __future__ import annotations

from .model import Options
from .run import run

__all__ = ["Options", "run"]
