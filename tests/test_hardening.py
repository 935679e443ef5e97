"""Hostile input: every build ends fast with a German message naming file and
field, without traceback, and publishes nothing. The cases (fixtures written
in the test, none committed) are those of tools/bench_hostile.py, which
measures their build times."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import DEMO, ROOT, Project, assert_fails, copy_example_comments
from kn.security import check_data, check_page, outside_links
from tools.bench_hostile import CASES

FAILING = [name for name, case in CASES.items() if not case.passes and case.in_tests]
PASSING = [name for name, case in CASES.items() if case.passes and case.in_tests]
# Cases the checks before the build cannot see (the build date comes from the
# environment): only a build shows them.
ENV_ONLY = [name for name in FAILING if CASES[name].env]
# One build per kind of input proves that the checks run in the build, stop it
# and publish nothing: a page, a data file, a symbolic link.
WIRING = ["artikel-latin1", "kommentare-utf16", "link-passwd", *ENV_ONLY]


def content_copy(target: Path) -> Path:
    """The test site's docs/ and data/ with the example comments: what the
    checks before the build read (no config, templates or assets needed)."""
    for part in ("docs", "data"):
        shutil.copytree(DEMO / part, target / part)
    copy_example_comments(target)
    (target / "overrides").mkdir()
    return target


def preflight(root: Path) -> list[str]:
    """What hooks/kn/security.py checks before any other hook reads a file
    (on_config: symbolic links; on_files: every page and data file)."""
    problems = outside_links(root, [root / "docs", root / "data", root / "overrides"])
    if problems:
        return problems  # on_config stops the build before on_files
    for path in sorted((root / "docs").rglob("*.md")):
        page = SimpleNamespace(src_uri=path.relative_to(root / "docs").as_posix(), abs_src_path=str(path))
        problems.extend(check_page(page))
    return problems + check_data(root)


@pytest.mark.unit
@pytest.mark.parametrize("name", [n for n in FAILING if n not in ENV_ONLY])
def test_hostile_input_is_reported_before_the_build(tmp_path, name):
    case = CASES[name]
    root = content_copy(tmp_path / "site")
    case.write(root)
    output = "\n".join(preflight(root))
    for needle in case.needles:
        assert needle in output, f"{needle!r} not in:\n{output[:2000]}"
    assert all(line.startswith("Fehler in ") for line in output.splitlines() if line.strip())
    if case.secret:
        assert case.secret not in output


@pytest.mark.unit
@pytest.mark.parametrize("name", PASSING)
def test_input_just_inside_the_limits_passes_the_checks(tmp_path, name):
    root = content_copy(tmp_path / "site")
    CASES[name].write(root)
    assert preflight(root) == []


@pytest.mark.build
@pytest.mark.parametrize("name", WIRING)
def test_hostile_input_fails_the_build_with_german_message(project: Project, monkeypatch, name):
    case = CASES[name]
    case.write(project.root)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    result, built = project.build()
    output = assert_fails(result, "die Website wurde nicht gebaut", *case.needles)
    assert "Traceback" not in output
    assert not built.exists("index.html"), "nothing may be published"
    if case.secret:
        assert case.secret not in output


# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------


def test_shorten_for_message_cuts_and_shows_control_characters():
    from kn.limits import shorten_for_message

    assert shorten_for_message("kurz") == "kurz"
    assert shorten_for_message("x" * 100) == "x" * 40 + "…"
    assert shorten_for_message("a\x1b[31mb\nc") == "a\\x1b[31mb\\nc"


@pytest.mark.parametrize(("data", "needle"), [
    (b"ok \xc3\xa4", None),
    (b"\xef\xbb\xbfmit BOM", None),
    (b"kaputt \xff", "Byteposition 7"),
    ("UTF-16".encode("utf-16"), "UTF-16"),
    (b"x" * 11, "11 Bytes groß"),
])
def test_decode(data, needle):
    from kn.limits import decode

    text, problem = decode("f.md", data, 10 if needle and "groß" in needle else 100)
    if needle is None:
        assert problem is None and text
    else:
        assert text is None and needle in problem and problem.startswith("Fehler in 'f.md'")


@pytest.mark.parametrize(("text", "needles"), [
    ("a: 1\na: 2\n", ["Feld 'a'", "Zeile 2", "doppelt"]),
    ("- x: 1\n  x: 2\n", ["Eintrag 1, Feld 'x'", "doppelt"]),
    ("a: &x 1\nb: *x\n", ["Anker und Verweise"]),
    ("[" * 1000, ["tiefer als 10 Ebenen"]),
    ('title: "a\\0b"\n', ["Feld 'title'", "\\x00"]),
    ("title: " + "x" * 201 + "\n", ["Feld 'title'", "201 Zeichen", "höchstens 200"]),
])
def test_yaml_problems(text, needles):
    from kn.limits import yaml_problems

    problems = yaml_problems("d.yml", text)
    assert len(problems) == 1
    for needle in needles:
        assert needle in problems[0]


def test_yaml_problems_accepts_ordinary_data_and_leaves_syntax_errors_to_the_loader():
    from kn.limits import yaml_problems

    assert yaml_problems("d.yml", (DEMO / "data" / "authors.yml").read_text(encoding="utf-8")) == []
    assert yaml_problems("d.yml", "a: [kaputt\n") == []


def test_reply_depth_is_computed_without_recursion():
    from kn.limits import reply_depth_problem

    chain = [{"text": "x"}] + [{"reply_to": n} for n in range(1, 5000)]
    assert "Eintrag 32" in reply_depth_problem("c.yml", chain)
    assert reply_depth_problem("c.yml", [{"reply_to": 1}] * 3) is None


@pytest.mark.parametrize("text", [
    "Ein [Link](https://example.org/) und *Betonung* in einem Absatz.\n\n- Liste\n    - tiefer\n",
    "> Zitat\n> > im Zitat\n",
])
def test_markdown_problem_accepts_real_text(text):
    from kn.limits import markdown_problem

    assert markdown_problem("a.md", text) is None


def test_plain_checklist_title_is_escaped_for_markdown():
    from kn.read.checklists import plain_title

    source = '!!! checkliste "Q&A: <Tipps> *x*"\n\n    - [ ] Punkt'
    assert plain_title(source).splitlines()[0] == '!!! checkliste "Q&amp;A: &lt;Tipps&gt; \\*x\\*"'


def test_contributing_names_every_limit():
    from dataclasses import fields

    from kn.limits import FIELD_CHARS, LIMITS

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    values = [getattr(LIMITS, f.name) for f in fields(LIMITS) if f.name != "excerpt"] + list(FIELD_CHARS.values())
    for value in values:
        assert f"{value:,}".replace(",", ".") in text, value
