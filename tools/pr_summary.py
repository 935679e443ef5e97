"""Summary of a pull request for its contributor, in German.

Builds the site once with MkDocs' Python API (strict, like `make build`) into
`--site-dir`, then writes a Markdown summary: every article and checklist the
pull request adds or changes, with title, series and part, tags (topics that
get their page through this pull request are marked „neu“), reading time, word
count and comment state, and the problems found, or „Alles in Ordnung“; then
how to open the built site, the artifact „Vorschau der Website“.

The summary goes to the file named by $GITHUB_STEP_SUMMARY (GitHub shows it on
the run's page), else to standard output. Under GitHub Actions the build also
prints every problem as an annotation (hooks/kn/annotate.py).

    git diff --name-status main | python -m tools.pr_summary --site-dir site
    python -m tools.pr_summary docs/kooperation-netzwerke/neu.md data/tags.yml

The exit code is 0 whatever the site's problems are (the tests report those);
only a crash of the tool itself fails.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

from kn import annotate, registry
from kn.problems import Problem, error
from kn.read.articles import series_of
from kn.read.checklists import checklist_name as checklist_of
from kn.schema import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
ENV_SUMMARY = "GITHUB_STEP_SUMMARY"
STATUS_ENV = "KN_STATUS_DIR"  # written by make test: inhalte (tools/pruefen.py), produkt (pytest)
ARTIFACT = "Vorschau der Website"
STATUS = {"A": "neu", "D": "entfernt"}  # everything else: „geändert“
COMMENT_STATES = {"open": "offen", "closed": "geschlossen", "off": "ausgeschaltet"}
MARKDOWN_SPECIAL = "\\`*_[]<>|#~@"

# -----------------------------------------------------------------------------
# Command line
# -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zusammenfassung eines Pull Requests auf Deutsch.")
    parser.add_argument("files", nargs="*", help="geänderte Dateien (sonst von der Standardeingabe)")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="mkdocs.yml der Website")
    parser.add_argument("--site-dir", type=Path, default=None, help="Ordner für die gebaute Website")
    args = parser.parse_args(argv)
    lines = args.files if args.files else ([] if sys.stdin is None or sys.stdin.isatty() else sys.stdin.readlines())
    changed = annotate.changed_files(lines)
    root = args.config.resolve().parent
    result = build_site(args.config.resolve(), (args.site_dir or root / "site").resolve())
    text = render(changed, result, environ=os.environ)
    target = os.environ.get(ENV_SUMMARY)
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(text)
        print(f"Zusammenfassung geschrieben: {target}")
    else:
        sys.stdout.write(text)
    return 0


# -----------------------------------------------------------------------------
# Building
# -----------------------------------------------------------------------------


@dataclass
class Build:
    """What one build found."""

    ok: bool
    root: Path
    docs: str  # docs_dir relative to root, e.g. "docs"
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    site: registry.Site = field(default_factory=registry.Site)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.messages.append(record.getMessage())


def build_site(config_file: Path, site_dir: Path) -> Build:
    """`mkdocs build --strict` through the Python API; the hooks' state stays in
    `registry.SITE` for the summary."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = config_file.parent
    logger = logging.getLogger("mkdocs")
    warnings, console = _Warnings(), logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    console.setLevel(logging.WARNING)
    logger.addHandler(warnings)
    logger.addHandler(console)
    ok = True
    try:
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        except MkDocsException as exc:
            return Build(False, root, "docs", problems=[error("mkdocs.yml", None, str(exc))])
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except MkDocsException:
            ok = False
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(warnings)
        logger.removeHandler(console)
    # The state of the build that ran: a project's hooks/main.py imports its own
    # `kn` (a copy elsewhere, e.g. in the tests, replaces the one imported here).
    site = sys.modules["kn.registry"].SITE
    docs_dir = Path(config.docs_dir)
    problems = list(site.errors)
    annotate.locate(problems, root=root, docs_dir=docs_dir)
    return Build(ok and not problems, root, annotate.docs_prefix(root, docs_dir), problems, warnings.messages, site)


# -----------------------------------------------------------------------------
# The summary
# -----------------------------------------------------------------------------


def which_failed(environ: dict[str, str] | os._Environ) -> list[str]:
    """Which part of `make test` failed, from $KN_STATUS_DIR: the content check
    (make pruefen, „Ihr Artikel“) or the product tests („der Code der Website“)."""
    folder = environ.get(STATUS_ENV)
    if not folder:
        return []
    def state(name: str) -> str | None:
        try:
            return (Path(folder) / name).read_text(encoding="utf-8").strip()
        except OSError:
            return None
    content, product = state("inhalte"), state("produkt")
    out = []
    if content == "fehler":
        out.append("**Was fehlgeschlagen ist: Ihr Artikel.** Die Prüfung der Inhalte (`make pruefen`) hat Fehler "
                   "gefunden; sie stehen unten und an der betreffenden Zeile. Bitte korrigieren Sie Ihre Datei.")
    if product == "fehler":
        out.append("**Was fehlgeschlagen ist: der Code der Website.** Die Tests des Codes sind fehlgeschlagen – "
                   "das liegt nicht an Ihrem Artikel. Die Betreuer der Website kümmern sich darum.")
    if content == "ok" and product == "ok":
        out.append("Prüfung Ihres Artikels (`make pruefen`) und Tests des Codes der Website: bestanden.")
    elif content == "ok" and product is None:
        out.append("Prüfung Ihres Artikels (`make pruefen`): bestanden.")
    return [*out, ""] if out else []


def render(changed: dict[str, str], build: Build, *, environ: dict[str, str] | os._Environ = None) -> str:
    """The summary as GitHub-flavoured Markdown."""
    if environ is None:
        environ = {}
    docs = build.docs
    by_file = problems_by_file(build.problems, docs)
    articles = [p for p in changed if article_uri(p, docs) is not None]
    checklists = [p for p in changed if checklist_name(p, docs) is not None]
    others = [p for p in changed if p not in articles and p not in checklists]
    out = ["## Ihr Pull Request auf einen Blick", ""]
    count = len(build.problems)
    if count:
        out += [f"**{'Ein Problem' if count == 1 else f'{count} Probleme'} gefunden.** Die Website wurde nicht gebaut; "
                "die Einzelheiten stehen unten und als Hinweis an der betreffenden Zeile unter „Files changed“.", ""]
    elif build.warnings:
        out += ["**Der Bau meldet Warnungen** (siehe unten); bitte beheben Sie sie.", ""]
    else:
        out += ["**Alles in Ordnung:** Die Website ließ sich ohne Probleme bauen.", ""]
    out += which_failed(environ)
    if not changed:
        out += ["Dieser Pull Request ändert keine Dateien.", ""]
    if articles:
        out += ["### Artikel", ""]
        uris = {article_uri(p, docs) or "" for p in articles}
        for path in articles:
            out += article_section(path, changed[path], build, by_file.pop(path, []), uris)
    if checklists:
        out += ["### Checklisten", ""]
        for path in checklists:
            out += checklist_section(path, changed[path], build, by_file.pop(path, []))
    if others:
        out += ["### Weitere Dateien", ""]
        for path in others:
            out.append(f"- {code(path)} ({status(changed[path])}): {verdict(by_file.pop(path, []), inline=True)}")
        out.append("")
    rest = [p for problems in by_file.values() for p in problems]
    if rest:
        out += ["### Probleme in anderen Dateien", ""]
        out += [f"- {code(annotate.repo_path(p.src, docs=docs)) + ': ' if getattr(p, 'src', None) else ''}{problem_text(p)}" for p in rest]
        out.append("")
    if build.warnings:
        out += ["### Warnungen beim Bauen", ""] + [f"- {md(w)}" for w in build.warnings] + [""]
    out += preview_section(build, articles, environ)
    return "\n".join(out) + "\n"


def article_section(path: str, state: str, build: Build, problems: list[Problem], changed: set[str]) -> list[str]:
    uri = article_uri(path, build.docs)
    site = build.site
    article = next((a for a in site.validated_articles() if a.src_uri == uri), None)
    title = article.title if article else front_matter_title(build.root / path) or PurePosixPath(path).stem
    lines = [f"#### „{md(title)}“", "", f"- Datei: {code(path)} ({status(state)})"]
    if state == "D":
        return lines + [""]
    if article is not None:
        series = site.series.get(article.series)
        if article.draft:
            lines.append("- Entwurf: erscheint nicht auf der veröffentlichten Website")
        elif series is not None and article in series.articles:
            number, total = series.articles.index(article) + 1, len(series.articles)
            lines.append(f"- Reihe: {md(series.title)}, Teil {number} von {total}")
        lines.append("- Themen: " + ", ".join(tag_label(name, site, changed) for name in article.tags))
        reading = site.reading_of(article)
        if reading.words:
            lines.append(f"- Lesezeit: {minutes(reading.minutes)} ({reading.words} Wörter)")
        if not article.draft:
            lines.append(f"- Kommentare: {comment_text(article)}")
    lines.append(f"- Prüfung: {verdict(problems)}")
    return lines + [""]


def checklist_section(path: str, state: str, build: Build, problems: list[Problem]) -> list[str]:
    name = checklist_name(path, build.docs)
    checklist = build.site.checklists.get(name or "")
    title = checklist.title if checklist else name or path
    lines = [f"#### „{md(title)}“", "", f"- Datei: {code(path)} ({status(state)})"]
    if checklist is not None:
        users = [a.title for a in build.site.validated_articles() if checklist.name in a.checklists]
        lines.append(f"- Punkte: {len(checklist.items)}")
        lines.append("- Eingebunden in: " + (", ".join(f"„{md(t)}“" for t in users) if users else "noch keinen Artikel"))
    if state != "D":
        lines.append(f"- Prüfung: {verdict(problems)}")
    return lines + [""]


def preview_section(build: Build, articles: list[str], environ: dict[str, str] | os._Environ) -> list[str]:
    out = ["### Vorschau der Website", ""]
    if not build.ok and build.problems:
        return out + ["Eine Vorschau gibt es, sobald die Probleme oben behoben sind und die Website gebaut werden kann.", ""]
    run = run_url(environ)
    where = f"auf der [Übersichtsseite dieses Laufs]({run})" if run else "auf der Übersichtsseite dieses Laufs"
    pages = [build.site.by_uri[uri] for uri in (article_uri(p, build.docs) for p in articles) if uri in build.site.by_uri]
    pages = [a for a in pages if not a.draft]
    out += [
        f"Die gebaute Website liegt {where} ganz unten im Abschnitt „Artifacts“ als „{ARTIFACT}“. "
        "So sehen Sie Ihren Artikel, ohne etwas zu installieren:",
        "",
        f"1. „{ARTIFACT}“ anklicken; Ihr Browser lädt eine ZIP-Datei herunter.",
        "2. Die ZIP-Datei entpacken (unter Windows: Rechtsklick, „Alle extrahieren“; auf dem Mac: Doppelklick).",
    ]
    config = build.site.config
    if config is not None and not config.use_directory_urls:
        # Built for file:// (KN_DIRECTORY_URLS=false, hooks/kn/publish/preview.py): opens by double-click.
        out.append("3. Im entpackten Ordner `index.html` doppelt anklicken. Alle Seiten und Links funktionieren so; "
                   "nur die Suche braucht einen Webserver und ist in der Vorschau ausgeschaltet.")
        if pages:
            out += ["", "Ihre Seiten im entpackten Ordner:", ""]
            out += [f"- „{md(a.title)}“: `{a.url}`" for a in pages]
        return out + [""]
    out += [
        "3. Im entpackten Ordner die Datei `index.html` im Browser öffnen. Das genügt zum Lesen; "
        "manche Links zeigen dann allerdings nur einen Ordner, und die Suche funktioniert nicht.",
        "",
        "Besser: die Vorschau wie eine echte Website ausliefern. Wenn Python installiert ist, öffnen Sie im "
        "entpackten Ordner ein Terminal (Eingabeaufforderung) und geben ein:",
        "",
        "```sh",
        "python3 -m http.server --bind 127.0.0.1 8000",
        "```",
        "",
        "Unter Windows heißt der Befehl `py -m http.server --bind 127.0.0.1 8000`. "
        "Dann im Browser http://127.0.0.1:8000/ aufrufen; beenden mit Strg+C.",
    ]
    if pages:
        out += ["", "Ihre Seiten in der Vorschau:", ""]
        out += [f"- „{md(a.title)}“: http://127.0.0.1:8000/{a.url}" for a in pages]
    return out + [""]


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def docs_uri(path: str, docs: str) -> str | None:
    """'docs/serie/x.md' -> 'serie/x.md'; None for files outside docs/."""
    prefix = f"{docs}/"
    return path[len(prefix):] if path.startswith(prefix) else None


def article_uri(path: str, docs: str) -> str | None:
    """The src_uri of an article file ('docs/serie/x.md' -> 'serie/x.md'), else None."""
    uri = docs_uri(path, docs)
    if uri is None or series_of(uri) is None or PurePosixPath(uri).name == "index.md":
        return None
    return uri


def checklist_name(path: str, docs: str) -> str | None:
    """The name of a checklist file ('docs/checklisten/x.md' -> 'x'), else None."""
    uri = docs_uri(path, docs)
    return checklist_of(uri) if uri is not None else None


def problems_by_file(problems: Iterable[Problem], docs: str) -> dict[str, list[Problem]]:
    """Repository path -> its problems, in the build's order ("" for problems without file)."""
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        found.setdefault(annotate.repo_path(problem.src, docs=docs) if problem.src else "", []).append(problem)
    for listed in found.values():
        listed.sort(key=lambda p: p.line or 0)
    return found


def problem_text(problem: Problem) -> str:
    """One problem for a list: line, field and what is wrong."""
    where = [f"Zeile {problem.line}"] if problem.line else []
    if problem.field:
        where.append(annotate.title(problem.field))
    return md((", ".join(where) + ": " if where else "") + problem.detail)


def verdict(problems: list[Problem], *, inline: bool = False) -> str:
    if not problems:
        return "✅ Alles in Ordnung"
    if inline and len(problems) == 1:
        return "❌ " + problem_text(problems[0])
    return "❌ " + ("ein Problem" if len(problems) == 1 else f"{len(problems)} Probleme") + "".join(
        f"\n  - {problem_text(p)}" for p in problems
    )


def tag_label(name: str, site: registry.Site, changed: set[str]) -> str:
    """A tag, marked „neu“ when no article outside this pull request (`changed`:
    src_uris) has it yet: its topic page appears with this pull request."""
    tag = site.tags.get(name)
    others = [a for a in (tag.articles if tag else []) if a.src_uri not in changed]
    return md(name) + ("" if others else " (neu)")


def comment_text(article: registry.Article) -> str:
    text = COMMENT_STATES.get(article.comment_state, article.comment_state)
    if article.comment_count:
        count = article.comment_count
        text += f", {count} archivierte{'r' if count == 1 else ''} Kommentar{'' if count == 1 else 'e'}"
    return text


def minutes(count: int) -> str:
    return "1 Minute" if count == 1 else f"{count} Minuten"


def status(state: str) -> str:
    return STATUS.get(state, "geändert")


def front_matter_title(path: Path) -> str | None:
    """The title of an article that did not validate, if it can be read."""
    text = annotate.read_text(path)
    if text is None:
        return None
    meta, _body, _problems = split_front_matter(path.name, text)
    title = (meta or {}).get("title")
    return title if isinstance(title, str) and title.strip() else None


def run_url(environ: dict[str, str] | os._Environ) -> str | None:
    parts = [environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    return f"{parts[0]}/{parts[1]}/actions/runs/{parts[2]}" if all(parts) else None


def md(text: str) -> str:
    """Text from contributors, shown literally in Markdown."""
    text = " ".join(str(text).split())
    return "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in text)


def code(path: str) -> str:
    """A file name in a code span: no backtick, line break or other control
    character of it can end the span or the line."""
    return "`" + annotate.log_value(" ".join(str(path).split())).replace("`", "'") + "`"


if __name__ == "__main__":
    sys.exit(main())
