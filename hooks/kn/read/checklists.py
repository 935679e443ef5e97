"""Checklists: written once in `docs/checklisten/<name>.md`, shown on their own
page and included verbatim into every article with the line

    --8<-- "checklisten/<name>.md"

That line is pymdownx.snippets' syntax, and snippets is listed in mkdocs.yml
(base_path docs): where our hooks do not run (e.g. Zensical), snippets includes
the checklist's text. Our build keeps the inclusion here and replaces every
checked line before snippets sees it, because snippets alone does not give the
site's output: it pastes the file as text, so a checklist's front matter
(`rechtlich: true` between `---` lines) becomes a rule and a heading
<h2 id="rechtlich-true"> with a TOC entry; it writes no container
(`data-checklist`, print and reset buttons, the sheet's fields); and every
article would parse the checklist again instead of using the HTML made once.
Our extras: the include lines and names checked with German errors naming the
line, „gehört zu“ (Article.checklists), the once-per-build HTML cache.

A checklist file holds exactly one `!!! checkliste "Titel"` admonition with a
task list. Its Markdown is converted once per build; the page and every
include get a marker comment in `on_page_markdown`, which `on_page_content`
replaces with that HTML inside the same container (fragments/kn/checklist.html).
So the checklist renders identically everywhere, carries its name for the
print button and the ticks kept in localStorage, and a site with a thousand
articles does not parse the same checklist a thousand times.

Every task list of the site (`pymdownx.tasklist`) gets its item text inside
the checkbox's <label> from `TaskLabelExtension`, listed in mkdocs.yml (the
pages and the checklists converted here both use the site's extensions).
"""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as etree
from dataclasses import replace
from typing import TYPE_CHECKING

import markdown as python_markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from kn import names, registry, schema, view
from kn.annotate import body_first_line
from kn.limits import shorten_for_message
from kn.problems import Problem, error
from kn.registry import Checklist
from kn.view import Fragment

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


FOLDER = names.CHECKLISTS
INCLUDE_RE = re.compile(rf'^--8<--[ \t]+"{FOLDER}/([^"/]+)\.md"[ \t]*$', re.M)
ANY_INCLUDE_RE = re.compile(r"^[ \t]*--8<--.*$", re.M)
MARKER = "<!-- kn-checkliste:{name} -->"
MARKER_RE = re.compile(r"<!-- kn-checkliste:([^ ]+) -->")
# pymdownx.tasklist puts the item text after the checkbox's <label>, so the
# checkbox has no accessible name; `_TaskLabels` moves the text into the label,
# up to the item's first block (a nested list, a paragraph).
TASK_LABEL_OPEN = '<label class="task-list-control">'
TASK_LABEL_CLOSE = "</label> "
TASK_TEXT_ENDS = frozenset({"li", "ul", "ol", "p", "div", "label"})
HEAD_RE = re.compile(r'\A(?:!!!|\?\?\?\+?)[ \t]+checkliste(?:[ \t]+"([^"]*)")?[ \t]*$')
ITEM_RE = re.compile(r"^ {4}- \[[ xX]\] (.+)$", re.M)
DEFAULT_TITLE = "Checkliste"
# On its own page the page heading names the checklist: the box drops its title.
BOX_TITLE_RE = re.compile(r'<p class="admonition-title">.*?</p>\s*', re.S)
SUMMARY_RE = re.compile(r"(<summary>).*?(</summary>)", re.S)
OWN_PAGE_SUMMARY = "Punkte anzeigen"
# More items than this print in smaller type, so the page stays one A4 sheet.
LONG_CHECKLIST = 15
# ... and so do fewer items whose text is long (about a full sheet at normal size).
LONG_CHECKLIST_CHARS = 1000
# Optional front matter of a checklist file: field -> (check, attribute of Checklist, meaning).
CHECKLIST_FIELDS = {
    "rechtlich": (schema.check_bool, "legal", "true, wenn die Checkliste rechtliche Hinweise gibt („Kein Rechtsrat“)"),
    "felder": (schema.check_bool, "fields", "false ohne Felder für Partner, Datum und Notizen"),
    "updated": (schema.check_date, "updated", "Datum der letzten Änderung, JJJJ-MM-TT"),
}

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    for file in files.documentation_pages():
        name = checklist_name(file.src_uri)
        if name is None:
            continue
        checklist, problem = parse_checklist(name, file.src_uri, file.url, file.content_string)
        if problem:
            site.errors.append(problem)
        else:
            site.checklists[name] = checklist
    including: dict[str, registry.Article] = {}
    for article in site.validated_articles():
        file = files.get_file_from_path(article.src_uri)
        first_line = body_first_line(file.content_string, article.body) if file else None
        names, problems = find_includes(article.src_uri, article.body, site.checklists, first_line=first_line)
        site.errors.extend(problems)
        if names:
            including[article.src_uri] = replace(article, checklists=tuple(names))
    site.replace_articles(including)  # the one place an article gets its checklists
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    name = checklist_name(page.file.src_uri)
    if name in site.checklists:
        checklist = site.checklists[name]
        page.meta.setdefault("title", checklist.title)
        page.meta.setdefault("description", f"Checkliste zum Ausdrucken: {checklist.title}.")
        view.of(page).checklist = checklist
        return marker(name)
    if page.file.src_uri in site.by_uri:
        return INCLUDE_RE.sub(lambda m: marker(m.group(1)), markdown)
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    if "<!-- kn-checkliste:" in html:
        own = view.of(page).checklist
        html = MARKER_RE.sub(lambda m: render(site, site.checklists[m.group(1)], page, own_page=own is not None), html)
    if page.file.src_uri == f"{FOLDER}/index.md":
        view.of(page).after_content.append(Fragment("fragments/kn/checklist-index.html", {"checklists": site.sorted_checklists()}))
    return html


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def checklist_name(src_uri: str) -> str | None:
    """'checklisten/x.md' -> 'x'; None for every other page."""
    folder, _, filename = src_uri.partition("/")
    if folder != FOLDER or "/" in filename or not filename.endswith(".md") or filename == "index.md":
        return None
    return filename[:-3]


def parse_checklist(name: str, src_uri: str, url: str, text: str) -> tuple[Checklist | None, str | None]:
    """Read a checklist file; return it, or a message saying what is wrong."""
    options: dict[str, object] = {}
    if schema.FRONT_MATTER_RE.match(text):
        meta, text, problems = schema.split_front_matter(src_uri, text)
        if problems:
            return None, problems[0]
        options, problem = checklist_options(src_uri, meta or {})
        if problem:
            return None, problem
    first = text.lstrip("\n").split("\n", 1)[0].rstrip()
    match = HEAD_RE.match(first)
    if not match:
        return None, error(src_uri, None, (
            'Eine Checkliste beginnt mit der Zeile !!! checkliste "Titel" '
            f"(davor höchstens ein Kopfbereich mit {', '.join(CHECKLIST_FIELDS)}); gefunden: '{shorten_for_message(first)}'."
        ))
    items = ITEM_RE.findall(text)
    if not items:
        return None, error(src_uri, None, "Die Checkliste enthält keine Punkte der Form '    - [ ] Text'.")
    title = (match.group(1) or "").strip() or DEFAULT_TITLE
    return Checklist(name, src_uri, url, title, [i.strip() for i in items], text.strip("\n"), **options), None


def checklist_options(src_uri: str, meta: dict) -> tuple[dict[str, object], str | None]:
    """The checklist's front matter as Checklist attributes, or the first problem."""
    options: dict[str, object] = {}
    for key, value in meta.items():
        if key not in CHECKLIST_FIELDS:
            allowed = "; ".join(f"{name} ({meaning})" for name, (_, _, meaning) in CHECKLIST_FIELDS.items())
            return {}, error(src_uri, str(key), f"unbekanntes Feld im Kopfbereich einer Checkliste. Erlaubt sind: {allowed}.")
        check, attribute, _ = CHECKLIST_FIELDS[key]
        clean, problem = check(value)
        if problem:
            return {}, error(src_uri, key, problem)
        options[attribute] = clean
    return options, None


def find_includes(
    src_uri: str, body: str, known: dict[str, Checklist], *, first_line: int | None = None,
) -> tuple[list[str], list[Problem]]:
    """The checklists an article includes, and problems with its include lines
    (with their line in the file when `first_line`, the body's first, is known)."""
    names: list[str] = []
    problems: list[Problem] = []
    for match in ANY_INCLUDE_RE.finditer(body):
        line = match.group(0)
        number = first_line + body.count("\n", 0, match.start()) if first_line else None
        include = INCLUDE_RE.match(line)
        if include is None:
            problems.append(error(src_uri, None, (
                f"Die Zeile '{shorten_for_message(line.strip())}' bindet nichts ein: erlaubt sind nur Checklisten, "
                'ohne Einrückung, in der Form --8<-- "checklisten/<name>.md".'
            ), line=number))
            continue
        name = include.group(1)
        if name not in known:
            available = ", ".join(sorted(known)) or "keine"
            problems.append(error(src_uri, None, (
                f"Die eingebundene Checkliste 'checklisten/{name}.md' gibt es nicht. "
                f"Vorhanden sind: {available}."
            ), line=number))
        elif name not in names:
            names.append(name)
    return names, problems


def page_modifiers(checklist: Checklist) -> str:
    """CSS modifiers of a checklist's own page: it prints as one A4 sheet."""
    modifiers = " kn-checklist--page"
    if len(checklist.items) > LONG_CHECKLIST or sum(map(len, checklist.items)) > LONG_CHECKLIST_CHARS:
        modifiers += " kn-checklist--long"
    return modifiers


def marker(name: str) -> str:
    """Stands for a checklist in the Markdown; a raw HTML block survives rendering."""
    return "\n\n" + MARKER.format(name=name) + "\n\n"


def render(site: registry.Site, checklist: Checklist, page: Page, *, own_page: bool) -> str:
    """The checklist in its container, with print and reset buttons."""
    return site.render(
        "fragments/kn/checklist.html", page, checklist=checklist, own_page=own_page,
        modifiers=page_modifiers(checklist) if own_page else "",
        admonition=without_title(admonition_html(site, checklist)) if own_page else admonition_html(site, checklist),
    )


def without_title(html: str) -> str:
    """The checklist box for its own page, whose heading already is the title:
    no box title, and a collapsible box's summary just opens it."""
    html = BOX_TITLE_RE.sub("", html, count=1)
    return SUMMARY_RE.sub(rf"\g<1>{OWN_PAGE_SUMMARY}\g<2>", html, count=1)


def admonition_html(site: registry.Site, checklist: Checklist) -> str:
    """The checklist's Markdown as HTML, converted once per build with the
    site's own Markdown extensions and settings."""
    cache = site.cache.checklist_html
    if checklist.name not in cache:
        converter = site.cache.checklist_markdown
        if converter is None:
            assert site.config is not None
            converter = site.cache.checklist_markdown = python_markdown.Markdown(
                extensions=site.config.markdown_extensions, extension_configs=site.config.mdx_configs,
            )
        cache[checklist.name] = converter.reset().convert(plain_title(checklist.source))
    return cache[checklist.name]


def plain_title(source: str) -> str:
    """The checklist's Markdown with its title as plain text: HTML-escaped and
    Markdown syntax backslash-escaped, so „Q&A: <Tipps>“ shows as written."""
    head, sep, rest = source.partition("\n")
    match = HEAD_RE.match(head.rstrip())
    if not match or not match.group(1):
        return source
    text = re.sub(r"([\\`*_\[\]{}()!])", r"\\\1", html_lib.escape(match.group(1), quote=False))
    return head[:match.start(1)] + text + head[match.end(1):] + sep + rest


# -----------------------------------------------------------------------------
# Markdown: the text of a task-list item labels its checkbox
# -----------------------------------------------------------------------------


class _TaskLabels(Treeprocessor):
    """Move each task-list item's text into its <label>, so the checkbox is named
    by it (and a click on the text ticks the box). Block content stays outside."""

    def run(self, root: etree.Element) -> None:
        for item in root.iter("li"):
            if "task-list-item" in item.get("class", "").split():
                # The checkbox starts the item, or its first paragraph (loose lists).
                loose = not (item.text or "").strip() and len(item) and item[0].tag == "p"
                holder = item[0] if loose else item
                self.label(holder)

    def label(self, holder: etree.Element) -> None:
        match = HTML_PLACEHOLDER_RE.match(holder.text or "")
        if match is None:
            return
        stash = self.md.htmlStash.rawHtmlBlocks
        index = int(match.group(1))
        box = stash[index]
        if not (isinstance(box, str) and box.startswith(TASK_LABEL_OPEN) and box.endswith(TASK_LABEL_CLOSE)):
            return
        # The stashed HTML becomes the label's content: checkbox, indicator, space.
        stash[index] = box[len(TASK_LABEL_OPEN):-len(TASK_LABEL_CLOSE)] + " "
        label = etree.Element("label", {"class": "task-list-control"})
        label.text = holder.text
        holder.text = None
        inline = []
        for child in holder:
            if child.tag in TASK_TEXT_ENDS:
                break
            inline.append(child)
        for child in inline:
            holder.remove(child)
            label.append(child)
        # Whitespace after the text stays outside the label.
        last = label[-1] if len(label) else None
        text = (last.tail if last is not None else label.text) or ""
        stripped = text.rstrip()
        if last is not None:
            last.tail = stripped
        else:
            label.text = stripped
        label.tail = text[len(stripped):] or None
        holder.insert(0, label)


class TaskLabelExtension(Extension):
    """Registers `_TaskLabels` after the task lists, inline Markdown and
    attribute lists are done (and after line breaks are added)."""

    def extendMarkdown(self, md: python_markdown.Markdown) -> None:
        md.treeprocessors.register(_TaskLabels(md), "kn_task_labels", 6)
