"""One import: read the source, plan every file, check, write, report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from schema import _Loader
from text import slugify
from typography import teaser

from . import mdblog, wxr
from .html2md import Converted
from .model import ImportFailed, Options, Post, Source
from .plan import (
    MEDIA_FOLDER,
    apply_tags,
    article_text,
    assign_paths,
    comments_text,
    describe,
    dump,
    line_of,
    merge_tags,
    series_index_text,
    thread_entries,
)
from .report import Report
from .writer import Writer

RESERVED = frozenset({"assets", "checklisten", "tags", "javascripts", "stylesheets", "bilder", "seiten"})
TAGS_FILE = "data/tags.yml"
AUTHORS_FILE = "data/authors.yml"
REDIRECTS_FILE = "data/redirects.yml"
REDIRECTS_HEADER = (
    "# Old addresses of imported articles (paths under the site's root) and the page that\n"
    "# replaced them, written by the importer (tools/importer). hooks/redirects.py turns each\n"
    "# into a small static redirect page. Entries may be edited or added by hand.\n"
)


def run(options: Options) -> Report:
    """Import `options.source` into the site at `options.root`; never raises for bad input."""
    report = Report(source=options.source.name)
    try:
        _run(options, report)
    except ImportFailed as exc:
        report.errors.append(str(exc))
        report.files.clear()
    return report


def _run(options: Options, report: Report) -> None:
    source_path = options.source
    if source_path.is_dir():
        source, context = mdblog.read(source_path, options, report)
    elif source_path.is_file():
        source, context = wxr.read(source_path, options, report)
    else:
        raise ImportFailed(f"Die Quelle „{source_path}“ gibt es nicht (erwartet: eine WXR-Datei oder ein Ordner mit .md-Dateien).")
    report.kind = source.kind
    series = options.series or slugify(source.title) or "import"
    if slugify(series) != series or series in RESERVED:
        raise ImportFailed(f"„{series}“ taugt nicht als Serienordner: erlaubt sind Kleinbuchstaben, Ziffern und "
                           f"Bindestriche, nicht {', '.join(sorted(RESERVED))}. Geben Sie SERIE=<ordner> an.")
    report.series = series
    if options.media is not None and not options.media.is_dir():
        raise ImportFailed(f"Der Medienordner „{options.media}“ gibt es nicht.")
    root = options.root
    posts = source.posts
    assign_paths(posts, series)
    targets = redirect_targets(posts)

    vocabulary = load_mapping(root / TAGS_FILE)
    mapping, merged = merge_tags([p for p in posts if p.kind == "post"], vocabulary)
    report.tags_merged = merged
    writer = Writer(root, options.replace)
    for post in sorted(posts, key=lambda p: p.path):
        if post.kind == "post" and apply_tags(post, mapping, options.default_tag):
            report.note(f"docs/{post.path}", None, f"keine Themen in der Quelle; Thema „{options.default_tag}“ gesetzt.")
        if isinstance(context, wxr.Blog):
            resolver = wxr.Resolver(post, context, targets, options.media, f"{series}/{MEDIA_FOLDER}", source.media)
            converted = wxr.convert(post, resolver)
            excerpt = wxr.excerpt_text(post.excerpt)
            missing = resolver.missing
        else:
            converted, missing = mdblog.convert(post, context, targets, f"{series}/{MEDIA_FOLDER}", source.media)
            excerpt = post.excerpt
        post.body = converted.markdown
        # Without a manual excerpt the build takes the same teaser from the text
        # itself (and then shows no lead that repeats the first paragraph).
        own = post.kind == "page" or bool(excerpt.strip()) or not teaser(post.body)
        text = article_text(post, describe(excerpt, post.body, post.title) if own else None)
        writer.text(f"docs/{post.path}", text)
        add_notes(report, f"docs/{post.path}", text, converted, missing)
        if post.thread:
            writer.text(f"data/comments/{post.path[:-3]}.yml", comments_text(post, thread_entries(post.thread)))
    for rel, file in sorted(source.media.items()):
        writer.copy(f"docs/{rel}", file)
    index = root / "docs" / series / "index.md"
    if not index.exists() and any(p.kind == "post" for p in posts):
        writer.text(f"docs/{series}/index.md", series_index_text(source.title.strip() or series))
    plan_tags(writer, root, posts, vocabulary, source, report)
    plan_authors(writer, root, posts, source, report)
    plan_redirects(writer, root, posts, targets, options.replace, report)
    writer.commit(report)


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def redirect_targets(posts: list[Post]) -> dict[str, str]:
    """Old path or query -> new path of every published post; an old address
    that two items share stops the import, naming both."""
    owners: dict[str, Post] = {}
    problems = []
    for post in sorted(posts, key=lambda p: p.path):
        if post.draft:
            continue
        for url in [*post.old_urls, *post.query_urls]:
            other = owners.get(url)
            if other is not None and other is not post:
                problems.append(f"Die alte Adresse „{url}“ gehört zu zwei Einträgen: {other.source} und {post.source}.")
                continue
            owners[url] = post
    if problems:
        raise ImportFailed("\n  ".join(problems) + "\n  Korrigieren Sie die Adressen in der Quelle und importieren Sie erneut.")
    return {url: post.path for url, post in owners.items()}


def add_notes(report: Report, rel: str, text: str, converted: Converted, missing: list[str]) -> None:
    position = text.find("\n---\n", 3) + 5  # search the body, not the front matter
    for problem, needle in converted.notes:
        line, position = line_of(text, needle, position)
        report.note(rel, line, problem)
    for url in missing:
        report.note(rel, None, f"Mediendatei fehlt (nicht kopiert, Verweis entfernt): {url}")


def load_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        return {}
    except yaml.YAMLError as exc:
        raise ImportFailed(f"„{path.name}“ ist kein gültiges YAML ({exc}); bitte erst reparieren.") from None
    return data if isinstance(data, dict) else {}


def appended(root: Path, rel: str, entries: dict[str, Any]) -> str:
    """The file's text with `entries` appended (existing text kept byte for byte)."""
    path = root / rel
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    return text + dump(entries)


def plan_tags(writer: Writer, root: Path, posts: list[Post], vocabulary: dict[str, Any], source: Source,
              report: Report) -> None:
    known = {slugify(name) for name in vocabulary}
    new: dict[str, str] = {}
    for post in posts:
        for tag in post.tags if post.kind == "post" else []:
            if slugify(tag) in known or tag in new:
                continue
            description = source.tag_descriptions.get(tag) or next(
                (d for n, d in source.tag_descriptions.items() if slugify(n) == slugify(tag) and d), "")
            new[tag] = description
    if not new:
        return
    report.tags_new = sorted(new)
    report.tags_without_description = sorted(n for n, d in new.items() if not d)
    writer.text(TAGS_FILE, appended(root, TAGS_FILE, dict(sorted(new.items()))), merge=True)


def plan_authors(writer: Writer, root: Path, posts: list[Post], source: Source, report: Report) -> None:
    existing = load_mapping(root / AUTHORS_FILE)
    used = sorted({a for p in posts if p.kind == "post" for a in p.authors} - set(map(str, existing)))
    if not used:
        return
    entries = {}
    for author_id in used:
        author = source.authors.get(author_id)
        entries[author_id] = {"name": author.name if author else author_id}
    report.authors_new = [f"{i} ({e['name']})" for i, e in entries.items()]
    writer.text(AUTHORS_FILE, appended(root, AUTHORS_FILE, entries), merge=True)


def plan_redirects(writer: Writer, root: Path, posts: list[Post], targets: dict[str, str], replace: bool,
                   report: Report) -> None:
    existing = {str(k): str(v) for k, v in load_mapping(root / REDIRECTS_FILE).items()}
    merged = dict(existing)
    new_urls = {p.path[:-3] + "/" for p in posts}
    for old, target in sorted(targets.items()):
        if old in new_urls:
            report.note(REDIRECTS_FILE, None, f"alte Adresse /{old} ist zugleich eine neue Seite; keine Weiterleitung nötig.")
            continue
        if old in existing and existing[old] != target and not replace:
            report.note(REDIRECTS_FILE, None, f"/{old} führt schon zu {existing[old]} (nicht geändert; --ersetzen ändert es).")
            continue
        merged[old] = target
        report.redirects.append((old, target))
    if merged != existing or (merged and not (root / REDIRECTS_FILE).exists()):
        writer.text(REDIRECTS_FILE, REDIRECTS_HEADER + dump(dict(sorted(merged.items()))), merge=True)
