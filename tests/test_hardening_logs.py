"""Issues #26 and #30: nothing an author controls reaches a log line raw
(no fake workflow command, no mask), and the pull-request summary shows it as
Markdown text. Pure functions; one build in test_hardening_build.py."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.unit

HOSTILE = [
    "neu\n::warning file=x.md::gefälscht",
    "neu\r\n::add-mask::geheim",
    "a\u2028::error::x",
    "##[add-mask]geheim",
    "  ::set-output name=x::y",
    "100 % \x1b[31mrot",
]


def is_command(line: str) -> bool:
    return line.lstrip().startswith("::") or "##[" in line


@pytest.mark.parametrize("value", HOSTILE)
def test_log_value_is_one_line_and_no_command(value):
    from kn.annotate import log_value

    safe = log_value(value)
    assert "\n" not in safe and "\r" not in safe and "\x1b" not in safe and "\u2028" not in safe
    assert not is_command(safe)


@pytest.mark.parametrize("value", HOSTILE)
def test_log_lines_keeps_our_lines_and_defuses_commands(value):
    from kn.annotate import log_lines

    message = "2 Probleme:\n  Fehler in 'x.md', Feld 'tags': unbekanntes Thema '" + value + "'."
    safe = log_lines(message)
    assert safe.splitlines()[0] == "2 Probleme:"
    assert not any(is_command(line) for line in safe.splitlines()), safe
    assert "\r" not in safe and "\x1b" not in safe


def test_log_value_uses_githubs_escapes():
    from kn.annotate import log_value

    assert log_value("a%b\nc\rd") == "a%25b%0Ac%0Dd"


def test_every_mkdocs_log_record_is_guarded():
    from kn.annotate import guard_log_records

    guard_log_records()
    guard_log_records()  # once, however often the hooks start
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("mkdocs.plugins.kn.test")
    handler = Keep()
    logger.addHandler(handler)
    try:
        logger.warning("Fehler in '%s': %s", "x.md", "neu\n::add-mask::geheim")
    finally:
        logger.removeHandler(handler)
    assert records and not any(is_command(line) for line in records[0].splitlines())


@pytest.mark.parametrize("value", HOSTILE)
def test_problems_are_one_line(value):
    from kn.problems import error

    for message in (error("x.md", value, f"unbekanntes Thema '{value}'."), error(value, None, value, where=value)):
        assert "\n" not in message and "\r" not in message and "\u2028" not in message and "\x1b" not in message


@pytest.mark.parametrize("value", HOSTILE + ["<img src=x onerror=alert(1)>", "[Link](https://evil.example/)", "@beispiel-verlag/team"])
def test_summary_shows_author_text_as_text(value):
    from tools.pr_summary import code, md

    for shown in (md(value), code(value)):
        assert "\n" not in shown and "\r" not in shown
    assert "<" not in md(value).replace("\\<", "") and "](" not in md(value).replace("\\](", "")
    assert "@" not in md(value).replace("\\@", "")
    assert code(value).count("`") == 2


@pytest.mark.parametrize("text", ['"a\\n::warning::x": 1\n', '"Thema\\r\\n::add-mask::y": Satz.\n', '"a\\u2028b": 1\n'])
def test_names_with_line_breaks_are_refused(text):
    from kn.limits import yaml_problems

    problems = yaml_problems("data/tags.yml", text, top_keys_are_names=True)
    assert len(problems) == 1 and "Zeilenumbruch" in problems[0] and "\n" not in problems[0]
