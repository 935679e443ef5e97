"""Create a new article from the template: `make artikel TITEL="…"`.

Run from the repository root as `python -m tools.new_article "Titel"`. It
writes `docs/<series>/<slug>.md` with today's date, `draft: true` and
placeholders that already build under `--strict`, and prints the path.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from text import slugify

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERIES = "kooperation-netzwerke"
TEMPLATE = """\
---
title: {title}
description: Ein Satz, der sagt, was Leserinnen und Leser in diesem Artikel erfahren.
date: {date}
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
    parser.add_argument("--serie", default=DEFAULT_SERIES)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--datum", default=None, help="JJJJ-MM-TT, Standard: heute")
    args = parser.parse_args(argv)

    title = " ".join(args.titel.split())
    slug = slugify(title)
    if not slug:
        print(f"Aus dem Titel '{args.titel}' lässt sich kein Dateiname bilden.", file=sys.stderr)
        return 2
    target = args.docs / args.serie / f"{slug}.md"
    if target.exists():
        print(f"Die Datei {target.relative_to(args.docs.parent)} gibt es schon. Bitte einen anderen Titel wählen.", file=sys.stderr)
        return 1
    date = args.datum or datetime.date.today().isoformat()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(TEMPLATE.format(title=yaml_text(title), date=date), encoding="utf-8")
    print(target.relative_to(args.docs.parent))
    return 0


def yaml_text(value: str) -> str:
    """A title as a YAML string that survives colons, quotes and '#'."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    sys.exit(main())
