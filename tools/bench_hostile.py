"""Benchmark: how long does a build take on hostile input?

Builds a copy of the site once per worst case (every input ≤ 10 MB): broken
encodings, deeply nested YAML, billion laughs, pathological Markdown, control
characters, endless reply chains, links out of the repository, and inputs just
inside every limit. Prints each build's time and the first line of its German
message. Every build must end within 30 seconds: with the message for a
hostile case, successfully for a case at the limits.

The cases are also the fixtures of tests/test_hardening.py (which asserts the
messages, not the times). Run with `python tools/bench_hostile.py [NAME …]`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tools.localsite import article, copy_example_comments, copy_sources

SERIES = "kooperation-netzwerke"
ARTICLE = f"docs/{SERIES}/feindlich.md"
ARTICLE_SRC = f"{SERIES}/feindlich.md"
COMMENTS = f"data/comments/{SERIES}/vorsicht-bei-kooperationsangeboten.yml"
CHECKLIST = "docs/checklisten/partner-pruefen.md"
TAGS = "data/tags.yml"
AUTHORS = "data/authors.yml"
MB = 1_000_000
MAX_SECONDS = 30


@dataclass(frozen=True)
class Case:
    write: Callable[[Path], None]
    needles: tuple[str, ...]  # in the build's output; () for a build that must pass
    env: dict[str, str] = field(default_factory=dict)
    secret: str | None = None  # must NOT appear in the output

    @property
    def passes(self) -> bool:
        return not self.needles


# -----------------------------------------------------------------------------
# Writers
# -----------------------------------------------------------------------------


def put(root: Path, rel: str, content: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


def recode(rel: str, encoding: str) -> Callable[[Path], None]:
    """Re-save an existing file in another encoding."""
    def write(root: Path) -> None:
        put(root, rel, (root / rel).read_text(encoding="utf-8").encode(encoding))
    return write


def new_article(body: str = "Ein Absatz mit Text.\n", encoding: str = "utf-8", **fields: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        fields.setdefault("title", "Ein feindlicher Artikel")
        text = article(**fields).replace("Ein Absatz mit Text.\n", body)
        put(root, ARTICLE, text.encode(encoding))
    return write


def append(rel: str, text: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        put(root, rel, (root / rel).read_text(encoding="utf-8") + text)
    return write


def replace(rel: str, content: str) -> Callable[[Path], None]:
    return lambda root: put(root, rel, content)


def comment_text(text: str) -> Callable[[Path], None]:
    """One archived comment with this text (as a YAML block scalar)."""
    block = "".join("    " + line + "\n" for line in text.split("\n"))
    return replace(COMMENTS, f"- author: Anna\n  date: 2026-11-21\n  text: |\n{block}")


def billion_laughs(key: str) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    lines.append(f"{key}: *i")
    return "\n".join(lines) + "\n"


def laughs_index(root: Path) -> None:
    put(root, f"docs/{SERIES}/index.md", "---\n" + billion_laughs("title") + "---\n\nText.\n")


def reply_chain(levels: int) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        entries = ["- author: A\n  date: 2026-11-21\n  text: Erster.\n"]
        for number in range(1, levels):
            entries.append(f"- author: A\n  date: 2026-11-21\n  reply_to: {number}\n  text: Antwort {number}.\n")
        put(root, COMMENTS, "".join(entries))
    return write


def symlink(rel: str, target: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target)
    return write


def also(*writers: Callable[[Path], None]) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        for writer in writers:
            writer(root)
    return write


def dense_text(chars: int, links: int, emphasis: int) -> str:
    """German-looking prose of about `chars` characters with `links` links and
    `emphasis` emphasised words, spread over paragraphs within the limits."""
    words = "Kooperation braucht klare Absprachen und ein offenes Gespräch über Ziele ".split()
    parts = [f"[{w}](https://example.org/)" if i < links else f"*{w}*" if i < links + emphasis else w
             for i, w in zip(range(chars // 8), itertools.cycle(words))]
    random.Random(1).shuffle(parts)
    paragraphs = [" ".join(parts[i:i + 100]) for i in range(0, len(parts), 100)]
    return "\n\n".join(paragraphs)[:chars].rsplit(" ", 1)[0]


def at_limit_comments(root: Path) -> None:
    """Just inside every comment limit: ~1 MB of comments of 9 000 characters,
    together 4 900 links and 4 900 emphasised words (9 800 "*")."""
    count = 990_000 // 9_200
    text = dense_text(9_000, 4_900 // count, 4_900 // count)
    one = "".join("    " + line + "\n" for line in text.split("\n"))
    put(root, COMMENTS, f"- author: Anna\n  date: 2026-11-21\n  text: |\n{one}" * count)


def at_limit_article(root: Path) -> None:
    """Just inside the page limits: a ~295 KB article with 4 900 links and
    4 900 emphasised words."""
    new_article(dense_text(290_000, 4_900, 4_900) + "\n")(root)


# -----------------------------------------------------------------------------
# The cases
# -----------------------------------------------------------------------------

DEEP = "[" * 100_000
CASES: dict[str, Case] = {
    # Encodings
    "artikel-latin1": Case(new_article(encoding="latin-1"), (ARTICLE_SRC, "Byteposition", "UTF-8")),
    "artikel-utf16": Case(new_article(encoding="utf-16"), (ARTICLE_SRC, "UTF-16")),
    "checkliste-latin1": Case(recode(CHECKLIST, "latin-1"), ("checklisten/partner-pruefen.md", "Byteposition")),
    "kommentare-utf16": Case(recode(COMMENTS, "utf-16"), (COMMENTS, "UTF-16")),
    "tags-latin1": Case(recode(TAGS, "latin-1"), (TAGS, "Byteposition")),
    "autoren-utf16": Case(recode(AUTHORS, "utf-16"), (AUTHORS, "UTF-16")),
    # Deep YAML and billion laughs
    "kommentare-tief": Case(replace(COMMENTS, DEEP), (COMMENTS, "tiefer als 10 Ebenen")),
    "kopf-tief": Case(new_article(title=DEEP), (ARTICLE_SRC, "Feld 'title.", "tiefer als 10 Ebenen")),
    "tags-tief": Case(replace(TAGS, "Netzwerken: " + DEEP), (TAGS, "Feld 'Netzwerken.", "tiefer als 10 Ebenen")),
    "autoren-tief": Case(replace(AUTHORS, "redaktion: " + DEEP), (AUTHORS, "Feld 'redaktion.", "tiefer als 10 Ebenen")),
    "serientitel-lacher": Case(laughs_index, (f"{SERIES}/index.md", "Anker und Verweise")),
    "autoren-lacher": Case(replace(AUTHORS, billion_laughs("redaktion")), (AUTHORS, "Anker und Verweise")),
    # Pathological Markdown in comments and articles
    "kommentar-klammern-990kb": Case(comment_text("[" * 990_000), (COMMENTS, "Eintrag 1, Feld 'text'", "10.000 Zeichen")),
    "kommentar-linkanfang-990kb": Case(comment_text("[x](" * 247_000), (COMMENTS, "Feld 'text'", "10.000 Zeichen")),
    "kommentar-stern-990kb": Case(comment_text("*a" * 495_000), (COMMENTS, "Feld 'text'", "10.000 Zeichen")),
    "kommentar-backticks-990kb": Case(comment_text("`" * 990_000), (COMMENTS, "Feld 'text'", "10.000 Zeichen")),
    "kommentar-listen-50000": Case(comment_text("- " * 50_000 + "x"), (COMMENTS, "Feld 'text'", "10.000 Zeichen")),
    "kommentar-klammern": Case(comment_text("[x](" * 2_000), (COMMENTS, "Eintrag 1, Feld 'text'", "„[“")),
    "kommentar-stern": Case(comment_text("*a" * 4_000), (COMMENTS, "Eintrag 1, Feld 'text'", "„*“")),
    "kommentar-backticks": Case(comment_text("`" * 9_000), (COMMENTS, "Eintrag 1, Feld 'text'", "„`“")),
    "kommentar-listen": Case(comment_text("- " * 4_000 + "x"), (COMMENTS, "Eintrag 1, Feld 'text'", "verschachtelt")),
    "kommentar-zitate": Case(comment_text("> " * 4_000 + "x"), (COMMENTS, "Eintrag 1, Feld 'text'", "verschachtelt")),
    "artikel-klammern": Case(new_article("[" * 250_000), (ARTICLE_SRC, "5.000 Zeichen „[“")),
    "artikel-klammern-absatz": Case(new_article("Text.\n\n" + "[x](" * 400), (ARTICLE_SRC, "Zeile 12", "300 Zeichen „[“")),
    "artikel-stern": Case(new_article("*a" * 120_000), (ARTICLE_SRC, "10.000 Zeichen „*“")),
    "artikel-listen-50000": Case(new_article("- " * 50_000 + "x\n"), (ARTICLE_SRC, "verschachtelt")),
    "artikel-10mb": Case(new_article("Wort " * 2 * MB), (ARTICLE_SRC, "300.000 Bytes")),
    "kommentare-10mb": Case(comment_text("Wort " * 2 * MB), (COMMENTS, "1.000.000 Bytes")),
    "kommentar-klammern-1mb": Case(comment_text("[" * MB), (COMMENTS, "1.000.000 Bytes")),
    # Control characters in plain-text fields
    "titel-nul": Case(new_article(title='"Titel \\0 mit NUL"'), (ARTICLE_SRC, "Feld 'title'", "Steuerzeichen")),
    "beschreibung-vt": Case(new_article(description='"Satz \\v mit VT."'), (ARTICLE_SRC, "Feld 'description'", "Steuerzeichen")),
    "titel-esc-roh": Case(new_article(title="Titel \x1b[31m rot"), (ARTICLE_SRC, "Zeile 2", "Steuerzeichen")),
    "autor-esc": Case(replace(AUTHORS, 'redaktion:\n  name: "Re\\edaktion"\n  bio: Ein Satz.\n'), (AUTHORS, "Feld 'redaktion.name'", "Steuerzeichen")),
    "thema-fffe": Case(append(TAGS, '"Neu\\uFFFE": Ein Satz.\n'), (TAGS, "Steuerzeichen")),
    # Limits and silent mistakes
    "antwortkette-450": Case(reply_chain(450), (COMMENTS, "Feld 'reply_to'", "30 Ebenen")),
    "thema-300-zeichen": Case(append(TAGS, "A" * 300 + ": Ein Satz.\n"), (TAGS, "60 Zeichen")),
    "checklisten-marker": Case(new_article("Text.\n\n<!-- kn-checkliste:x -->\n"), (ARTICLE_SRC, "Zeile 12", "interne Markierung")),
    "heute-30-februar": Case(lambda root: None, ("KN_HEUTE", "'2026-02-30'", "Fehler in"), env={"KN_HEUTE": "2026-02-30"}),
    "heute-morgen": Case(lambda root: None, ("KN_HEUTE", "'morgen'", "Fehler in"), env={"KN_HEUTE": "morgen"}),
    "kommentare-zweite-datei": Case(lambda root: put(root, COMMENTS + "~", (root / COMMENTS).read_bytes()), (COMMENTS + "~", ".yml")),
    "checkliste-leerzeichen": Case(lambda root: put(root, "docs/checklisten/meine liste.md", (root / CHECKLIST).read_bytes()), ("checklisten/meine liste.md", "Dateiname")),
    "doppelt-autoren": Case(append(AUTHORS, "redaktion:\n  name: Jemand\n  bio: Ein Satz.\n"), (AUTHORS, "Feld 'redaktion'", "doppelt")),
    "doppelt-kommentar": Case(replace(COMMENTS, "- author: A\n  date: 2026-11-21\n  text: Eins.\n  text: Zwei.\n"), (COMMENTS, "Eintrag 1, Feld 'text'", "doppelt")),
    "doppelt-kopf": Case(new_article(draft="false\ndraft: true"), (ARTICLE_SRC, "Feld 'draft'", "doppelt")),
    "doppelt-tags": Case(append(TAGS, "Netzwerken: Noch ein Satz.\n"), (TAGS, "Feld 'Netzwerken'", "doppelt")),
    # Nothing from outside the repository
    "link-passwd": Case(symlink("docs/assets/passwd", "/etc/passwd"), ("docs/assets/passwd", "symbolischer Link"), secret="root:"),
    "link-environ": Case(symlink("docs/checklisten/umgebung.md", "/proc/self/environ"), ("docs/checklisten/umgebung.md", "symbolischer Link"), secret=os.environ.get("PATH")),
    "link-tags": Case(symlink(TAGS, "/etc/passwd"), (TAGS, "symbolischer Link"), secret="root:"),
    "link-git-config": Case(also(lambda root: put(root, ".git/config", "[http]\n\textraheader = AUTHORIZATION: basic R0hTX2dlaGVpbQ==\n"),
                                 symlink("docs/assets/config.txt", "../../.git/config")),
                            ("docs/assets/config.txt", "symbolischer Link"), secret="R0hTX2dlaGVpbQ"),
    "link-ordner": Case(symlink("docs/bilder", "/etc"), ("docs/bilder", "symbolischer Link"), secret="root:"),
    # Just inside the limits: these must build
    "grenze-kommentare": Case(at_limit_comments, ()),
    "grenze-artikel": Case(at_limit_article, ()),
}

# -----------------------------------------------------------------------------
# Running
# -----------------------------------------------------------------------------


def build(project: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
        cwd=project, env=environment, capture_output=True, text=True, timeout=300,
    )
    return result, time.perf_counter() - started


def input_size(project: Path) -> int:
    return sum(p.stat().st_size for p in project.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description="Bauzeiten bei feindlichen Eingaben messen.")
    parser.add_argument("names", nargs="*", help="nur diese Fälle (Standard: alle)")
    args = parser.parse_args()
    names = args.names or list(CASES)
    failures = 0
    print(f"{'Fall':<28} {'Eingabe':>10} {'Zeit':>8}  Ergebnis")
    with tempfile.TemporaryDirectory() as tmp:
        for number, name in enumerate(names):
            case = CASES[name]
            project = copy_sources(Path(tmp) / f"p{number}")
            copy_example_comments(project)  # the cases break a comments file too
            case.write(project)
            size = f"{input_size(project) / MB:.1f} MB"
            result, seconds = build(project, case.env)
            output = result.stdout + result.stderr
            ok = seconds < MAX_SECONDS and "Traceback" not in output
            if case.passes:
                ok = ok and result.returncode == 0
                summary = "gebaut" if result.returncode == 0 else "FEHLER: " + output.strip().splitlines()[-1]
            else:
                ok = ok and result.returncode != 0 and all(n in output for n in case.needles)
                lines = [line.strip() for line in output.splitlines() if line.strip().startswith("Fehler in")]
                summary = lines[0][:110] if lines else output.strip().splitlines()[-1][:110]
            failures += not ok
            print(f"{name:<28} {size:>10} {seconds:>7.2f}s  {'ok ' if ok else 'NEIN'} {summary}", flush=True)
    print("Alle Bauvorgänge enden rechtzeitig mit der erwarteten Meldung." if not failures else f"{failures} Fälle nicht wie erwartet.")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
