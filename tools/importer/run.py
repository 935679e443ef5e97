"""One import: read the source, plan every file, check, write, report."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kn import yamlfile
from kn.limits import LIMITS
from kn.markdown.typography import cut_at_word, teaser
from kn.names import ASSETS, AUTHORS_FILE, CHECKLISTS, COMMENTS_DIR, PAGES, REDIRECTS_FILE, RESERVED, TAGS, TAGS_FILE
from kn.publish.redirects import FEED  # the site's Atom feed: a redirect target besides pages
from kn.text import slugify

from . import mdblog, wxr
from .fetch import Fetcher
from .html2md import Converted
from .model import ImportFailed, Options, Post, Source
from .plan import (
    MEDIA_FOLDER,
    SLUG_CHARS,
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

OLD_FEED = "feed/"  # WordPress' feed address
REDIRECTS_HEADER = (
    "# Old addresses of imported articles (paths under the site's root) and the page that\n"
    "# replaced them, written by the importer (tools/importer). hooks/kn/publish/redirects.py turns each\n"
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
    for post in posts:
        if len(post.slug) > SLUG_CHARS:
            report.note(f"docs/{post.path}", None, f"Adresse „{post.slug[:40]}…“ ({len(post.slug)} Zeichen) gekürzt.")
    targets = redirect_targets(posts, report)

    vocabulary = load_mapping(root / TAGS_FILE)
    mapping, merged = merge_tags([p for p in posts if p.kind == "post"], vocabulary)
    report.tags_merged = merged
    rename_reserved_tags(mapping, vocabulary, report)
    if isinstance(context, wxr.Blog):
        archive_targets(context, posts, series, mapping, targets, report)
    writer = Writer(root, options.replace)
    fetcher = None
    if options.fetch:
        hosts = {h.lower() for h in (*context.hosts, *options.fetch_hosts) if h}
        fetcher = Fetcher(hosts, connect_to=dict(options.connect_to))
    try:
        _convert_all(options, report, source, context, posts, series, targets, mapping, writer, fetcher)
    finally:
        if fetcher is not None:
            fetched = [r for r in fetcher.results.values() if r[0] is not None]
            report.fetched = (len(fetched), len(fetcher.results) - len(fetched))
    index = root / "docs" / series / "index.md"
    if not index.exists() and any(p.kind == "post" for p in posts):
        writer.text(f"docs/{series}/index.md", series_index_text(source.title.strip() or series, posts,
                                                                 blog=not options.as_series))
    if isinstance(context, wxr.Blog) and any(not p.draft and p.kind == "post" for p in posts):
        # After the conversion: a link in a text to the old feed stays a link to the old blog.
        targets.setdefault(OLD_FEED, FEED)
    plan_tags(writer, root, posts, vocabulary, source, report)
    plan_authors(writer, root, posts, source, report)
    plan_redirects(writer, root, posts, targets, options.replace, report)
    try:
        writer.commit(report)
    finally:
        if fetcher is not None:
            fetcher.close()


def _convert_all(options: Options, report: Report, source: Source, context: Any, posts: list[Post], series: str,
                 targets: dict[str, str], mapping: dict[str, str], writer: Writer, fetcher: Fetcher | None) -> None:
    for post in sorted(posts, key=lambda p: p.path):
        if post.kind == "post" and apply_tags(post, mapping, options.default_tag):
            report.note(f"docs/{post.path}", None, f"keine Themen in der Quelle; Thema „{options.default_tag}“ gesetzt.")
        try:
            with budget(POST_SECONDS):
                if isinstance(context, wxr.Blog):
                    resolver = wxr.Resolver(post, context, targets, options.media, f"{series}/{MEDIA_FOLDER}",
                                            source.media, fetcher=fetcher)
                    converted = wxr.convert(post, resolver)
                    excerpt = wxr.excerpt_text(post.excerpt)
                    missing = resolver.missing
                else:
                    converted, missing = mdblog.convert(post, context, targets, f"{series}/{MEDIA_FOLDER}", source.media,
                                                        fetcher)
                    excerpt = post.excerpt
        except (OverBudget, MemoryError, RecursionError) as exc:
            # Too slow, too big or too deep to convert: the text alone, as code, so that it builds.
            why = {OverBudget: f"brauchte länger als {POST_SECONDS} Sekunden", MemoryError: "brauchte zu viel Speicher"}
            reason = why.get(type(exc), "ist zu tief verschachtelt")
            converted = Converted(unconverted(post.body), [(f"Umwandlung {reason}; der Text steht unverändert als "
                                                            "Code-Block im Artikel (bitte von Hand bearbeiten).", "")])
            excerpt, missing = "", []
        post.body = converted.markdown
        # Without a manual excerpt the build takes the same teaser from the text
        # itself (and then shows no lead that repeats the first paragraph).
        own = post.kind == "page" or bool(excerpt.strip()) or not teaser(post.body)
        text = article_text(post, describe(excerpt, post.body, post.title) if own else None)
        writer.text(f"docs/{post.path}", text)
        add_notes(report, f"docs/{post.path}", text, converted, missing)
        if post.thread:
            problems: list[str] = []
            entries = thread_entries(post.thread, problems)
            for problem in problems:
                report.note(f"{COMMENTS_DIR}/{post.path[:-3]}.yml", None, problem)
            writer.text(f"{COMMENTS_DIR}/{post.path[:-3]}.yml", comments_text(post, entries))
    for rel, file in sorted(source.media.items()):
        writer.copy(f"docs/{rel}", file)


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


POST_SECONDS = 20  # time budget to convert one post


class OverBudget(Exception):
    """A post took longer than its time budget."""


@contextlib.contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Raise OverBudget in the block after `seconds` (main thread on Unix; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def unconverted(text: str) -> str:
    """`text` verbatim in a fence that no line of it can close."""
    fence = "~" * max(3, max((len(m) for m in re.findall(r"^~+", text, re.M)), default=0) + 1)
    return f"{fence}text\n{text.strip()[:100_000]}\n{fence}\n"


def redirect_targets(posts: list[Post], report: Report | None = None) -> dict[str, str]:
    """Old path or query -> new path of every published post. An old address
    that several items share (real exports do that: two posts with the guid
    `?p=568`) goes to the item whose own id or permalink it is, else to the
    oldest; the others are reported, never an abort."""
    claims: dict[str, list[Post]] = {}
    for post in sorted(posts, key=lambda p: (p.when, p.source)):
        if post.draft:
            continue
        for url in dict.fromkeys([*post.old_urls, *post.query_urls]):
            claims.setdefault(url, []).append(post)
    owners: dict[str, str] = {}
    for url, claimants in claims.items():
        owner = _owner(url, claimants)
        owners[url] = owner.path
        for other in claimants:
            if other is not owner and report is not None:
                report.note(f"docs/{other.path}", None, (
                    f"die alte Adresse „{url}“ gehört zu mehreren Einträgen ({other.source} und {owner.source}); "
                    f"sie leitet zu {owner.path} weiter."))
    return owners


def _owner(url: str, claimants: list[Post]) -> Post:
    if len(claimants) == 1:
        return claimants[0]
    query = url.split("=", 1)[1] if url.startswith("?") and "=" in url else ""
    for post in claimants:
        if query and post.ident == query:
            return post
    for post in claimants:
        if post.old_urls[:1] == [url]:  # its permalink, not only its guid
            return post
    return claimants[0]


def archive_targets(blog: wxr.Blog, posts: list[Post], series: str, mapping: dict[str, str],
                    targets: dict[str, str], report: Report) -> None:
    """Old archive addresses of WordPress: /category/x/ and /tag/y/ lead to the
    topic's page, /author/z/ to the blog's overview, an attachment page to its
    post. The old feed /feed/ gets its redirect page in `_run` (to feed.xml; the
    real 301 for feed readers is the web server's, deploy/nginx.conf)."""
    published = [p for p in posts if not p.draft and p.kind == "post"]
    used = {slugify(mapping.get(t, t)) for p in published for t in p.tags}
    overview = f"{series}/index.md"
    for old, what, name in blog.archives:
        if old in targets:
            continue
        if what == "Autor":
            targets[old] = overview
            continue
        slug = slugify(mapping.get(name.strip(), name.strip()))
        targets[old] = f"{TAGS}/{slug}.md" if slug in used else overview
    by_ident = {p.ident: p for p in published if p.ident}
    for old, parent in blog.attachment_pages.items():
        if old not in targets:
            targets[old] = by_ident[parent].path if parent in by_ident else overview
    if published:
        report.note(REDIRECTS_FILE, None, f"Der Feed des alten Blogs (/{OLD_FEED}) führt Browser per Weiterleitungsseite "
                                          f"zu /{FEED}; Feedleser brauchen eine echte Weiterleitung (301) des Webservers "
                                          "(deploy/nginx.conf enthält sie; sonst siehe README „Ein bestehendes Blog importieren“).")


def site_outputs(root: Path) -> set[str]:
    """Old paths a redirect must never take: every page under docs/ (as 'x/'),
    the series and tag pages and what the build generates."""
    taken = {"", f"{TAGS}/", f"{CHECKLISTS}/", "search/", f"{ASSETS}/", "feed.xml", "feed_rss.xml", "sitemap.xml",
             "sitemap.xml.gz", "404.html", "index.html", "robots.txt"}
    docs = root / "docs"
    for path in docs.rglob("*") if docs.is_dir() else []:
        rel = path.relative_to(docs).as_posix()
        if path.suffix == ".md":
            stem = rel[:-3]
            taken.add("" if stem == "index" else (stem[:-5] if stem.endswith("/index") else stem + "/"))
        else:
            taken.add(rel + ("/" if path.is_dir() else ""))
    return taken


PATH_SEGMENT_BYTES = 200  # a file name may have 255 bytes


def redirectable(old: str) -> bool:
    """An old path that a static redirect page can answer (hooks/kn/publish/redirects.py writes <old>/index.html)."""
    parts = old.strip("/").split("/")
    return (all(0 < len(part.encode("utf-8")) <= PATH_SEGMENT_BYTES for part in parts) and ".." not in parts
            and not any(c in old for c in "?#\\") and not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in old))


def reserved_path(old: str, taken: set[str]) -> bool:
    """True when the old path is, or lies under, an address of this site that
    a redirect must not cover (tags/…, checklisten/…, assets/…, a page)."""
    if old in taken or old.rstrip("/") + "/" in taken:
        return True
    first = old.split("/", 1)[0] + "/"
    return first in {f"{TAGS}/", f"{CHECKLISTS}/", "search/", f"{ASSETS}/"}


RESERVED_TAG_SLUGS = frozenset({"index", "feed", "page", PAGES})


def rename_reserved_tags(mapping: dict[str, str], vocabulary: dict[str, Any], report: Report) -> None:
    """A tag whose address is taken by the site (`Index` would be tags/index/,
    the topics overview) or whose name is too long gets a new name, reported."""
    known = {slugify(str(name)) for name in vocabulary}
    renamed: dict[str, str] = {}
    for kept in sorted(set(mapping.values())):
        if slugify(kept) in known and slugify(kept) not in RESERVED_TAG_SLUGS:
            continue
        new = kept
        if len(new) > LIMITS.tag_chars:
            new = cut_at_word(new, LIMITS.tag_chars)
        if slugify(new) in RESERVED_TAG_SLUGS or not slugify(new):
            new = f"{new} (Thema)" if slugify(new) else "Thema"
        if new != kept:
            renamed[kept] = new
            report.note(TAGS_FILE, None, f"Thema „{kept}“ in „{new}“ umbenannt (die Adresse tags/{slugify(kept)}/ "
                                         "ist für die Website reserviert oder der Name zu lang).")
    for spelling, kept in mapping.items():
        mapping[spelling] = renamed.get(kept, kept)


def add_notes(report: Report, rel: str, text: str, converted: Converted, missing: list[str]) -> None:
    position = text.find("\n---\n", 3) + 5  # search the body, not the front matter
    for problem, needle in converted.notes:
        line, position = line_of(text, needle, position)
        report.note(rel, line, problem)
    for url in missing:
        report.note(rel, None, f"Mediendatei fehlt (nicht kopiert, Verweis entfernt): {url}")


def load_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8"))
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
    taken = site_outputs(root)
    for old, target in sorted(targets.items()):
        if old in new_urls:
            report.note(REDIRECTS_FILE, None, f"alte Adresse /{old} ist zugleich eine neue Seite; keine Weiterleitung nötig.")
            continue
        if not old.startswith("?") and not redirectable(old):
            report.note(REDIRECTS_FILE, None, f"alte Adresse „/{old[:60]}…“ ist zu lang oder enthält Zeichen, die keine "
                                              "Datei tragen kann; keine Weiterleitung.")
            continue
        if not old.startswith("?") and reserved_path(old, taken):
            # The site's own page (Impressum, Datenschutz, tags/…) wins; and since this
            # is checked on every run, a line removed by hand does not come back.
            report.note(REDIRECTS_FILE, None, f"/{old} ist eine Adresse dieser Website (eigene Seite oder reserviert); "
                                              f"keine Weiterleitung zu {target}.")
            continue
        if old in existing and existing[old] != target and not replace:
            report.note(REDIRECTS_FILE, None, f"/{old} führt schon zu {existing[old]} (nicht geändert; --ersetzen ändert es).")
            continue
        merged[old] = target
        report.redirects.append((old, target))
    if merged != existing or (merged and not (root / REDIRECTS_FILE).exists()):
        writer.text(REDIRECTS_FILE, REDIRECTS_HEADER + dump(dict(sorted(merged.items()))), merge=True)
