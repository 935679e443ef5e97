"""Spelling of the site's Markdown: hunspell (de_DE) with the project's word
list (tests/wortliste.txt). Used by `make pruefen` (tools/pruefen.py); the
rules are tested in tests/test_spelling.py.

Under GitHub Actions every unknown word can be printed as
`::warning file=docs/…,line=N::…`, so that it shows on its line in the pull
request; only for the files listed in $KN_CHANGED_FILES (a file with one path
per line, or `git diff --name-status` output) when that is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from kn import yamlfile
from kn.annotate import changed_files, enabled, lines_with, workflow_command
from kn.yamlfile import FRONT_MATTER_RE

ROOT = Path(__file__).resolve().parent.parent
WORDLIST = ROOT / "tests" / "wortliste.txt"
CHANGED_ENV = "KN_CHANGED_FILES"

PROSE_FIELDS = ("title", "description")
STRIP = [
    (re.compile(r"^--8<--.*$", re.M), " "),  # checklist includes
    (re.compile(r"`[^`]*`"), " "),  # inline code
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
    (re.compile(r"\]\([^)]*\)"), "]"),  # link targets
    (re.compile(r"^(?:!!!|\?\?\?\+?) *\w+", re.M), " "),  # admonition type
    (re.compile(r"\[[ xX]\]"), " "),  # task boxes
    (re.compile(r"^\|?[ :|-]*---[ :|-]*$", re.M), " "),  # table delimiter rows
    (re.compile(r"\{\s*:?\s*[.#][^}\n]*\}"), " "),  # attribute lists: { .video }, {: #anker }
]


class HunspellMissing(RuntimeError):
    """hunspell (with the de_DE dictionary) is not installed."""


def hunspell() -> str:
    path = shutil.which("hunspell")
    if not path:
        raise HunspellMissing("hunspell")
    return path


def prose(text: str) -> str:
    """The words a reader sees, from a Markdown source."""
    match = FRONT_MATTER_RE.match(text)
    head = ""
    if match:
        try:
            meta = yamlfile.load(match.group(1)) or {}
        except yaml.YAMLError:
            meta = {}  # the build reports broken front matter
        if isinstance(meta, dict):
            head = "\n".join(str(meta[k]) for k in PROSE_FIELDS if k in meta)
        text = text[match.end():]
    text = head + "\n" + text
    for pattern, repl in STRIP:
        text = pattern.sub(repl, text)
    return re.sub(r"(?m)^ *(?:[-*]|\d+\.|#+|!!!|\?\?\?\+?) ", " ", text)


def unknown(text: str, wordlist: Path = WORDLIST) -> set[str]:
    args = [hunspell(), "-d", "de_DE", "-l"]
    if wordlist.is_file():
        args[3:3] = ["-p", str(wordlist)]
    result = subprocess.run(args, input=text, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def misspelled(text: str, wordlist: Path = WORDLIST) -> list[str]:
    """Unknown words. The German dictionary reads a sentence's final period as
    part of the word ('Netzwerk.'): such words are checked again without it."""
    first = unknown(text, wordlist)
    dotted = {w for w in first if w.endswith(".")}
    again = unknown("\n".join(w.rstrip(".") for w in dotted), wordlist) if dotted else set()
    return sorted((first - dotted) | again)


def message(word: str) -> str:
    return (
        f"„{word}“ steht nicht im Wörterbuch. Bitte prüfen Sie die Schreibweise; "
        "ist das Wort richtig, tragen Sie es in tests/wortliste.txt ein."
    )


def spelling_annotations(rel: str, text: str, words: list[str]) -> list[str]:
    """One warning per line on which an unknown word stands (the file alone
    when the word is not found verbatim, e.g. split by markup)."""
    found = []
    for word in words:
        for line in lines_with(text, word) or [None]:
            found.append(workflow_command("warning", message(word), file=rel, line=line))
    return found


def annotated(rel: str, environ: dict[str, str] | os._Environ = os.environ) -> bool:
    """Whether to annotate a file: under GitHub Actions, and among the changed
    files of the pull request when their list is given."""
    if not enabled(environ):
        return False
    listing = environ.get(CHANGED_ENV)
    if not listing:
        return True
    try:
        changed = changed_files(Path(listing).read_text(encoding="utf-8").splitlines())
    except OSError:
        return True
    return changed.get(rel, "D") != "D"
