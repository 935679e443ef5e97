"""Limits on what a build reads, and the cheap checks that enforce them.

Not a hook module: pure functions, used by `security.py` before any other hook
reads a file, and unit-tested directly. Every limit lives here, in one table
(`LIMITS`), and CONTRIBUTING.md names them. No real content comes near them;
they exist so that hostile input (from a pull request or an import) ends the
build within a second with a German message instead of a crash or a hang:

- files must be UTF-8 and not too big;
- YAML (front matter and data files) is scanned as an event stream by
  libyaml's iterative parser before anything builds a tree from it: too deep,
  anchors and aliases (billion laughs), duplicate keys, control characters
  and over-long values are refused here;
- Markdown that makes Python-Markdown quadratic (thousands of `[` in one
  paragraph) or recursive (hundreds of nested lists or quotes) is refused.

Every function returns German problems (strings) and never raises on bad input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from kn import yamlfile
from kn.problems import Problem, error

# -----------------------------------------------------------------------------
# Limits (CONTRIBUTING.md, „Grenzen“, names each of them)
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    page_bytes: int = 300_000  # one Markdown file under docs/ (a long article has 30 000)
    data_bytes: int = 1_000_000  # one file under data/ (comments, tags.yml, authors.yml)
    yaml_depth: int = 10  # nesting of lists and mappings in any YAML
    yaml_nodes: int = 100_000  # values in one YAML document
    comment_chars: int = 10_000  # the text of one archived comment
    reply_depth: int = 30  # answers to answers in archived comments
    # Python-Markdown is quadratic in these per paragraph (10 000 "[" take 35 s)
    # and slow on each (50 000 "*a*" take 30 s): limits per paragraph and per file.
    brackets_per_block: int = 300  # "[" in one paragraph
    emphasis_per_block: int = 500  # "*", "_" or "`" in one paragraph
    brackets_per_file: int = 5_000  # "[" in one file (all comments of an article together)
    emphasis_per_file: int = 10_000  # "*", "_" or "`" in one file
    nesting: int = 20  # nested lists and quotes in Markdown
    indent: int = 120  # leading spaces of one Markdown line
    tag_chars: int = 60  # name of a tag in data/tags.yml
    # Constructs Python-Markdown (or its HTML parser) handles slowly or by
    # recursion, counted per file before it sees them (real articles have a
    # few dozen of each; 20 000 headings took 40 s, 5 000 nested <div> crashed).
    headings_per_file: int = 1_000  # lines starting with "#"
    quotes_per_file: int = 10_000  # '"' and "'" (smarty turns them into „…“ ’)
    comments_per_file: int = 500  # HTML comments "<!--"
    entities_per_file: int = 10_000  # "&"
    backslashes_per_file: int = 10_000  # "\"
    angles_per_file: int = 20_000  # "<" (tags and text)
    html_depth: int = 100  # HTML elements inside each other
    excerpt: int = 40  # characters of a bad value quoted in a message


LIMITS = Limits()

# Text fields with their own maximum length (by YAML key, in any of our files).
FIELD_CHARS = {
    "title": 200,
    "description": 1_000,
    "name": 100,
    "bio": 1_000,
    "author": 100,
    "text": LIMITS.comment_chars,
}
OTHER_CHARS = 1_000  # any other YAML value

# Control characters: C0 except tab, line feed and carriage return; C1; and the
# non-characters XML refuses (the feed writer would crash after the pages).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*\n")
# The container markers at the start of a line: list bullets, numbers, quotes.
CONTAINERS_RE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+|$|(?=>)))+", re.M)
MARKER_COUNT_RE = re.compile(r"[-*+>]|\d{1,9}[.)]")
INDENT_RE = re.compile(r"^[ \t]{%d}" % (LIMITS.indent + 1), re.M)

# -----------------------------------------------------------------------------
# Messages
# -----------------------------------------------------------------------------


def shorten_for_message(value: Any, limit: int = LIMITS.excerpt) -> str:
    """A bad value for a message: at most `limit` characters, cut with „…“,
    control characters shown as escapes (no terminal codes in a CI log)."""
    text = value if isinstance(value, str) else repr(value)
    cut = len(text) > limit
    text = text[:limit]
    text = CONTROL_RE.sub(lambda m: repr(m.group(0))[1:-1], text).replace("\n", "\\n").replace("\t", "\\t")
    return text + "…" if cut else text


def field_where(path: list[Any], line: int | None = None) -> str | None:
    """'Feld 'redaktion.name'', 'Eintrag 2, Feld 'text'', each with 'Zeile n'."""
    parts: list[str] = []
    keys: list[str] = []
    for step in path:
        if isinstance(step, int) and not keys and not parts:
            parts.append(f"Eintrag {step}")
        else:
            keys.append(str(step))
    if keys:
        parts.append(f"Feld '{shorten_for_message('.'.join(keys), 2 * LIMITS.excerpt)}'")
    if line is not None:
        parts.append(f"Zeile {line}")
    return ", ".join(parts) or None


# -----------------------------------------------------------------------------
# Bytes and characters
# -----------------------------------------------------------------------------


def decode(src: str, data: bytes, max_bytes: int, *, size: int | None = None) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a file (a BOM is allowed), or a German problem. `data`
    may be cut after max_bytes + 1; `size` is then the file's real size."""
    if len(data) > max_bytes:
        return None, error(src, None, (
            f"Die Datei ist {size or len(data):,} Bytes groß; erlaubt sind höchstens {max_bytes:,} Bytes. "
            "Teilen Sie den Inhalt auf."
        ).replace(",", "."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:2]):
        return None, error(src, None, (
            "Die Datei ist in UTF-16 gespeichert. Speichern Sie sie als UTF-8 (in den meisten Editoren: "
            "„Speichern unter“ → Kodierung „UTF-8“)."
        ))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, error(src, None, (
            f"Die Datei ist nicht in UTF-8 gespeichert (ungültiges Byte 0x{data[exc.start]:02x} an "
            f"Byteposition {exc.start}). Speichern Sie sie als UTF-8."
        ), where=f"Byte {exc.start}")


def control_problem(src: str, text: str, where: str | None = None) -> Problem | None:
    """A problem for the first control character in `text`, with its line and column."""
    match = CONTROL_RE.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    name = unicodedata.name(match.group(0), "") or f"U+{ord(match.group(0)):04X}"
    place = where or f"Zeile {line}, Spalte {column}"
    return error(src, None, (
        f"Das Steuerzeichen {shorten_for_message(match.group(0))} ({name}) ist nicht erlaubt. "
        "Entfernen Sie es; es ist im Text unsichtbar und bricht die Feeds."
    ), where=place)


# -----------------------------------------------------------------------------
# YAML
# -----------------------------------------------------------------------------

# The events of kn.yamlfile: libyaml's parser is iterative (a state stack,
# no recursion); only the tree builders recurse. Without libyaml the
# pure-Python parser is iterative too.


@dataclass
class _Node:
    kind: str  # "map" or "seq"
    path: list[Any]
    keys: set[str]
    expect_key: bool = True
    key: Any = None
    index: int = 0


def yaml_problems(src: str, text: str, *, first_line: int = 1, top_keys_are_names: bool = False,
                  string_keys: bool = False) -> list[str]:
    """Scan YAML as a stream of events and return the problems found: depth,
    anchors and aliases, duplicate keys, control characters, value lengths.
    Syntax errors are left to the real loader (it reports them with the line).
    `first_line` is the file's line of the YAML's first line (front matter: 2).
    `top_keys_are_names`: the top-level keys are tag names (data/tags.yml);
    `string_keys`: a key YAML reads as no text (`yes:`, `~:`, `12:`) is refused."""
    problems: list[Problem] = []
    stack: list[_Node] = []
    nodes = 0

    def line(event: Any) -> int:
        return event.start_mark.line + first_line

    try:
        for event in yamlfile.events(text):
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
                continue
            nodes += 1
            if nodes > LIMITS.yaml_nodes:
                return [error(src, None, f"Die YAML-Daten enthalten mehr als {LIMITS.yaml_nodes:,} Werte.".replace(",", "."))]
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                _after_value(stack)
                continue
            parent = stack[-1] if stack else None
            path = _child_path(parent)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [error(src, None, (
                    "Anker und Verweise (&name, *name) sind in unseren YAML-Dateien nicht erlaubt. "
                    "Schreiben Sie den Wert aus."
                ), where=field_where(path, line(event)))]
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= LIMITS.yaml_depth:
                    return [error(src, None, (
                        f"Die YAML-Daten sind tiefer als {LIMITS.yaml_depth} Ebenen verschachtelt."
                    ), where=field_where(path, line(event)))]
                if parent is not None and parent.kind == "map" and parent.expect_key:
                    parent.key = "?"
                kind = "seq" if isinstance(event, yaml.SequenceStartEvent) else "map"
                stack.append(_Node(kind, path, set()))
                continue
            if isinstance(event, yaml.ScalarEvent):
                value = event.value
                if parent is not None and parent.kind == "map" and parent.expect_key:
                    if value in parent.keys:
                        problems.append(error(src, None, (
                            "steht doppelt. Jeder Name darf in einem Abschnitt nur einmal vorkommen; "
                            "sonst gälte stillschweigend der letzte."
                        ), where=field_where([*parent.path, value], line(event))))
                    parent.keys.add(value)
                    parent.key = value
                    parent.expect_key = False
                    if "\n" in value or "\r" in value or "\u2028" in value or "\u2029" in value:
                        problems.append(error(src, None, (
                            "Ein Name (vor dem Doppelpunkt) darf keinen Zeilenumbruch enthalten."
                        ), where=field_where([*parent.path, value], line(event))))
                    if string_keys and not_text_key(event):
                        problems.append(error(src, None, (
                            "ist als Name kein Text: YAML liest ihn als ja/nein, leer oder Zahl. "
                            f"Schreiben Sie ihn in Anführungszeichen, z. B. \"{shorten_for_message(value)}\":"
                        ), where=field_where([*parent.path, value], line(event))))
                    limit = LIMITS.tag_chars if top_keys_are_names and len(stack) == 1 else OTHER_CHARS
                    problems.extend(_scalar_problems(src, [*parent.path, value], value, limit, line(event), "Der Name"))
                    continue
                key = path[-1] if path else None
                limit = FIELD_CHARS.get(key, OTHER_CHARS) if isinstance(key, str) else OTHER_CHARS
                problems.extend(_scalar_problems(src, path, value, limit, line(event), "Der Wert"))
                _after_value(stack)
    except yaml.YAMLError:
        pass  # the loader reports it, with line and German hint
    return problems


_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")  # our loaders keep dates as text


def not_text_key(event: Any) -> bool:
    """True for a plain (unquoted) scalar that YAML resolves to no string."""
    if not event.implicit[0] or event.tag not in (None, "!"):
        return False
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, event.value, (True, False)) not in _TEXT_TAGS


def _child_path(parent: _Node | None) -> list[Any]:
    if parent is None:
        return []
    if parent.kind == "seq":
        parent.index += 1
        return [*parent.path, parent.index]
    if parent.expect_key:
        return list(parent.path)
    return [*parent.path, parent.key]


def _after_value(stack: list[_Node]) -> None:
    if stack and stack[-1].kind == "map":
        stack[-1].expect_key = not stack[-1].expect_key


def _scalar_problems(src: str, path: list[Any], value: str, limit: int, line: int, what: str) -> list[Problem]:
    if len(value) <= limit and not CONTROL_RE.search(value):
        return []  # the usual case: no message to build
    where = field_where(path, line)
    control = control_problem(src, value, where)
    if control:
        return [control]
    if len(value) > limit:
        return [error(src, None, (
            f"{what} ist {len(value):,} Zeichen lang; erlaubt sind höchstens {limit:,} Zeichen "
            f"(Anfang: '{shorten_for_message(value)}')."
        ).replace(",", "."), where=where)]
    return []


def reply_depth_problem(src: str, entries: Any) -> Problem | None:
    """Archived comments answering answers deeper than the limit (computed
    without recursion; invalid `reply_to` values are left to comments.py)."""
    if not isinstance(entries, list):
        return None
    depth: dict[int, int] = {}
    for number, entry in enumerate(entries, start=1):
        parent = entry.get("reply_to") if isinstance(entry, dict) else None
        valid = isinstance(parent, int) and not isinstance(parent, bool) and 1 <= parent < number
        depth[number] = depth[parent] + 1 if valid else 0
        if depth[number] > LIMITS.reply_depth:
            return error(src, None, (
                f"Die Antworten sind tiefer als {LIMITS.reply_depth} Ebenen verschachtelt "
                "(Antwort auf eine Antwort auf …). Hängen Sie die Antwort an einen früheren Eintrag."
            ), where=f"Eintrag {number}, Feld 'reply_to'")
    return None


# -----------------------------------------------------------------------------
# Markdown
# -----------------------------------------------------------------------------


def markdown_problem(src: str, text: str, where: str | None = None, *, first_line: int = 1) -> Problem | None:
    """A problem for Markdown that would make Python-Markdown slow or recurse:
    too many "[" in one paragraph, too deep nesting of lists and quotes."""
    total = markup_total_problem(src, text, where) or construct_problem(src, text, where, first_line=first_line)
    if total:
        return total
    offset = 0
    for block in BLOCK_SPLIT_RE.split(text):
        start = text.find(block, offset)
        offset = start + len(block)
        start += len(block) - len(block.lstrip("\n"))
        too_many = [
            f"{limit} Zeichen „{char}“" for char, limit in (
                ("[", LIMITS.brackets_per_block), ("*", LIMITS.emphasis_per_block),
                ("_", LIMITS.emphasis_per_block), ("`", LIMITS.emphasis_per_block),
            ) if block.count(char) > limit
        ]
        if too_many:
            line = first_line + text.count("\n", 0, start)
            return error(src, None, (
                f"Ein Absatz enthält mehr als {too_many[0]}. So viel Auszeichnung in einem Absatz "
                "ist kein Text und macht den Bau sehr langsam; teilen Sie den Absatz auf."
            ), where=where or f"Zeile {line}")
    deep = [m.start() for m in CONTAINERS_RE.finditer(text)
            if len(m.group(0)) > LIMITS.nesting and len(MARKER_COUNT_RE.findall(m.group(0))) > LIMITS.nesting]
    indented = INDENT_RE.search(text)
    if deep or indented:
        at = min(deep + ([indented.start()] if indented else []))
        number = first_line + text.count("\n", 0, at)
        return error(src, None, (
            f"Listen oder Zitate sind tiefer als {LIMITS.nesting} Ebenen verschachtelt "
            f"(oder die Zeile ist mehr als {LIMITS.indent} Zeichen eingerückt)."
        ), where=where or f"Zeile {number}")
    return None


# HTML elements that have no end tag or close themselves, for `html_depth`.
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot", "colgroup", "rt", "rp",
})
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]{0,30})\b[^<>]{0,2000}?(/?)>")
# "<![" that is no "<![CDATA[" makes Python's HTML parser fail with an AssertionError.
BROKEN_DECLARATION_RE = re.compile(r"<!\[(?!CDATA\[)")
HEADING_RE = re.compile(r"^[ ]{0,3}#", re.M)


def construct_problem(src: str, text: str, where: str | None = None, *, first_line: int = 1) -> Problem | None:
    """A problem for a file with more of one construct than Python-Markdown
    handles fast (counts of CONSTRUCT_LIMITS), HTML nested deeper than
    `html_depth`, or a broken declaration „<![“."""
    for label, count, limit in (
        ("Überschriften", lambda: len(HEADING_RE.findall(text)), LIMITS.headings_per_file),
        ("Anführungszeichen \" und '", lambda: text.count('"') + text.count("'"), LIMITS.quotes_per_file),
        ("HTML-Kommentare <!--", lambda: text.count("<!--"), LIMITS.comments_per_file),
        ("Zeichen „&“", lambda: text.count("&"), LIMITS.entities_per_file),
        ("Backslashes „\\“", lambda: text.count("\\"), LIMITS.backslashes_per_file),
        ("Zeichen „<“", lambda: text.count("<"), LIMITS.angles_per_file),
    ):
        found = count()
        if found > limit:
            return error(src, None, (
                f"Der Text enthält {found:,} {label}; erlaubt sind höchstens {limit:,}. So viel davon ist kein Text "
                "und macht den Bau sehr langsam; kürzen oder teilen Sie ihn."
            ).replace(",", "."), where=where)
    broken = BROKEN_DECLARATION_RE.search(text)
    if broken:
        line = first_line + text.count("\n", 0, broken.start())
        return error(src, None, (
            "„<![“ beginnt eine HTML-Deklaration, die hier nicht erlaubt ist (nur „<![CDATA[“). "
            "Schreiben Sie das Zeichen „<“ als &lt;."
        ), where=where or f"Zeile {line}")
    depth, deepest = 0, None
    for match in TAG_RE.finditer(text) if "<" in text else ():
        closing, name, selfclosing = match.group(1), match.group(2).lower(), match.group(3)
        if name in VOID_TAGS or selfclosing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > LIMITS.html_depth:
            deepest = match.start()
            break
    if deepest is not None:
        line = first_line + text.count("\n", 0, deepest)
        return error(src, None, (
            f"HTML-Elemente sind tiefer als {LIMITS.html_depth} Ebenen ineinander verschachtelt. "
            "Vereinfachen Sie das HTML."
        ), where=where or f"Zeile {line}")
    return None


def markup_total_problem(src: str, text: str, where: str | None = None) -> Problem | None:
    """A problem when one file (or all comments of one article) holds more
    link or emphasis marks than `brackets_per_file` / `emphasis_per_file`."""
    for char, limit in (("[", LIMITS.brackets_per_file), ("*", LIMITS.emphasis_per_file),
                        ("_", LIMITS.emphasis_per_file), ("`", LIMITS.emphasis_per_file)):
        if text.count(char) > limit:
            return error(src, None, (
                f"Der Text enthält mehr als {limit:,} Zeichen „{char}“. So viel Auszeichnung ist kein Text "
                "und macht den Bau sehr langsam; kürzen oder teilen Sie ihn."
            ).replace(",", "."), where=where)
    return None
