"""Problems where authors wrote them: line numbers for build errors, and
GitHub workflow commands that put them on those lines.

Not a hook module: kn/problems.py `stop` calls `print_annotations` before it
stops the build, and tools/pr_summary.py uses `locate` for its summary. Under GitHub
Actions (GITHUB_ACTIONS=true) each problem is printed as

    ::error file=docs/serie/artikel.md,line=4,title=Feld 'tags'::unbekanntes Thema …

(`file=` alone when no line is known), which GitHub shows on that line in the
„Files changed“ tab of a pull request. Outside GitHub Actions nothing is printed.

Lines come from the YAML parser's marks: front-matter fields of Markdown files
(the YAML starts below the opening `---`), entries and fields of data files
(`data/comments/…`: „Eintrag 2, Feld 'date'“; `data/authors.yml`: `jana.bio`;
mkdocs.yml: `extra.comments.default`). Body problems set their line themselves.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import yaml

from kn import yamlfile
from kn.yamlfile import FRONT_MATTER_RE

if TYPE_CHECKING:
    from kn.problems import Problem

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

ENV = "GITHUB_ACTIONS"
# Paths that are relative to the repository, not to docs/.
REPO_PREFIXES = ("data/", "docs/")
REPO_FILES = ("mkdocs.yml",)
ENTRY_RE = re.compile(r"\AEintrag (\d+)(?:, Feld '(.+)')?\Z")
MAX_DEPTH = 4


# -----------------------------------------------------------------------------
# Printing annotations
# -----------------------------------------------------------------------------


def enabled(environ: dict[str, str] | os._Environ = os.environ) -> bool:
    return environ.get(ENV) == "true"


def print_annotations(problems: Iterable[str], *, root: Path, docs_dir: Path) -> None:
    """Under GitHub Actions, print every problem as a workflow command."""
    if not enabled():
        return
    problems = list(problems)
    locate(problems, root=root, docs_dir=docs_dir)
    docs = docs_prefix(root, docs_dir)
    for problem in problems:
        print(annotation(problem, docs=docs), flush=True)


def annotation(problem: str, *, docs: str = "docs") -> str:
    """The workflow command for one problem (a problems.Problem or plain text)."""
    src = getattr(problem, "src", None)
    if src is None:
        return workflow_command("error", str(problem))
    return workflow_command(
        "error", problem.detail, file=repo_path(src, docs=docs), line=problem.line, title=title(problem.field),
    )


def title(field: str | None) -> str:
    """The annotation's headline: the field, in the words of our messages."""
    if not field:
        return "Fehler"
    if field.startswith("Eintrag "):
        return field
    return f"Feld '{field}'"


def workflow_command(level: str, message: str, *, file: str | None = None,
                     line: int | None = None, title: str | None = None) -> str:
    """`::level file=…,line=…,title=…::message`, escaped as GitHub requires."""
    properties = [(key, value) for key, value in (("file", file), ("line", line), ("title", title)) if value is not None]
    head = f"::{level}"
    if properties:
        head += " " + ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"{head}::{escape_data(message)}"


# Characters that must not reach a log line raw: every control character
# but tab (a CR or LF in a value would start a new line, which the runner may
# read as a command), and the Unicode line separators.
LOG_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# A line the runner reads as a workflow command: "::" after leading spaces
# (`::warning …`, `::add-mask::…`), or the old form "##[command]" anywhere.
COMMAND_START_RE = re.compile(r"^(\s*):(?=:)", re.M)
OLD_COMMAND_RE = re.compile(r"##\[")


def log_value(text: str) -> str:
    """Author-controlled text for one log line: control characters as
    %0A, %0D, %1B …, '%' as %25 (GitHub's own escapes), so that a value can
    neither end the line nor start a workflow command."""
    text = str(text).replace("%", "%25")
    text = LOG_CONTROL_RE.sub(lambda m: f"%{ord(m.group(0)):02X}" if ord(m.group(0)) < 0x100 else f"%u{ord(m.group(0)):04X}", text)
    return OLD_COMMAND_RE.sub("## [", COMMAND_START_RE.sub(r"\1: ", text))


def log_lines(text: str) -> str:
    """A (possibly multi-line) log message of ours: no line of it can be a
    workflow command. CRs and other control characters are escaped; a line
    starting with '::' gets a space between the colons; '##[' gets one too."""
    text = str(text).replace("\r", "%0D")
    text = LOG_CONTROL_RE.sub(lambda m: m.group(0) if m.group(0) == "\n" else f"%{ord(m.group(0)):02X}"
                              if ord(m.group(0)) < 0x100 else f"%u{ord(m.group(0)):04X}", text)
    return OLD_COMMAND_RE.sub("## [", COMMAND_START_RE.sub(r"\1: ", text))


def guard_log_records() -> None:
    """Make every log record of MkDocs and its plugins safe for GitHub's log
    (`log_lines`) when it is made, before any handler prints it: the errors
    that MkDocs prints for a failed build, warnings, and MkDocs' own messages."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "kn_guarded", False):
        return

    def make(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        if record.name.startswith("mkdocs"):
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return record
            safe = log_lines(message)
            if safe != message:
                record.msg, record.args = safe, None
        return record

    make.kn_guarded = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# -----------------------------------------------------------------------------
# Paths
# -----------------------------------------------------------------------------


def docs_prefix(root: Path, docs_dir: Path) -> str:
    """docs_dir relative to the repository, e.g. "docs"."""
    try:
        return docs_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return "docs"


def repo_path(src: str, *, docs: str = "docs") -> str:
    """A problem's file relative to the repository: pages are named relative to
    docs/ ("serie/artikel.md"), data files and mkdocs.yml relative to the root."""
    if src in REPO_FILES or src.startswith(REPO_PREFIXES) or src.startswith(f"{docs}/"):
        return src
    return f"{docs}/{src}"


# -----------------------------------------------------------------------------
# Lines
# -----------------------------------------------------------------------------


def locate(problems: list[Problem], *, root: Path, docs_dir: Path) -> None:
    """Set `line` of every problem that names a field but has no line yet, from
    the file as it is on disk. Each file is parsed once; unreadable files and
    unknown fields leave the line empty (the annotation then names the file)."""
    docs = docs_prefix(root, docs_dir)
    found: dict[str, dict[tuple[str, ...], int]] = {}
    for problem in problems:
        if getattr(problem, "line", 1) is not None or not problem.field:
            continue
        path = repo_path(problem.src, docs=docs)
        if path not in found:
            found[path] = field_lines(path, read_text(root / path))
        problem.line = line_of(problem.field, found[path])


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def field_lines(path: str, text: str | None) -> dict[tuple[str, ...], int]:
    """Key path -> line for a Markdown file's front matter or a YAML file."""
    if text is None:
        return {}
    if path.endswith(".md"):
        return front_matter_lines(text)
    if path.endswith((".yml", ".yaml")):
        return yaml_lines(text)
    return {}


def front_matter_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each front-matter field of a Markdown file (the YAML starts
    on line 2, below the opening `---`)."""
    match = FRONT_MATTER_RE.match(text)
    return yaml_lines(match.group(1), first_line=2) if match else {}


def yaml_lines(text: str, *, first_line: int = 1) -> dict[tuple[str, ...], int]:
    """Every mapping key and sequence entry (numbered from 1, as "2") of a YAML
    text, as a path of strings, with the line where it starts."""
    try:
        node = yamlfile.compose(text)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[str, ...], int] = {}
    walk(node, (), lines, first_line)
    return lines


def walk(node: yaml.Node | None, path: tuple[str, ...], lines: dict[tuple[str, ...], int], first_line: int) -> None:
    if len(path) >= MAX_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = (*path, key.value)
                lines.setdefault(child, key.start_mark.line + first_line)
                walk(value, child, lines, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value, start=1):
            child = (*path, str(number))
            lines[child] = item.start_mark.line + first_line
            walk(item, child, lines, first_line)


def line_of(field: str, lines: dict[tuple[str, ...], int]) -> int | None:
    """The line of a field as our messages name it: "tags", "jana.bio",
    "extra.comments.default" or "Eintrag 2, Feld 'date'". A missing key falls
    back to its parent entry ("Eintrag 2" for a missing date)."""
    entry = ENTRY_RE.match(field)
    if entry:
        path = (entry.group(1),) + ((entry.group(2),) if entry.group(2) else ())
    elif (field,) in lines:
        return lines[(field,)]
    else:
        path = tuple(field.split("."))
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def body_first_line(text: str, body: str) -> int | None:
    """The file line on which `body` (the text after the front matter) starts."""
    if not text.endswith(body):
        return None
    return text.count("\n", 0, len(text) - len(body)) + 1


def lines_with(text: str, needle: str) -> list[int]:
    """The lines (from 1) on which `needle` stands as a whole word."""
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]



# -----------------------------------------------------------------------------
# Changed files of a pull request
# -----------------------------------------------------------------------------

STATUS_RE = re.compile(r"\A([ACDMRTUX])\d*\t(.+)\Z")


def changed_files(lines: Iterable[str]) -> dict[str, str]:
    """Path -> status ("A" added, "M" changed, "D" deleted, "" unknown) from the
    output of `git diff --name-status` or a plain list of paths."""
    changed: dict[str, str] = {}
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        match = STATUS_RE.match(line)
        if match:
            changed[match.group(2).split("\t")[-1]] = match.group(1)
        else:
            changed[line.strip()] = ""
    return changed
