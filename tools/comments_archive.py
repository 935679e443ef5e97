"""Closing = archiving: the approved comments of closed articles from Isso into
data/comments/<article>.yml, in exactly the format of the WordPress import.

`make kommentare-archivieren` (python -m tools.comments_archive) looks at every
article that the build shows as closed (`comments: closed`, or older than
`extra.comments.close_after_days`) and reads its approved comments from Isso:
from the SQLite file (`--datenbank`, read-only) or from Isso's public HTTP API
(`--isso`, default KN_ISSO_URL or extra.comments.isso.url). Only what is public
anyway is kept: name, date, text and the thread (reply_to); never the e-mail
address, the IP address or a website. The file is written by the importer's own
planner (tools/importer/plan.py), checked by the build's own reader
(hooks/kn/read/comments.py) and written only when something is new, so a second run
changes nothing. Comments already in the file (imported from WordPress, or an
earlier run) are recognised by name, date and text and not added twice.

The page then shows them statically with „Kommentarfunktion für diesen Artikel
geschlossen.“ and makes no request to Isso (hooks/kn/read/comments.py).

`--nach-isso --datenbank FILE`: the other way round, for open articles whose
archived comments (e.g. imported from WordPress) should live on in Isso: they are
written into Isso's database as approved comments with their dates and threads,
and the YAML file is removed (the thread shows them through Isso instead).
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import os
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from kn import yamlfile
from kn.comment_providers import isso as isso_provider
from kn.names import COMMENTS_DIR, RESERVED
from kn.problems import error
from kn.read import comments
from kn.schema import LOCAL_ZONE, check_comments, check_date, split_front_matter
from tools.importer.model import Comment
from tools.importer.plan import dump, thread_entries
from tools.localsite import ROOT as ROOT_DIR

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

APPROVED = 1  # Isso's mode of a published comment (2: waiting for review, 4: deleted)
HEADER = "# Archivierte Kommentare zu docs/{uri} (aus Isso archiviert).\n"
ZONE = ZoneInfo(LOCAL_ZONE)

# -----------------------------------------------------------------------------
# Articles and their state
# -----------------------------------------------------------------------------


@dataclass
class ArticleInfo:
    uri: str  # "serie/artikel.md"
    thread: str  # Isso's thread id: "/serie/artikel/"
    state: str
    title: str = ""


def site_config(root: Path) -> dict[str, Any]:
    return yamlfile.load_config((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}


def thread_id(uri: str) -> str:
    """The page path below site_url as the site gives it to Isso (data-isso-id)."""
    path = uri.removesuffix(".md")
    path = path.removesuffix("/index") if path.endswith("/index") else path
    return f"/{path}/"


def read_articles(root: Path, extra: dict[str, Any], today: datetime.date) -> list[ArticleInfo]:
    """Every article (docs/<series>/<name>.md, no draft) with the state the
    build shows."""
    settings, _problems = comments.check_settings(extra.get("comments"))
    found = []
    docs = root / "docs"
    for path in sorted(docs.glob("*/*.md")):
        series = path.parent.name
        if series in RESERVED or path.name == "index.md" or not (path.parent / "index.md").is_file():
            continue
        uri = path.relative_to(docs).as_posix()
        meta, _body, _problems = split_front_matter(f"docs/{uri}", path.read_text(encoding="utf-8"))
        if meta is None or meta.get("draft") is True:
            continue
        date, problem = check_date(str(meta.get("date", "")))
        written, problem2 = check_comments(meta["comments"]) if "comments" in meta else (None, None)
        if problem or problem2:
            continue  # the build reports it
        day = date.astimezone(ZONE).date() if isinstance(date, datetime.datetime) else date
        state = comments.effective_state(
            written, day, default=settings.default, close_after_days=settings.close_after_days, today=today,
        )
        title = meta.get("title") if isinstance(meta.get("title"), str) else uri
        found.append(ArticleInfo(uri=uri, thread=thread_id(uri), state=state, title=title))
    return found


# -----------------------------------------------------------------------------
# Reading Isso
# -----------------------------------------------------------------------------


def local_time(timestamp: float) -> datetime.datetime:
    """Isso's UTC timestamp as German local time without zone, as the importer writes it."""
    return datetime.datetime.fromtimestamp(timestamp, ZONE).replace(tzinfo=None)


def to_comment(row: dict[str, Any]) -> Comment:
    """One approved Isso comment as the importer's Comment: Isso stores the
    name HTML-escaped, the text as the reader's Markdown."""
    author = " ".join(html.unescape(row.get("author") or "").split()) or "Anonym"
    parent = row.get("parent")
    return Comment(
        id=str(row["id"]), parent=str(parent) if parent else "", author=author,
        when=local_time(float(row["created"])), text=(row.get("text") or "").replace("\r\n", "\n"),
    )


def from_database(db: Path, threads: list[str]) -> dict[str, list[Comment]]:
    """Approved comments per thread id, read from Isso's SQLite file (read-only)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute(
            "SELECT threads.uri AS uri, comments.id, comments.parent, comments.created, comments.author, "
            "comments.text FROM comments JOIN threads ON comments.tid = threads.id WHERE comments.mode = ?",
            (APPROVED,),
        ).fetchall()
    finally:
        connection.close()
    wanted = set(threads)
    found: dict[str, list[Comment]] = {}
    for row in rows:
        if row["uri"] in wanted:
            found.setdefault(row["uri"], []).append(to_comment(dict(row)))
    return found


def from_api(url: str, threads: list[str]) -> dict[str, list[Comment]]:
    """Approved comments per thread id, from Isso's public API (what every
    reader can see: no e-mail address, no IP address)."""
    found: dict[str, list[Comment]] = {}
    for thread in threads:
        query = urllib.parse.urlencode({"uri": thread, "plain": "1"})
        try:
            with urllib.request.urlopen(f"{url}?{query}", timeout=20) as response:
                data = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:  # no thread: nobody has commented
                continue
            raise
        rows: list[dict[str, Any]] = []
        stack = list(data.get("replies", []))
        while stack:
            row = stack.pop(0)
            rows.append(row)
            stack.extend(row.get("replies") or [])
        comments_ = [to_comment(r) for r in rows if r.get("mode") == APPROVED and (r.get("text") or "").strip()]
        if comments_:
            found[thread] = comments_
    return found


# -----------------------------------------------------------------------------
# Merging into data/comments/
# -----------------------------------------------------------------------------


def entry_key(entry: dict[str, Any]) -> tuple[str, str, str]:
    return (str(entry.get("author", "")).strip(), str(entry.get("date", "")).strip(), str(entry.get("text", "")).strip())


def merge(existing: list[dict[str, Any]], new: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """`existing` entries unchanged, then the `new` ones (importer format,
    numbered from 1) not already there, with reply_to renumbered; and the
    number added."""
    known = {entry_key(e): number for number, e in enumerate(existing, start=1)}
    result = [dict(e) for e in existing]
    numbers: dict[int, int] = {}
    added = 0
    for number, entry in enumerate(new, start=1):
        key = entry_key({**entry, "date": str(entry["date"])})
        if key in known:
            numbers[number] = known[key]
            continue
        out = {"author": entry["author"], "date": entry["date"]}
        if entry.get("reply_to") in numbers:
            out["reply_to"] = numbers[entry["reply_to"]]
        out["text"] = entry["text"]
        result.append(out)
        numbers[number] = len(result)
        known[key] = len(result)
        added += 1
    return result, added


def file_text(uri: str, old_text: str | None, entries: list[dict[str, Any]]) -> str:
    """The YAML file: the old file's leading comment lines (or our header), then the entries."""
    header = ""
    for line in (old_text or "").splitlines(keepends=True):
        if not line.startswith("#"):
            break
        header += line
    return (header or HEADER.format(uri=uri)) + dump(entries)


def archive(
    root: Path, found: dict[str, list[Comment]], articles: list[ArticleInfo], smarty: dict[str, Any] | None = None,
) -> tuple[list[str], list[str]]:
    """Write the files; German report lines and problems."""
    report: list[str] = []
    problems: list[str] = []
    for article in articles:
        if article.state != "closed":
            continue
        rel = f"{COMMENTS_DIR}/{article.uri.removesuffix('.md')}.yml"
        target = root / rel
        isso_comments = found.get(article.thread, [])
        if not isso_comments:
            continue
        old_text = target.read_text(encoding="utf-8") if target.exists() else None
        existing = (yamlfile.load(old_text) or []) if old_text else []
        if not isinstance(existing, list):
            problems.append(error(rel, None, "Die Datei ist keine Liste von Kommentaren; nichts geändert."))
            continue
        entries, added = merge(existing, thread_entries(isso_comments))
        if not added:
            report.append(f"{rel}: unverändert ({len(entries)} Kommentare).")
            continue
        text = file_text(article.uri, old_text, entries)
        _checked, errors = comments.load_comments(rel, text, smarty=smarty)
        if errors:
            problems.extend(str(e) for e in errors)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        report.append(f"{rel}: {added} {'Kommentar' if added == 1 else 'Kommentare'} aus Isso archiviert (jetzt {len(entries)}).")
    return report, problems


# -----------------------------------------------------------------------------
# Bringing archived comments into Isso
# -----------------------------------------------------------------------------


def push(root: Path, db: Path, articles: list[ArticleInfo]) -> list[str]:
    """Archived comments of open articles into Isso's database (approved, with
    their dates and threads); the YAML file is removed. German report lines."""
    report = []
    connection = sqlite3.connect(db)
    try:
        for article in articles:
            if article.state != "open":
                continue
            rel = f"{COMMENTS_DIR}/{article.uri.removesuffix('.md')}.yml"
            target = root / rel
            if not target.exists():
                continue
            entries, problems = comments.load_comments(rel, target.read_text(encoding="utf-8"))
            if problems:
                report.extend(str(p) for p in problems)
                continue
            row = connection.execute("SELECT id FROM threads WHERE uri = ?", (article.thread,)).fetchone()
            tid = row[0] if row else connection.execute(
                "INSERT INTO threads (uri, title) VALUES (?, ?)", (article.thread, article.title),
            ).lastrowid
            ids: dict[int, int] = {}
            for entry in entries:
                moment = entry["date"]
                if not isinstance(moment, datetime.datetime):
                    moment = datetime.datetime.combine(moment, datetime.time(0, 0), ZONE)
                parent = ids.get(entry.get("reply_to"))
                ids[entry["number"]] = connection.execute(
                    "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text, author, email, "
                    "website, likes, dislikes, voters, notification) VALUES (?, ?, ?, NULL, 1, '0.0.0.0', ?, ?, NULL, "
                    "NULL, 0, 0, ?, 0)",
                    (tid, parent, moment.timestamp(), entry["text"], html.escape(entry["author"], quote=False), b""),
                ).lastrowid
            connection.commit()
            target.unlink()
            report.append(f"{rel}: {len(entries)} Kommentare nach Isso übertragen; die Datei ist entfernt.")
    finally:
        connection.close()
    return report


# -----------------------------------------------------------------------------
# Command line
# -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make kommentare-archivieren",
        description=("Übernimmt die freigegebenen Isso-Kommentare geschlossener Artikel nach data/comments/ "
                     "(Name, Datum, Text, Antworten; nie E-Mail- oder IP-Adressen)."),
    )
    parser.add_argument("--datenbank", type=Path, help="Isso-Datenbank (SQLite-Datei), nur lesend geöffnet")
    parser.add_argument("--isso", help="Adresse des Isso-Servers (Standard: KN_ISSO_URL bzw. extra.comments.isso.url)")
    parser.add_argument("--projekt", type=Path, default=ROOT_DIR, help="Ordner der Website (Standard: dieses Repository)")
    parser.add_argument("--nach-isso", action="store_true",
                        help="umgekehrt: archivierte Kommentare offener Artikel in die Isso-Datenbank übertragen (braucht --datenbank)")
    args = parser.parse_args(argv)
    root = args.projekt.resolve()
    try:
        config = site_config(root)
    except (OSError, yaml.YAMLError) as exc:
        print(f"Fehler: {root / 'mkdocs.yml'} lässt sich nicht lesen ({exc}).", file=sys.stderr)
        return 2
    extra = config.get("extra") or {}
    try:
        today = comments.today_from_env(os.environ.get(comments.TODAY_ENV))
    except Exception as exc:  # PluginError with the German message
        print(exc, file=sys.stderr)
        return 2
    articles = read_articles(root, extra, today)
    if args.nach_isso:
        if not args.datenbank or not args.datenbank.is_file():
            print("Fehler: --nach-isso braucht --datenbank mit der SQLite-Datei des Isso-Servers.", file=sys.stderr)
            return 2
        for line in push(root, args.datenbank, articles) or ["Keine archivierten Kommentare offener Artikel gefunden."]:
            print(line)
        return 0
    threads = [a.thread for a in articles if a.state == "closed"]
    try:
        if args.datenbank:
            if not args.datenbank.is_file():
                print(f"Fehler: Die Isso-Datenbank '{args.datenbank}' gibt es nicht.", file=sys.stderr)
                return 2
            found = from_database(args.datenbank, threads)
        else:
            raw = args.isso or os.environ.get(isso_provider.URL_ENV) or ((extra.get("comments") or {}).get("isso") or {}).get("url")
            url, problem = isso_provider.check_url(raw)
            if problem:
                print(f"Fehler: Adresse des Isso-Servers (--isso, KN_ISSO_URL oder extra.comments.isso.url): {problem}", file=sys.stderr)
                return 2
            found = from_api(url, threads)
    except (sqlite3.Error, urllib.error.URLError, OSError, ValueError) as exc:
        print(f"Fehler: Isso ließ sich nicht lesen ({exc}). Nichts geändert.", file=sys.stderr)
        return 1
    report, problems = archive(root, found, articles)
    for line in report:
        print(line)
    for problem in problems:
        print(problem, file=sys.stderr)
    written = sum(1 for line in report if "archiviert" in line)
    files = "Datei" if written == 1 else "Dateien"
    print(f"Geschlossene Artikel: {len(threads)}; mit Isso-Kommentaren: {len(found)}; neu geschrieben: {written} {files}.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
