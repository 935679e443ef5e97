"""The front-matter schema of an article, and reading front matter strictly.

Not a hook module: pure functions and one declarative table (`FIELDS`), used
by `articles.py` and unit-tested directly. Every function returns plain values
or German error messages for authors; nothing here raises on bad input.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from kn import names, yamlfile
from kn.limits import shorten_for_message
from kn.names import CHECKLISTS, FILE_FOLDERS, PAGE_FOLDERS, SERIES_PAGES  # folders under docs/ that are no series
from kn.problems import Problem, error
from kn.text import german_key, moment, slugify
from kn.yamlfile import FRONT_MATTER_RE

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

DATE_RE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
# A date with a time and optionally a zone: 2025-01-01 18:30, 2025-01-01T18:30:00+01:00.
DATETIME_RE = re.compile(r"\A\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[ ]?(?:Z|[+-]\d{2}:?\d{2})?\Z")
# A time without zone is German time.
LOCAL_ZONE = "Europe/Berlin"
# Fields a draft may leave out (the full rules apply once `draft` is removed).
DRAFT_OPTIONAL = ("tags", "authors")
COMMENT_STATES = ("open", "closed", "off")
# German (and other) words authors write for a comment state.
COMMENT_WORDS = {
    "offen": "open", "auf": "open", "an": "open", "ja": "open",
    "geschlossen": "closed", "zu": "closed",
    "aus": "off", "keine": "off", "nein": "off", "ohne": "off",
}
GERMAN_DATE_RE = re.compile(r"\A(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")
SLASH_DATE_RE = re.compile(r"\A(\d{4})/(\d{1,2})/(\d{1,2})\Z")
# Sentences of the templates of `make artikel` (tools/new_article.py): still
# there in a published article, they would go online.
TEMPLATE_PLACEHOLDERS = (
    "Ein Satz, der sagt, was Leserinnen und Leser in diesem Artikel erfahren.",
    "Ein Satz, der sagt, worum es in dieser Reihe geht.",
    "Hier beginnt der Artikel mit einem kurzen Einstieg",
    "Schreiben Sie in der Sie-Form, in ganzen Absätzen und mit konkreten Beispielen aus der Praxis.",
)
# What PyYAML's most frequent complaints mean, and what to do (the original
# message follows in brackets).
YAML_HINTS = (
    ("mapping values are not allowed", (
        "Häufige Ursache: ein Doppelpunkt mit Leerzeichen im Wert. Setzen Sie den Wert in "
        "Anführungszeichen, z. B. title: \"Vorsicht: Kooperation\"."
    )),
    ("found character '\\t'", "Ursache: ein Tabulator. Rücken Sie im Kopfbereich nur mit Leerzeichen ein."),
    ("tab character", "Ursache: ein Tabulator. Rücken Sie im Kopfbereich nur mit Leerzeichen ein."),
    ("expected ',' or ']'", (
        "Häufige Ursache: eine Liste mit [, aber ohne ]. Schließen Sie die Klammer, oder setzen Sie einen Wert, "
        "der mit [ beginnt, in Anführungszeichen."
    )),
    ("expected ',' or '}'", (
        "Häufige Ursache: ein Wert mit {, aber ohne }. Schließen Sie die Klammer, oder setzen Sie den Wert in Anführungszeichen."
    )),
    ("undefined alias", "Häufige Ursache: ein Wert, der mit * beginnt. Setzen Sie ihn in Anführungszeichen."),
    ("found unexpected end of stream", (
        "Häufige Ursache: ein Anführungszeichen, das nicht geschlossen wird. Schließen Sie es am Ende des Werts."
    )),
    ("could not find expected ':'", (
        "Häufige Ursache: eine Zeile ohne „name: wert“ oder ein Wert über mehrere Zeilen. "
        "Schreiben Sie jedes Feld in eine Zeile der Form name: wert."
    )),
    ("did not find expected key", (
        "Häufige Ursache: eine falsch eingerückte Zeile oder ein Anführungszeichen mitten im Wert. "
        "Rücken Sie Listeneinträge mit zwei Leerzeichen und Bindestrich ein (  - Thema) und setzen Sie "
        "Werte mit Anführungszeichen ganz in einfache Anführungszeichen."
    )),
    ("found unhashable key", (
        "Häufige Ursache: ein Wert, der mit [ oder { beginnt. Setzen Sie ihn in Anführungszeichen."
    )),
    ("expected alphabetic or numeric character", (
        "Häufige Ursache: ein Wert, der mit * oder & beginnt. Setzen Sie ihn in Anführungszeichen."
    )),
)

# -----------------------------------------------------------------------------
# Reading front matter
# -----------------------------------------------------------------------------


def split_front_matter(src: str, text: str) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """Return (meta, body, errors). `meta` is None when there is no usable front matter."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return None, text, [error(src, None, "Der Kopfbereich (Front Matter zwischen zwei Zeilen '---') fehlt.")]
    body = text[match.end():]
    try:
        meta = yamlfile.load(match.group(1))
    except yaml.YAMLError as exc:
        # The YAML starts on line 2, below the opening "---".
        return None, body, [yaml_error(src, exc, first_line=2, where=" im Kopfbereich")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return None, body, [error(src, None, "Der Kopfbereich muss aus Feldern der Form 'name: wert' bestehen.")]
    return meta, body, []


def yaml_error(src: str, exc: yaml.YAMLError, *, first_line: int = 1, where: str = "", hint: str = "") -> Problem:
    """The message for a file (or its front matter) that is not valid YAML,
    with the line where PyYAML found the problem; `first_line` is the file's
    line number of the YAML's first line."""
    mark = getattr(exc, "problem_mark", None)
    number = mark.line + first_line if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    cause = yaml_cause(problem)
    detail = (f"ungültiges YAML{where}." + (f" {cause}" if cause else "") + (f" {hint}" if hint else "")
              + f" (Meldung des Prüfprogramms: {problem})")
    return error(src, None, detail, line=number, show_line=True)


def yaml_cause(problem: str) -> str:
    """The likely cause and remedy of a PyYAML complaint, in German ("" when unknown)."""
    return next((text for needle, text in YAML_HINTS if needle in problem), "")


# -----------------------------------------------------------------------------
# Field checks: each returns (clean value, problem or None)
# -----------------------------------------------------------------------------


def show(value: Any) -> str:
    """A value as an author wrote it, for messages."""
    if isinstance(value, str):
        return f"'{shorten_for_message(value)}'"
    if value is None:
        return "leer"
    return shorten_for_message(yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip(), 80)


def check_text(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, f"{show(value)} ist kein Text. Erlaubt ist ein nicht leerer Text."
    return value.strip(), None


def check_date(value: Any) -> tuple[Any, str | None]:
    """A date (datetime.date), or a date with time (a datetime with zone; a
    time without zone is German time)."""
    expected = ("Erlaubt ist ein Datum im Format JJJJ-MM-TT, z. B. 2026-11-27, "
                "auch mit Uhrzeit: 2026-11-27 18:30 oder 2026-11-27T18:30:00+01:00.")
    if not isinstance(value, str) or not (DATE_RE.match(value.strip()) or DATETIME_RE.match(value.strip())):
        suggestion = iso_suggestion(value)
        if suggestion:
            return None, (f"{show(value)} ist nicht im Format JJJJ-MM-TT geschrieben. "
                          f"Schreiben Sie das Datum als JJJJ-MM-TT, hier: {suggestion}.")
        return None, f"{show(value)} ist kein Datum im Format JJJJ-MM-TT. {expected}"
    value = value.strip()
    try:
        if DATE_RE.match(value):
            return datetime.date.fromisoformat(value), None
        moment = datetime.datetime.fromisoformat(value.replace(" ", "T", 1).replace(" ", ""))
    except ValueError:
        missing = "diesen Tag" if DATE_RE.match(value) else "diesen Tag oder diese Uhrzeit"
        return None, f"{show(value)} ist kein gültiges Datum ({missing} gibt es nicht). {expected}"
    if moment.tzinfo is None:
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo(LOCAL_ZONE))
    return moment, None


def iso_suggestion(value: Any) -> str | None:
    """'27.11.2026' or '2026/11/27' as '2026-11-27' (None when it is no such date)."""
    if not isinstance(value, str):
        return None
    german = GERMAN_DATE_RE.match(value.strip())
    slash = SLASH_DATE_RE.match(value.strip())
    if german:
        day, month, year = (int(g) for g in german.groups())
    elif slash:
        year, month, day = (int(g) for g in slash.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def check_article_date(value: Any) -> tuple[Any, str | None]:
    """`date` of an article: a date (with time), or Material's form
    `date: {created: …, updated: …}`. Returns (created, updated or None)."""
    if not isinstance(value, dict):
        created, problem = check_date(value)
        return ((created, None), None) if problem is None else (None, problem)
    unknown = [str(key) for key in value if key not in ("created", "updated")]
    if unknown or "created" not in value:
        return None, f"{show(value)} ist kein Datum. Erlaubt ist ein Datum oder die Form {{created: JJJJ-MM-TT, updated: JJJJ-MM-TT}}."
    dates = []
    for key in ("created", "updated"):
        date, problem = check_date(value[key]) if key in value else (None, None)
        if problem:
            return None, f"{key}: {problem}"
        dates.append(date)
    return tuple(dates), None


def check_name_list(value: Any, what: str, field_name: str = "tags") -> tuple[Any, str | None]:
    """A list of non-empty, distinct strings (tags, author ids)."""
    expected = f"Erlaubt ist eine Liste von {what}, z. B. [A, B]."
    if not isinstance(value, list):
        example = value.strip() if isinstance(value, str) and value.strip() else "…"
        return None, (f"{show(value)} ist keine Liste. Erlaubt ist eine Liste von {what}. Schreiben Sie jeden "
                      f"Eintrag in eine eigene Zeile mit Bindestrich: '{field_name}:' und darunter '  - {example}'.")
    names: list[str] = []
    for item in value:
        if not isinstance(item, str):
            return None, f"Der Eintrag {show(item)} ist kein Text. {expected}"
        if not item.strip():
            return None, f"Die Liste enthält einen leeren Eintrag. {expected}"
        if item.strip() in names:
            return None, f"{show(item.strip())} steht doppelt in der Liste. Jeder Eintrag darf nur einmal vorkommen."
        names.append(item.strip())
    if not names:
        return None, f"Die Liste ist leer. {expected}"
    return names, None


def check_comments(value: Any) -> tuple[Any, str | None]:
    # YAML true/false count as open/off, as in Material.
    if value is True:
        return "open", None
    if value is False:
        return "off", None
    if isinstance(value, str) and value.strip() in COMMENT_STATES:
        return value.strip(), None
    guess = COMMENT_WORDS.get(value.strip().lower()) if isinstance(value, str) else None
    if guess is None and isinstance(value, str):
        close = difflib.get_close_matches(value.strip().lower(), COMMENT_STATES, n=1, cutoff=0.6)
        guess = close[0] if close else None
    hint = f" Meinten Sie '{guess}'?" if guess else ""
    return None, f"unbekannter Wert {show(value)}.{hint} Erlaubt sind: open, closed, off."


def check_part(value: Any) -> tuple[Any, str | None]:
    """`teil`: the article's place in its series, a whole number from 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None, f"{show(value)} ist keine Teilnummer. Erlaubt ist eine ganze Zahl ab 1, z. B. teil: 2."
    return value, None


def check_guid(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip() or len(value) > 500 or any(ord(c) < 32 for c in value):
        return None, f"{show(value)} ist keine Feed-Kennung. Erlaubt ist ein Text in einer Zeile, höchstens 500 Zeichen."
    return value.strip(), None


def check_bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, f"{show(value)} ist kein Wahrheitswert. Erlaubt sind: true, false."


# -----------------------------------------------------------------------------
# The schema
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One front-matter field of an article: its check (value -> clean value or
    a German problem), whether it is required, its German description (in
    „fehlt. Erwartet: …“), and the attribute of registry.Article it fills with
    its checked value, of `type` (as annotated) with `default` when the field is
    not given. `attribute` None: hooks/kn/read/articles.py makes the value itself
    (the title and description are typeset, the date is split)."""

    check: Callable[[Any], tuple[Any, str | None]]
    required: bool
    meaning: str
    attribute: str | None = None
    type: str = "Any"
    default: Any = None


# The schema of an article's front matter. A new field is one entry here (the
# Article gets its attribute from it, registry.py) plus its use.
FIELDS: dict[str, Field] = {
    # Without `title`, the first heading '# Titel' of the text is the title.
    "title": Field(check_text, True, "Titel des Artikels (oder eine Überschrift '# Titel' im Text)"),
    # Without `description`, the teaser (text before <!-- more -->, else the first paragraph).
    "description": Field(check_text, False, "ein Satz für Übersichten und Suchmaschinen"),
    "date": Field(check_article_date, True, "Erscheinungsdatum, JJJJ-MM-TT (auch mit Uhrzeit)"),
    "updated": Field(check_date, False, "Datum der letzten Überarbeitung, JJJJ-MM-TT",
                     "updated", "datetime.date | None", None),
    "tags": Field(lambda v: check_name_list(v, "Themen aus data/tags.yml", "tags"), True, "Themen aus data/tags.yml",
                  "tags", "tuple[str, ...]", ()),
    "authors": Field(lambda v: check_name_list(v, "Autoren-IDs aus data/authors.yml", "authors"), True,
                     "Autoren-IDs aus data/authors.yml", "authors", "tuple[str, ...]", ()),
    # Required unless mkdocs.yml sets extra.comments.default.
    "comments": Field(check_comments, False, "open, closed oder off", "comments", "str | None", None),
    "draft": Field(check_bool, False, "true für einen Entwurf", "draft", "bool", False),
    # Order within the series; articles without it follow, ordered by date.
    "teil": Field(check_part, False, "Nummer des Teils in der Reihe, ab 1", "part", "int | None", None),
    # In a blog section (`art: blog` in its index.md): shown first.
    "angeheftet": Field(check_bool, False, "true: im Blog ganz oben angeheftet", "pinned", "bool", False),
    # Imported posts: the old blog's feed id, so that feed readers do not show them again.
    "guid": Field(check_guid, False, "Kennung des Beitrags im Feed des alten Blogs", "guid", "str", ""),
}


def record_values(values: dict[str, Any]) -> dict[str, Any]:
    """The checked front matter as keyword arguments of registry.Article: each
    field with an attribute, its default where the field is not given."""
    return {spec.attribute: values.get(name, spec.default) for name, spec in FIELDS.items() if spec.attribute}


def validate_article(
    src: str, meta: dict[str, Any], *, comments_default: bool, title_in_body: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """Check one article's front matter against FIELDS. A draft may leave out
    DRAFT_OPTIONAL; `title_in_body`: the text has a heading '# Titel'.

    Returns the cleaned values and all problems found (not just the first).
    """
    optional = {"title"} if title_in_body else set()
    if meta.get("draft") is True:
        optional.update(DRAFT_OPTIONAL)
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for key in meta:
        if key not in FIELDS:
            hint = difflib.get_close_matches(str(key), FIELDS, n=1, cutoff=0.6)
            guess = f" Meinten Sie '{hint[0]}'?" if hint else ""
            problems.append(error(src, str(key), f"unbekanntes Feld.{guess} Erlaubt sind: {', '.join(FIELDS)}."))
    for name, spec in FIELDS.items():
        if name not in meta:
            required = spec.required or (name == "comments" and not comments_default)
            if required and name not in optional:
                problems.append(error(src, name, f"fehlt. Erwartet: {spec.meaning}."))
            continue
        value, problem = spec.check(meta[name])
        if problem:
            problems.append(error(src, name, problem))
        else:
            clean[name] = value
    problems.extend(split_dates(src, clean))
    return clean, problems


def template_placeholders(src: str, text: str, body: str, values: dict[str, Any]) -> list[str]:
    """Problems for sentences of the `make artikel` template still in a published
    article (its description or its text), with the line of the file."""
    problems: list[Problem] = []
    description = values.get("description")
    if isinstance(description, str) and description.strip() in TEMPLATE_PLACEHOLDERS:
        line = next((n for n, row in enumerate(text.split("\n"), start=1) if row.startswith("description:")), None)
        problems.append(error(src, "description", (
            "Das ist noch der Platzhalter aus `make artikel`. Schreiben Sie einen eigenen Satz, der sagt, "
            "was Leserinnen und Leser im Artikel erfahren."
        ), line=line))
    offset = text[: len(text) - len(body)].count("\n")
    for placeholder in TEMPLATE_PLACEHOLDERS:
        at = body.find(placeholder)
        if at >= 0:
            line = offset + body[:at].count("\n") + 1
            detail = (f"Hier steht noch der Platzhalter aus `make artikel` („{shorten_for_message(placeholder, 60)}“). "
                      "Ersetzen Sie ihn durch Ihren eigenen Text, oder setzen Sie `draft: true`, solange der Artikel "
                      "nicht fertig ist.")
            problems.append(error(src, None, detail, line=line, show_line=True))
    return problems


def split_dates(src: str, clean: dict[str, Any]) -> list[str]:
    """Turn the checked `date` (created, updated) into `date` and `updated`;
    problems when `updated` is given twice or lies before `date`."""
    if "date" not in clean:
        return []
    clean["date"], updated = clean["date"]
    if updated is not None and "updated" in clean:
        return [error(src, "updated", "steht doppelt: als Feld 'updated' und in 'date: {updated: …}'. Bitte nur einmal angeben.")]
    if updated is not None:
        clean["updated"] = updated
    if "updated" in clean and moment(clean["updated"]) < moment(clean["date"]):
        return [error(src, "updated", "liegt vor dem Erscheinungsdatum 'date'. Erwartet: das Datum der letzten Überarbeitung.")]
    return []


# -----------------------------------------------------------------------------
# The tag vocabulary: data/tags.yml maps each allowed tag to a description
# -----------------------------------------------------------------------------

VOCABULARY = names.TAGS_FILE
VOCABULARY_FORM = "Jede Zeile hat die Form „Thema: Beschreibung in einem Satz.“, z. B. „Netzwerken: Wie Sie Kontakte knüpfen und pflegen.“"


def parse_vocabulary(text: str | None) -> tuple[dict[str, str], list[Problem]]:
    """Read the text of data/tags.yml (None: the file is missing).

    Returns {tag name: description} of every entry with a usable name, and all
    problems found.
    """
    if text is None:
        return {}, [error(VOCABULARY, None, f"Die Themenliste fehlt. Legen Sie die Datei an. {VOCABULARY_FORM}")]
    try:
        data = yamlfile.load(text)
        duplicates = duplicate_keys(text)
    except yaml.YAMLError as exc:
        return {}, [yaml_error(VOCABULARY, exc, hint=VOCABULARY_FORM)]
    vocabulary, problems = validate_vocabulary(data)
    problems[:0] = [
        error(VOCABULARY, name, "steht doppelt in der Themenliste. Jedes Thema darf nur einmal vorkommen.")
        for name in duplicates
    ]
    return vocabulary, problems


def duplicate_keys(text: str) -> list[str]:
    """Top-level keys written twice (PyYAML would silently keep the last)."""
    node = yamlfile.compose(text)
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _value in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen and key.value not in duplicates:
                duplicates.append(key.value)
            seen.add(key.value)
    return duplicates


def validate_vocabulary(data: Any) -> tuple[dict[str, str], list[Problem]]:
    """Check the loaded vocabulary: names are texts whose slugs are distinct and
    not empty, descriptions are texts or empty. Returns (vocabulary, problems)."""
    if not isinstance(data, dict) or not data:
        found = "leer" if not data else f"gefunden: {show(data)}"
        return {}, [error(VOCABULARY, None, (
            f"Die Themenliste ist keine Zuordnung von Themen zu Beschreibungen ({found}). {VOCABULARY_FORM}"
        ))]
    vocabulary: dict[str, str] = {}
    problems: list[Problem] = []
    by_slug: dict[str, str] = {}
    for name, description in data.items():
        if not isinstance(name, str) or not name.strip():
            problems.append(error(VOCABULARY, str(name), (
                f"Der Themenname {show(name)} ist kein Text. Schreiben Sie ihn in Anführungszeichen, z. B. \"{name}\": …"
            )))
            continue
        name = name.strip()
        vocabulary[name] = description.strip() if isinstance(description, str) else ""
        # An empty description is allowed (imported tags); the tag page then shows none.
        if description is not None and not isinstance(description, str):
            problems.append(error(VOCABULARY, name, (
                f"Die Beschreibung {show(description)} ist kein Text. Erwartet: ein Satz, der das Thema beschreibt "
                f"(oder nichts). {VOCABULARY_FORM}"
            )))
        slug = slugify(name)
        if not slug:
            problems.append(error(VOCABULARY, name, (
                "Aus diesem Namen entsteht keine Adresse, weil er keine Buchstaben oder Ziffern enthält. "
                "Ein Thema braucht mindestens einen Buchstaben oder eine Ziffer."
            )))
        elif slug in by_slug:
            problems.append(error(VOCABULARY, name, (
                f"ergibt dieselbe Adresse 'tags/{slug}/' wie das Thema '{by_slug[slug]}'. "
                "Benennen Sie eines der beiden Themen um oder führen Sie sie zusammen."
            )))
        else:
            by_slug[slug] = name
    return vocabulary, problems


def unknown_tags(src: str, tags: list[str], vocabulary: dict[str, str], *, note: str = "") -> list[str]:
    """Problems for the tags of one article that are not in the vocabulary,
    naming the closest known tags; `note` (see `vocabulary_note`) ends the last."""
    texts: list[str] = []
    for tag in tags:
        if tag in vocabulary:
            continue
        hints = closest_tags(tag, vocabulary)
        hint = (" Meinten Sie " + " oder ".join(f"'{h}'" for h in hints) + "?") if hints else ""
        texts.append(f"unbekanntes Thema '{tag}'.{hint} Nur Themen aus {VOCABULARY} sind erlaubt.")
    if texts and note:
        texts[-1] += " " + note
    return [error(src, "tags", text) for text in texts]


def vocabulary_note(vocabulary: dict[str, str]) -> str:
    """Said once after all unknown-tag problems: the allowed tags."""
    return ("Erlaubte Themen: " + ", ".join(sorted(vocabulary, key=german_fold))
            + ". Ein neues Thema tragen Sie dort mit einer Beschreibung ein.")


# How alike a tag must be to a known one to be suggested (difflib ratio of the
# folded names): 'Netzwerkk' -> 'Netzwerken' (0.84) yes, 'berge' -> 'Verträge' (0.62) no.
SIMILARITY = 0.75


def closest_tags(tag: str, vocabulary: dict[str, str], n: int = 3) -> list[str]:
    """The known tags most like `tag` (at most n), ignoring case and umlauts."""
    folded = {german_fold(name): name for name in vocabulary}
    return [folded[m] for m in difflib.get_close_matches(german_fold(tag), folded, n=n, cutoff=SIMILARITY)]


def german_fold(text: str) -> str:
    return german_key(text)[0]


# -----------------------------------------------------------------------------
# Every other page under docs/: one schema per kind of page
# -----------------------------------------------------------------------------

# Page templates a page may choose with `template:`, and the kinds of page
# that may (CONTRIBUTING.md, „Kopfbereich anderer Seiten“). Material's
# redirect.html is not among them: redirects come from data/redirects.yml.
PAGE_TEMPLATES = {"home.html": ("start",), "impressum.html": ("page",)}
# Front-matter keys that Material or MkDocs read from any page and print or
# act on; on our pages they are refused with their own hint.
MATERIAL_KEYS = ("subtitle", "status", "author", "icon", "hide", "search", "template", "robots", "location", "social")
KIND_NAMES = {
    "start": "der Startseite", "page": "einer Seite außerhalb der Reihen", "series": "der Übersichtsseite einer Reihe",
    "listing": "einer Übersichtsseite", "checklist": "einer Checkliste", "series-page": "einer Seite einer Reihe",
}


def page_kind(src: str) -> tuple[str | None, str | None]:
    """(kind, None) of a Markdown file under docs/ — "start", "page", "series",
    "article", "series-page" (docs/<reihe>/seiten/), "listing" (checklisten/
    and tags/ index) or "checklist" — or
    (None, German reason) for a place where no page may be."""
    parts = src.split("/")
    if len(parts) == 1:
        return ("start" if src == "index.md" else "page"), None
    folder = parts[0]
    if folder in FILE_FOLDERS:
        return None, (f"In docs/{folder}/ liegen nur Dateien (Bilder, Stile), keine Seiten. "
                      "Ein Artikel gehört in den Ordner seiner Reihe, z. B. docs/kooperation-netzwerke/.")
    if len(parts) == 3 and parts[1] == SERIES_PAGES and folder not in PAGE_FOLDERS:
        return "series-page", None
    if len(parts) > 2:
        return None, (
            f"Unterordner sind in docs/{folder}/ nicht vorgesehen (außer '{SERIES_PAGES}/' für Seiten einer Reihe): "
            f"Ein Artikel hier gehörte zu keiner Reihe. Legen Sie die Datei direkt in docs/{folder}/ ab "
            f"(z. B. docs/{folder}/{parts[-1]})."
        )
    if folder in PAGE_FOLDERS:
        if parts[1] == "index.md":
            return "listing", None
        # A page under docs/tags/ that hides a tag page: hooks/kn/derive/tags.py names the tag.
        return ("checklist" if folder == CHECKLISTS else "listing"), None
    return ("series" if parts[1] == "index.md" else "article"), None


def check_template(kind: str, value: Any) -> tuple[Any, str | None]:
    allowed = [name for name, kinds in PAGE_TEMPLATES.items() if kind in kinds]
    if isinstance(value, str) and value.strip() in allowed:
        return value.strip(), None
    choice = ("Erlaubt ist hier nur: " + ", ".join(allowed)) if allowed else f"Auf {KIND_NAMES[kind]} ist keine eigene Vorlage erlaubt"
    return None, f"{show(value)} ist keine Vorlage dieser Website. {choice} (Liste in CONTRIBUTING.md)."


PAGE_FIELDS: dict[str, dict[str, Field]] = {
    "start": {
        "title": Field(check_text, False, "Titel der Website"),
        "description": Field(check_text, False, "ein Satz für Suchmaschinen"),
        "template": Field(lambda v: check_template("start", v), False, "home.html"),
    },
    "page": {
        "title": Field(check_text, False, "Titel der Seite"),
        "description": Field(check_text, False, "ein Satz für Suchmaschinen"),
        "template": Field(lambda v: check_template("page", v), False, "impressum.html"),
    },
    "series-page": {
        "title": Field(check_text, False, "Titel der Seite"),
        "description": Field(check_text, False, "ein Satz für Suchmaschinen"),
    },
    "series": {
        "title": Field(check_text, False, "Titel der Reihe (oder eine Überschrift '# Titel' im Text)"),
        "description": Field(check_text, False, "ein Satz über die Reihe"),
        # reihe (parts in reading order) or blog (newest first): read and checked by articles.read_kind.
        "art": Field(lambda v: (v, None), False, "reihe oder blog"),
    },
    "listing": {
        "title": Field(check_text, False, "Titel der Seite"),
        "description": Field(check_text, False, "ein Satz für Suchmaschinen"),
    },
    # A checklist's optional front matter (rechtlich, felder, updated) is checked by
    # checklists.CHECKLIST_FIELDS: it is included into articles without it.
    "checklist": {},
}


def validate_page(src: str, kind: str, meta: dict[str, Any]) -> list[Problem]:
    """Problems of the front matter of a page that is no article, by the
    schema of its kind (PAGE_FIELDS); every key outside it is refused."""
    fields = PAGE_FIELDS[kind]
    problems: list[Problem] = []
    for key, value in meta.items():
        if not isinstance(key, str):
            problems.append(error(src, show(key), (
                "ist kein Feldname: Ein Feld heißt wie ein Wort (z. B. title); ja/nein-Wörter, Zahlen und ~ sind keine Namen."
            )))
            continue
        name = shorten_for_message(key)
        if key == "template":
            _value, problem = check_template(kind, value)
            problems.extend([error(src, name, problem)] if problem else [])
            continue
        if key not in fields:
            allowed = ", ".join(fields) or "keine (eine Checkliste hat keinen Kopfbereich)"
            if key in MATERIAL_KEYS:
                hint = f"Material würde es ungeprüft in die Seite schreiben; auf {KIND_NAMES[kind]} ist es nicht erlaubt."
            else:
                guess = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
                hint = "unbekanntes Feld." + (f" Meinten Sie '{guess[0]}'?" if guess else "")
            problems.append(error(src, name, f"{hint} Erlaubt sind: {allowed}."))
            continue
        _value, problem = fields[key].check(value)
        if problem:
            problems.append(error(src, name, problem))
    return problems
