"""Create a new article from the template: `make artikel TITEL="…" SERIE="…"`.

Run from the repository root as `python -m tools.new_article "Titel"`. It
writes `docs/<series>/<slug>.md` with today's date, `draft: true` and
placeholders that already build under `--strict`, and prints the path. A
series that does not exist yet gets its overview page `index.md` first.
Without SERIE the only existing series is used.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from articles import RESERVED
from schema import split_front_matter
from text import slugify

ROOT = Path(__file__).resolve().parent.parent
SERIES_TEMPLATE = """\
---
title: {title}
description: Ein Satz, der sagt, worum es in dieser Reihe geht.
---

Hier stellen Sie die Reihe in wenigen Sätzen vor. Die Liste aller Teile erscheint darunter von selbst.
"""
TEMPLATE = """\
---
title: {title}
description: Ein Satz, der sagt, was Leserinnen und Leser in diesem Artikel erfahren.
date: {date}
# Nummer des Teils in der Reihe (Reihenfolge); ohne „teil“ zählt das Datum.
{part}
# Themen aus data/tags.yml; ein neues Thema dort im selben Pull Request vorschlagen.
tags:
  - Partnersuche
# open, closed oder off
comments: open
# IDs aus data/authors.yml
authors:
  - redaktion
# Entwurf: erscheint nur in der Vorschau (make serve). Zum Veröffentlichen entfernen.
draft: true
# Checkliste einbinden: im Text eine eigene Zeile --8<-- "checklisten/<name>.md"
---

Hier beginnt der Artikel mit einem kurzen Einstieg: Worum geht es, und für wen ist das wichtig?

## Erster Abschnitt

Schreiben Sie in der Sie-Form, in ganzen Absätzen und mit konkreten Beispielen aus der Praxis.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Neuen Artikel anlegen")
    parser.add_argument("titel")
    parser.add_argument("--serie", default="", help="Ordner oder Titel der Reihe; ohne Angabe die einzige Reihe")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--datum", default=None, help="JJJJ-MM-TT, Standard: heute")
    args = parser.parse_args(argv)

    title = " ".join(args.titel.split())
    slug = slugify(title)
    if not slug:
        print(f"Aus dem Titel '{args.titel}' lässt sich kein Dateiname bilden.", file=sys.stderr)
        return 2
    series, problem = choose_series(args.serie, args.docs)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    folder = args.docs / series
    target = folder / f"{slug}.md"
    if target.exists():
        print(f"Die Datei {target.relative_to(args.docs.parent)} gibt es schon. Bitte einen anderen Titel wählen.", file=sys.stderr)
        return 1
    date = args.datum or datetime.date.today().isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    overview = folder / "index.md"
    if not overview.exists():
        series_title = " ".join(args.serie.split()) if slugify(args.serie) != args.serie.strip() else series.replace("-", " ").capitalize()
        overview.write_text(SERIES_TEMPLATE.format(title=yaml_text(series_title)), encoding="utf-8")
        print(overview.relative_to(args.docs.parent))
    target.write_text(TEMPLATE.format(title=yaml_text(title), date=date, part=part_line(folder)), encoding="utf-8")
    print(target.relative_to(args.docs.parent))
    return 0


def choose_series(wanted: str, docs: Path) -> tuple[str, str | None]:
    """The series folder for SERIE (a folder name or a title), or a German problem."""
    existing = sorted(p.parent.name for p in docs.glob("*/index.md") if p.parent.name not in RESERVED)
    if not wanted.strip():
        if len(existing) == 1:
            return existing[0], None
        known = ", ".join(existing) or "keine"
        return "", f'Bitte die Reihe angeben: make artikel TITEL="…" SERIE="…". Vorhandene Reihen: {known}.'
    series = slugify(wanted)
    if not series:
        return "", f"Aus dem Namen der Reihe '{wanted}' lässt sich kein Ordnername bilden."
    if series in RESERVED:
        return "", f"Der Ordner '{series}' ist für andere Seiten reserviert. Bitte einen anderen Namen für die Reihe wählen."
    return series, None


def part_line(folder: Path) -> str:
    """`teil: N`, one more than the highest part in the series (1 for a new
    series); commented out when an article there has no `teil`, since numbered
    parts come before unnumbered ones."""
    parts = []
    for path in folder.glob("*.md"):
        if path.name != "index.md":
            meta, _body, _problems = split_front_matter(path.name, path.read_text(encoding="utf-8"))
            part = (meta or {}).get("teil")
            parts.append(part if isinstance(part, int) and not isinstance(part, bool) else None)
    if None in parts:
        return "# teil: 1"
    return f"teil: {max(parts, default=0) + 1}"


def yaml_text(value: str) -> str:
    """A title as a YAML string that survives colons, quotes and '#'."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    sys.exit(main())
