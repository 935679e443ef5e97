"""The import report: every item and comment of the source counted once, the
files written or left alone, tags, authors, redirects and what to check by hand.
German, printed by the command and returned by `run()`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    source: str = ""
    kind: str = ""  # "WordPress" or "Markdown"
    series: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (item, outcome)
    comments: Counter[str] = field(default_factory=Counter)  # outcome -> count
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, status)
    tags_new: list[str] = field(default_factory=list)
    tags_merged: list[tuple[str, str]] = field(default_factory=list)  # (spelling, kept spelling)
    tags_without_description: list[str] = field(default_factory=list)
    authors_new: list[str] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)
    notes: list[tuple[str, int | None, str]] = field(default_factory=list)  # (file, line, problem)
    errors: list[str] = field(default_factory=list)
    fetched: tuple[int, int] | None = None  # --bilder-laden: (loaded, refused or failed)

    # --- counting -------------------------------------------------------------

    def item(self, name: str, outcome: str) -> None:
        self.items.append((name, outcome))

    def comment(self, outcome: str) -> None:
        self.comments[outcome] += 1

    def note(self, path: str, line: int | None, problem: str) -> None:
        self.notes.append((path, line, problem))

    def outcomes(self) -> Counter[str]:
        return Counter(outcome for _name, outcome in self.items)

    def file_status(self) -> Counter[str]:
        return Counter(status for _path, status in self.files)

    @property
    def ok(self) -> bool:
        return not self.errors

    # --- formatting -----------------------------------------------------------

    def format(self) -> str:
        out = [f"Import aus „{self.source}“ ({self.kind}) in die Reihe „{self.series}“", ""]
        if self.errors:
            out += ["Abgebrochen, es wurde nichts geschrieben:", *(f"  {e}" for e in self.errors), ""]
        out += self._counts("Beiträge und Seiten", self.outcomes(), len(self.items))
        out += self._counts("Kommentare", self.comments, sum(self.comments.values()))
        skipped = [(n, o) for n, o in self.items if o.startswith("übersprungen")]
        if skipped:
            out += ["Übersprungen:", *(f"  {n}: {o.removeprefix('übersprungen: ')}" for n, o in skipped), ""]
        if self.files:
            status = self.file_status()
            out.append("Dateien: " + ", ".join(f"{count} {name}" for name, count in sorted(status.items())))
            out += [f"  {status_name}: {path}" for path, status_name in self.files if status_name != "unverändert"]
            if status.get(KEPT):
                out.append("  Vorhandene Dateien, die der Import ändern würde, bleiben unverändert; "
                           "„--ersetzen“ (make import … ERSETZEN=1) überschreibt sie.")
            out.append("")
        if self.fetched is not None:
            loaded, failed = self.fetched
            rest = f", nicht geladen: {failed} (siehe „Bitte prüfen“)" if failed else ""
            out += [f"Bilder vom alten Server geladen: {loaded}{rest}", ""]
        if self.tags_new or self.tags_merged or self.tags_without_description:
            out.append("Themen (data/tags.yml):")
            if self.tags_new:
                out.append("  neu: " + ", ".join(self.tags_new))
            for spelling, kept in self.tags_merged:
                out.append(f"  zusammengeführt: „{spelling}“ → „{kept}“")
            if self.tags_without_description:
                out.append("  ohne Beschreibung (bitte in data/tags.yml ergänzen): " + ", ".join(self.tags_without_description))
            out.append("")
        if self.authors_new:
            out += ["Neu in data/authors.yml (Biografie optional): " + ", ".join(self.authors_new), ""]
        if self.redirects:
            out.append(f"Weiterleitungen von alten Adressen (data/redirects.yml): {len(self.redirects)}")
            out += [f"  /{old} → {new}" for old, new in self.redirects]
            if any(old.startswith("?") for old, _new in self.redirects):
                out.append("  Kurzadressen wie /?p=123 leitet ein kleines Skript der Startseite weiter "
                           "(ohne JavaScript landen Besucher auf der Startseite).")
            out.append("")
        if self.notes:
            out.append("Bitte prüfen:")
            out += [f"  {path}{f', Zeile {line}' if line else ''}: {problem}" for path, line, problem in
                    sorted(dict.fromkeys(self.notes), key=lambda n: (n[0], n[1] or 0))]
            out.append("")
        out.append("Fertig. Prüfen Sie das Ergebnis mit „make build“ und „make serve“." if self.ok
                   else "Import abgebrochen.")
        return "\n".join(out)

    @staticmethod
    def _counts(title: str, counts: Counter[str], total: int) -> list[str]:
        lines = [f"{title}: {total} in der Quelle"]
        order = sorted(counts, key=lambda o: (o.startswith("übersprungen"), o))
        lines += [f"  {outcome}: {counts[outcome]}" for outcome in order]
        lines += [f"  zusammen: {sum(counts.values())}", ""]
        return lines


# File statuses
NEW = "neu"
SAME = "unverändert"
REPLACED = "ersetzt"
KEPT = "nicht überschrieben"
