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
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kn import names
from tools.localsite import article, copy_example_comments, copy_sources

SERIES = "kooperation-netzwerke"
ARTICLE = f"docs/{SERIES}/feindlich.md"
ARTICLE_SRC = f"{SERIES}/feindlich.md"
COMMENTS = f"{names.COMMENTS_DIR}/{SERIES}/vorsicht-bei-kooperationsangeboten.yml"
CHECKLIST = f"docs/{names.CHECKLISTS}/partner-pruefen.md"
TAGS = names.TAGS_FILE
AUTHORS = names.AUTHORS_FILE
MB = 1_000_000
MAX_SECONDS = 30


@dataclass(frozen=True)
class Case:
    write: Callable[[Path], None]
    needles: tuple[str, ...]  # in the build's output; () for a build that must pass
    env: dict[str, str] = field(default_factory=dict)
    secret: str | None = None  # must NOT appear in the output
    # Built by tests/test_hardening.py too; the cases of the second round
    # (ROUND_TWO) are unit-tested rule by rule and wired by one build each in
    # tests/test_hardening_build.py, so that `make test` does not build 50 sites.
    in_tests: bool = True
    # Most processor time the whole build may take (ROUND_TWO): measured as the
    # build process's CPU seconds, which the load of a shared machine does not
    # inflate the way it inflates wall-clock time.
    cpu_seconds: float | None = None

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
# Round two (issues #26 and #30): the body, files beside it, redirects, names
# -----------------------------------------------------------------------------

REDIRECTS = names.REDIRECTS_FILE
TARGET = f"{SERIES}/kooperation-beenden.md"
CPU_SECONDS = 2.0
SECRET = "kn-geheim-4711"


def body(text: str) -> Callable[[Path], None]:
    return new_article(text + "\n")


def front(rel: str, line: str) -> Callable[[Path], None]:
    """Add a front-matter line to an existing page (or give it front matter)."""
    def write(root: Path) -> None:
        text = (root / rel).read_text(encoding="utf-8")
        put(root, rel, "---\n" + line + "\n" + text[4:] if text.startswith("---\n") else f"---\n{line}\n---\n\n{text}")
    return write


def raw_name(name: bytes, content: str = "Text.\n") -> Callable[[Path], None]:
    def write(root: Path) -> None:
        folder = os.fsencode(root / "docs" / SERIES)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(content)
    return write


def hard_link(root: Path) -> None:
    secret = root.parent / f"{root.name}-geheim.txt"
    secret.write_text(f"root:x:0:0:{SECRET}\n", encoding="utf-8")
    os.link(secret, root / "docs" / "bilder-geheim.md")


def docs_elsewhere(root: Path) -> None:
    elsewhere = root.parent / f"{root.name}-anderswo"
    (root / "docs").rename(elsewhere)
    (root / "docs").symlink_to(elsewhere)


def duplicate_page(root: Path) -> None:
    put(root, f"docs/{SERIES}/neu.md", article("Neu"))
    put(root, f"docs/{SERIES}/neu/index.md", article("Neu, noch einmal"))


ROUND_TWO: dict[str, Case] = {
    # data/redirects.yml: checked before it is parsed
    "weiterleitungen-tief": Case(replace(REDIRECTS, "a: " + DEEP), (REDIRECTS, "tiefer als 10 Ebenen")),
    "weiterleitungen-latin1": Case(replace(REDIRECTS, f"größe/: {TARGET}\n".encode("latin-1")), (REDIRECTS, "Byteposition")),
    "weiterleitungen-10mb": Case(replace(REDIRECTS, "".join(f"alt/{n}/: {TARGET}\n" for n in range(250_000))), (REDIRECTS, "1.000.000 Bytes")),
    "weiterleitungen-ja": Case(replace(REDIRECTS, f"yes: {TARGET}\n~: {TARGET}\n"), (REDIRECTS, "Feld 'yes', Zeile 1", "Feld '~', Zeile 2")),
    "weiterleitungen-doppelt": Case(replace(REDIRECTS, f"alt/: {TARGET}\nalt: {TARGET}\n"), (REDIRECTS, "'alt'", "'alt/'", "dieselbe Datei")),
    "weiterleitungen-schluessel": Case(replace(REDIRECTS, f"alt/: {TARGET}\nalt/: {SERIES}/index.md\n"), (REDIRECTS, "Feld 'alt/'", "doppelt")),
    "weiterleitungen-esc": Case(replace(REDIRECTS, f'"alt\\e[31m/": {TARGET}\n'), (REDIRECTS, "Steuerzeichen")),
    "weiterleitung-feed": Case(replace(REDIRECTS, f"feed.xml: {TARGET}\n"), (REDIRECTS, "'feed.xml'", "Atom-Feed")),
    "weiterleitung-vorschaubild": Case(replace(REDIRECTS, f"assets/vorschau/x.png/: {TARGET}\n"), (REDIRECTS, "Vorschaubilder")),
    "weiterleitung-404": Case(replace(REDIRECTS, f"404.html: {TARGET}\n"), (REDIRECTS, "„nicht gefunden“")),
    "weiterleitung-startseite": Case(replace(REDIRECTS, f"index.html: {TARGET}\n"), (REDIRECTS, "'docs/index.md'")),
    "weiterleitung-reihe": Case(replace(REDIRECTS, f"{SERIES}/: {TARGET}\n"), (REDIRECTS, f"'docs/{SERIES}/index.md'")),
    "weiterleitung-fremd": Case(replace(REDIRECTS, "alt/: https://evil.example/\n"), (REDIRECTS, "keine Seite unter docs/")),
    # Front-matter keys Material reads, on every kind of page
    "vorlage-passwd": Case(lambda root: put(root, "docs/impressum.md", (root / "docs/impressum.md").read_text(encoding="utf-8")
                                            .replace("template: impressum.html", "template: ../../etc/passwd")),
                           ("impressum.md", "Feld 'template'", "keine Vorlage")),
    "vorlage-redirect": Case(front("docs/datenschutz.md", "template: redirect.html\nlocation: https://evil.example/"),
                             ("datenschutz.md", "Feld 'template'", "Feld 'location'")),
    "vorlage-artikel": Case(new_article(template="redirect.html"), (ARTICLE_SRC, "Feld 'template'", "unbekanntes Feld")),
    "icon-passwd": Case(front(f"docs/{SERIES}/index.md", "icon: ../../etc/passwd"), (f"{SERIES}/index.md", "Feld 'icon'")),
    "untertitel-skript": Case(front(f"docs/{SERIES}/index.md", "subtitle: '<script>alert(1)</script>'"), (f"{SERIES}/index.md", "Feld 'subtitle'")),
    "status-skript": Case(front(f"docs/{SERIES}/index.md", "status: '\"><script>alert(1)</script>'"), (f"{SERIES}/index.md", "Feld 'status'")),
    "autor-startseite": Case(front("docs/index.md", "author: '\"><script>alert(1)</script>'"), ("'index.md'", "Feld 'author'")),
    "unterordner": Case(lambda root: put(root, f"docs/{SERIES}/2024/x.md", article("Tief", author="x")), (f"{SERIES}/2024/x.md", "Unterordner")),
    # Markdown constructs, counted before Python-Markdown sees them
    "div-5000": Case(body("<div>" * 5_000), (ARTICLE_SRC, "100 Ebenen")),
    "ueberschriften-20000": Case(body("\n".join(f"# Ü{n}" for n in range(20_000))), (ARTICLE_SRC, "Überschriften")),
    "anfuehrungszeichen-100000": Case(body('"' * 100_000), (ARTICLE_SRC, "Anführungszeichen")),
    "html-kommentare": Case(body("<!-- x -->" * 20_000), (ARTICLE_SRC, "HTML-Kommentare")),
    "entities": Case(body("&amp;" * 50_000), (ARTICLE_SRC, "„&“")),
    "backslashes": Case(body("\\" * 250_000), (ARTICLE_SRC, "Backslashes")),
    "kleiner-299kb": Case(body("<" * 299_000), (ARTICLE_SRC, "„<“")),
    "deklaration": Case(body("Text.\n\n<![>"), (ARTICLE_SRC, "Zeile 12", "<![")),
    # Names and links
    "dateiname-latin1": Case(raw_name("gr\xf6\xdfe.md".encode("latin-1")), ("nicht in UTF-8",)),
    "dateiname-workflow": Case(raw_name(b"neu\n::warning file=x::gefaelscht.md"), ("'\\n'", "Dateiname")),
    "harter-link": Case(hard_link, ("docs/bilder-geheim.md", "harter Link"), secret=SECRET),
    "link-daten": Case(symlink("docs/daten", "../data"), ("docs/daten", "symbolischer Link")),
    "docs-ist-link": Case(docs_elsewhere, ("'docs'", "aus dem Repository hinaus")),
    # Files beside the articles
    "datei-js": Case(lambda root: put(root, "docs/bilder/x.js", "alert(1)"), ("docs/bilder/x.js", "'.js'")),
    "datei-html": Case(lambda root: put(root, "docs/x.html", "<script>alert(1)</script>"), ("docs/x.html", "'.html'")),
    "datei-svg": Case(lambda root: put(root, "docs/bilder/x.svg", "<svg onload=alert(1)/>"), ("docs/bilder/x.svg", "SVG-Bild enthält", "onload")),
    "datei-falsches-png": Case(lambda root: put(root, "docs/bilder/x.png", "<script>alert(1)</script>"), ("docs/bilder/x.png", "kein PNG-Bild")),
    "datei-feed": Case(lambda root: put(root, "docs/feed.xml", "<feed/>"), ("docs/feed.xml", "schreibt die Website selbst 'feed.xml'")),
    "seite-doppelt": Case(duplicate_page, (f"docs/{SERIES}/neu/index.md", f"'docs/{SERIES}/neu.md'")),
    # Raw HTML in the body
    "text-script": Case(body("Text.\n\n<script>alert(1)</script>"), (ARTICLE_SRC, "Zeile 12", "<script>")),
    "text-iframe": Case(body('Text.\n\n<iframe src="../x/"></iframe>'), (ARTICLE_SRC, "Zeile 12", "<iframe>")),
    "text-meta-refresh": Case(body('<meta http-equiv="refresh" content="0; url=https://evil.example/">'), (ARTICLE_SRC, "<meta>")),
    "text-onerror": Case(body("<img src=x.png onerror=alert(1)>"), (ARTICLE_SRC, "onerror=")),
    "text-javascript": Case(body('<a href="jav&#x09;ascript:alert(1)">x</a>'), (ARTICLE_SRC, "javascript:")),
    "text-data-link": Case(body("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"), (ARTICLE_SRC, "data:")),
    "text-srcdoc": Case(body('<iframe srcdoc="<script>alert(1)</script>"></iframe>'), (ARTICLE_SRC, "srcdoc=")),
    "text-form": Case(body('<form action="https://evil.example/"><input name=q></form>'), (ARTICLE_SRC, "<form>")),
    "text-base": Case(body('<base href="https://evil.example/">'), (ARTICLE_SRC, "<base>")),
    "text-clobbering": Case(body('<img src="x.png" name="currentScript">'), (ARTICLE_SRC, "name=")),
    "text-video-nachbau": Case(body('<figure data-kn-video data-kn-video-src="https://www.youtube-nocookie.com/embed/x"></figure>'),
                               (ARTICLE_SRC, "data-kn-video")),
    # Workflow commands in what the log prints
    "schluessel-workflow": Case(new_article(**{'"a\\n::add-mask::geheim"': "1"}), (ARTICLE_SRC, "Zeilenumbruch"),
                                secret="\n::add-mask::"),
    "thema-workflow": Case(new_article(tags='["Neu\\n::error::gefaelscht"]'), (ARTICLE_SRC, "unbekanntes Thema"),
                           secret="\n::error::"),
}
CASES.update({name: Case(case.write, case.needles, case.env, case.secret, in_tests=False, cpu_seconds=CPU_SECONDS)
              for name, case in ROUND_TWO.items()})

# -----------------------------------------------------------------------------
# Running
# -----------------------------------------------------------------------------


def build(project: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run one build: (result, wall-clock seconds, CPU seconds of the build process)."""
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
        cwd=project, env=environment, capture_output=True, text=True, timeout=300,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, seconds, cpu


def input_size(project: Path) -> int:
    return sum(p.stat().st_size for p in project.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description="Bauzeiten bei feindlichen Eingaben messen.")
    parser.add_argument("names", nargs="*", help="nur diese Fälle (Standard: alle)")
    args = parser.parse_args()
    names = args.names or list(CASES)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        # A plain build of the same sources, for comparison.
        plain = copy_sources(Path(tmp) / "plain")
        copy_example_comments(plain)
        build(plain, {})  # the first build draws the preview images
        _result, wall, cpu = build(plain, {})
        print(f"Normaler Bau derselben Quellen: {wall:.2f} s, davon {cpu:.2f} s Rechenzeit")
        print(f"{'Fall':<28} {'Eingabe':>10} {'Zeit':>8} {'CPU':>7}  Ergebnis")
        for number, name in enumerate(names):
            case = CASES[name]
            project = copy_sources(Path(tmp) / f"p{number}")
            copy_example_comments(project)  # the cases break a comments file too
            case.write(project)
            size = f"{input_size(project) / MB:.1f} MB"
            result, seconds, cpu = build(project, case.env)
            output = result.stdout + result.stderr
            ok = seconds < MAX_SECONDS and "Traceback" not in output
            if case.cpu_seconds is not None:
                ok = ok and cpu < case.cpu_seconds
            if case.passes:
                ok = ok and result.returncode == 0
                summary = "gebaut" if result.returncode == 0 else "FEHLER: " + output.strip().splitlines()[-1]
            else:
                ok = ok and result.returncode != 0 and all(n in output for n in case.needles)
                lines = [line.strip() for line in output.splitlines() if line.strip().startswith("Fehler in")]
                summary = lines[0][:110] if lines else output.strip().splitlines()[-1][:110]
            failures += not ok
            print(f"{name:<28} {size:>10} {seconds:>7.2f}s {cpu:>6.2f}s  {'ok ' if ok else 'NEIN'} {summary}", flush=True)
    print("Alle Bauvorgänge enden rechtzeitig mit der erwarteten Meldung (die Fälle der zweiten Runde nach höchstens "
          f"{CPU_SECONDS:.0f} s Rechenzeit)." if not failures else f"{failures} Fälle nicht wie erwartet.")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
