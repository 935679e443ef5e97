"""Command line: `python -m tools.importer QUELLE [--serie …] [--medien …] [--ersetzen]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import Options
from .run import run

ROOT = Path(__file__).resolve().parent.parent.parent


class _GermanParser(argparse.ArgumentParser):
    """argparse with German headings and error messages."""

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Aufruf:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "Aufruf:", 1)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        if "required" in message:
            message = "Bitte eine Quelle angeben (WXR-Datei oder Ordner mit .md-Dateien)."
        self.exit(2, f"Fehler: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _GermanParser(
        prog="python -m tools.importer",
        description=(
            "Importiert ein bestehendes Blog in diese Website: einen WordPress-Export (WXR-Datei aus "
            "„Werkzeuge → Daten exportieren“) oder einen Ordner mit Markdown-Beiträgen (Material-Blog, "
            "Jekyll, Hugo). Schreibt Artikel nach docs/<serie>/, archivierte Kommentare nach "
            "data/comments/<serie>/, neue Themen und Autoren nach data/tags.yml und data/authors.yml "
            "und Weiterleitungen alter Adressen nach data/redirects.yml. Am Ende steht ein Bericht."
        ),
        epilog="Beispiel: make import QUELLE=export.xml SERIE=altes-blog MEDIEN=wp-content/uploads",
        add_help=False,
    )
    p.add_argument("quelle", type=Path, metavar="QUELLE", help="WXR-Datei (.xml) oder Ordner mit .md-Dateien")
    p.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen und beenden")
    p.add_argument("--serie", metavar="ORDNER",
                   help="Ordner der Reihe unter docs/ (Standard: aus dem Titel des Blogs bzw. dem Ordnernamen)")
    p.add_argument("--medien", type=Path, metavar="ORDNER",
                   help="lokale Kopie von wp-content/uploads; daraus werden Bilder und Dateien kopiert")
    p.add_argument("--ersetzen", action="store_true",
                   help="vorhandene Dateien überschreiben, die der Import ändern würde (sonst bleiben sie unverändert)")
    p.add_argument("--ohne-seiten", action="store_true",
                   help="WordPress-Seiten überspringen (sonst nach docs/<serie>/seiten/)")
    p.add_argument("--offene-kommentare", choices=("closed", "open"), default="closed",
                   help="was aus offenen Kommentaren wird (Standard: closed, denn das Archiv ist nur lesbar)")
    p.add_argument("--bilder-laden", action="store_true",
                   help="Bilder vom alten Server laden (nur von der Adresse des Blogs, *.files.wordpress.com und "
                        "--bilder-hosts; höchstens 10 MB je Bild, nur PNG, JPEG, GIF und WebP)")
    p.add_argument("--bilder-hosts", metavar="HOSTS", default="",
                   help="weitere Server, von denen Bilder geladen werden dürfen, durch Kommas getrennt")
    p.add_argument("--als-reihe", action="store_true",
                   help="als Reihe mit Teilen anlegen statt als Blog (neueste zuerst)")
    p.add_argument("--website", type=Path, default=ROOT, metavar="ORDNER",
                   help="Ordner der Website mit mkdocs.yml (Standard: dieses Repository)")
    p._positionals.title = "Argumente"
    p._optionals.title = "Optionen"
    return p


MEMORY_BYTES = 4 * 1024**3  # a last lock: a hostile export cannot take the machine's memory


def limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on Unix
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > MEMORY_BYTES:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(MEMORY_BYTES, hard), hard))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    limit_memory()
    options = Options(
        source=args.quelle, root=args.website, series=args.serie or None, media=args.medien,
        replace=args.ersetzen, pages=not args.ohne_seiten, open_comments=args.offene_kommentare,
        as_series=args.als_reihe, fetch=args.bilder_laden,
        fetch_hosts=tuple(h.strip().lower() for h in args.bilder_hosts.split(",") if h.strip()),
    )
    report = run(options)
    print(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
