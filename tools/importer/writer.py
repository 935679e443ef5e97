"""Write the planned files: new files are created, identical ones left as they
are, and an existing file that the import would change is left alone unless
`--ersetzen` is given. Data files that the import only extends (tags, authors,
redirects) are always updated, never clobbered. Nothing is written before the
whole plan is known, so an error stops the import with nothing written."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .model import ImportFailed
from .report import KEPT, NEW, REPLACED, SAME, Report

EXTENDED = "ergänzt"


@dataclass
class Writer:
    root: Path
    replace: bool
    plan: dict[str, tuple[str, bytes | Path, bool]] = field(default_factory=dict)  # rel -> (kind, data, merge)

    def text(self, rel: str, content: str, *, merge: bool = False) -> None:
        self._add(rel, ("text", content.encode("utf-8"), merge))

    def copy(self, rel: str, source: Path) -> None:
        self._add(rel, ("copy", source, False))

    def _add(self, rel: str, entry: tuple[str, bytes | Path, bool]) -> None:
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts:
            raise ImportFailed(f"Interner Fehler: Pfad „{rel}“ liegt außerhalb der Website.")
        self.plan[rel] = entry

    def pending(self, rel: str) -> bytes | None:
        entry = self.plan.get(rel)
        return entry[1] if entry and entry[0] == "text" else None  # type: ignore[return-value]

    def commit(self, report: Report) -> None:
        for rel in sorted(self.plan):
            kind, data, merge = self.plan[rel]
            target = self.root / rel
            content = data if isinstance(data, bytes) else Path(data).read_bytes()
            if not target.exists():
                status = NEW
            elif target.read_bytes() == content:
                status = SAME
            elif merge:
                status = EXTENDED
            elif self.replace:
                status = REPLACED
            else:
                report.files.append((rel, KEPT))
                continue
            if status != SAME:
                target.parent.mkdir(parents=True, exist_ok=True)
                if kind == "copy":
                    shutil.copyfile(data, target)
                else:
                    target.write_bytes(content)
            report.files.append((rel, status))
