"""Create a new article from the template: `make artikel TITEL="…" SERIE="…"`.

Run from the repository root as `python -m tools.new_article "Titel"`. It
writes `docs/<series>/<slug>.md` with today's date, `draft: true` and
placeholders that already build under `--strict`, and prints the path. A
series that does not exist yet gets its overview page `index.md` first.
Without SERIE the only existing series is used.

SERIE names an existing series by its folder or its title (umlauts, case and
„&“/„und“ do not matter); the tool says on stderr which one it chose. A name
close to an existing series but not it is refused with „Meinten Sie …“;
`--neue-reihe` (make artikel … NEU=1) creates the new series anyway.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import sys
from pathlib import Path

from kn.markdown.typography import h1_headings, markdown_to_text
from kn.names import RESERVED
from kn.schema import split_front_matter
from kn.text import slugify

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
    parser.add_argument("--neue-reihe", action="store_true", help="eine neue Reihe anlegen, auch wenn eine ähnlich heißt")
    args = parser.parse_args(argv)

    title = " ".join(args.titel.split())
    slug = slugify(title)
    if not slug:
        print(f"Aus dem Titel '{args.titel}' lässt sich kein Dateiname bilden.", file=sys.stderr)
        return 2
    series, note, problem = choose_series(args.serie, args.docs, new=args.neue_reihe)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    print(note, file=sys.stderr)
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


SIMILAR = 0.75  # difflib ratio from which a new name is "close" to an existing series


def choose_series(wanted: str, docs: Path, *, new: bool = False) -> tuple[str, str, str | None]:
    """The series folder for SERIE (a folder name or a title), a German note
    saying which series was chosen, and a German problem (or None)."""
    titles = series_titles(docs)
    existing = sorted(titles)
    if not wanted.strip():
        if len(existing) == 1:
            return existing[0], chosen(existing[0], titles), None
        known = ", ".join(f"„{titles[f]}“ ({f})" for f in existing) or "keine"
        return "", "", f'Bitte die Reihe angeben: make artikel TITEL="…" SERIE="…". Vorhandene Reihen: {known}.'
    series = slugify(wanted)
    if not series:
        return "", "", f"Aus dem Namen der Reihe '{wanted}' lässt sich kein Ordnername bilden."
    found = find_series(wanted, titles)
    if found:
        return found, chosen(found, titles), None
    if series in RESERVED:
        return "", "", f"Der Ordner '{series}' ist für andere Seiten reserviert. Bitte einen anderen Namen für die Reihe wählen."
    close = [] if new else similar_series(wanted, titles)
    if close:
        names = " oder ".join(f"„{titles[f]}“ (SERIE={f})" for f in close)
        return "", "", (
            f"Eine Reihe „{wanted.strip()}“ gibt es nicht. Meinten Sie {names}? "
            f"Für eine wirklich neue Reihe mit diesem Namen: make artikel … NEU=1 (bzw. --neue-reihe)."
        )
    return series, f"Neue Reihe „{' '.join(wanted.split())}“ in docs/{series}/.", None


def series_titles(docs: Path) -> dict[str, str]:
    """Folder -> title of every series (its index.md's `title` or first '# ' heading)."""
    titles = {}
    for index in sorted(docs.glob("*/index.md")):
        folder = index.parent.name
        if folder in RESERVED:
            continue
        meta, body, _problems = split_front_matter(str(index), index.read_text(encoding="utf-8"))
        title = (meta or {}).get("title")
        if not isinstance(title, str) or not title.strip():
            headings = h1_headings(body)
            title = markdown_to_text(headings[0][1]) if headings else folder
        titles[folder] = " ".join(str(title).split())
    return titles


def comparable(name: str) -> str:
    """A name as compared: as its folder name would be (ä = ae, „&“ = und, lower case), without hyphens."""
    return slugify(name).replace("-", "")


def find_series(wanted: str, titles: dict[str, str]) -> str | None:
    """The series SERIE names exactly: its folder, or its title as written or as a folder name."""
    if wanted.strip() in titles:
        return wanted.strip()
    key = comparable(wanted)
    for folder, title in titles.items():
        if key in (comparable(title), comparable(folder)):
            return folder
    return None


def similar_series(wanted: str, titles: dict[str, str]) -> list[str]:
    """Existing series whose folder or title is close to `wanted` (best first)."""
    key = comparable(wanted)
    scores = {}
    for folder, title in titles.items():
        scores[folder] = max(difflib.SequenceMatcher(None, key, comparable(name)).ratio() for name in (folder, title))
    return sorted((f for f, score in scores.items() if score >= SIMILAR), key=lambda f: -scores[f])


def chosen(folder: str, titles: dict[str, str]) -> str:
    return f"Reihe „{titles[folder]}“ (docs/{folder}/)."


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
