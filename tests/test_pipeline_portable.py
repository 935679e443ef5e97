"""Portable (#21): the steps that read, check and derive the site run as plain
Python (kn.pipeline.load: no `mkdocs build`, no MkDocs events), our Markdown
extensions are listed in mkdocs.yml, and the test site builds to the same
output with ProperDocs (the continuation of MkDocs 1.x) as with MkDocs."""

from __future__ import annotations

import filecmp
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from kn import pipeline
from kn.markdown import typography
from kn.problems import Problem
from tests.conftest import Project, require_tool
from tools.localsite import DEMO, ROOT, copy_sources, demo_site

BROKEN = """---
title: Ein kaputter Artikel
description: Ein kurzer Satz über den Artikel.
date: 2026-13-45
tags: [Vertrauen]
comments: closed
authors: [redaktion]
---

Ein Absatz mit Text.
"""
# The one line in which the two tools' pages differ: the generator's name.
GENERATOR_RE = re.compile(rb'<meta name="generator" content="[^"]*">')


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's own tags (!ENV, !relative) as plain values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


# --- the Markdown extensions are listed in mkdocs.yml ------------------------------


@pytest.mark.unit
def test_our_markdown_extensions_are_listed_in_mkdocs_yml_after_smarty():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    ours = [n for n in names if n.startswith("kn.")]
    assert ours == [
        "kn.read.checklists:TaskLabelExtension", "kn.markdown.typography:ApostropheExtension",
        "kn.markdown.typography:NbspExtension", "kn.markdown.embeds:VideoExtension",
        "kn.markdown.embeds:TableAlignExtension",
    ]
    # The apostrophe needs smarty's patterns; the order among equal priorities is the list's.
    assert names.index("smarty") < names.index(ours[0])
    # Pages (smarty's settings in mkdocs.yml) and plain texts (SMARTY_DE) get the same quotes.
    smarty = next(e["smarty"] for e in config["markdown_extensions"] if isinstance(e, dict) and "smarty" in e)
    assert smarty == typography.SMARTY_DE["smarty"]


@pytest.mark.unit
def test_no_step_adds_markdown_extensions_in_code():
    for path in (ROOT / "hooks").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "markdown_extensions.append" not in text, path
        assert "mdx_configs.setdefault" not in text, path


@pytest.mark.build
def test_a_copied_project_runs_its_own_kn_though_another_is_importable(tmp_path):
    # MkDocs imports the listed extensions (kn.…) before hooks/main.py, from
    # wherever `kn` is importable (here: the repository's hooks/); main.py then
    # makes the build use the package beside it, as `mkdocs serve` and the
    # tests that edit a copy's hooks/ need.
    root = copy_sources(tmp_path / "project", content=DEMO)
    code = (
        "import sys\nfrom mkdocs.config import load_config\nload_config('mkdocs.yml')\n"
        "print(sys.modules['kn'].__file__)\nprint(sys.modules['kn.markdown.typography'].__file__)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    package, extension = (Path(line) for line in result.stdout.splitlines()[-2:])
    assert package == root / "hooks" / "kn" / "__init__.py"
    assert extension == root / "hooks" / "kn" / "markdown" / "typography.py"


# --- steps 0–5 as plain Python ------------------------------------------------------


@pytest.mark.build
def test_the_site_is_read_checked_and_derived_without_a_build(tmp_path):
    root = demo_site(tmp_path / "project")
    site = pipeline.load(root / "mkdocs.yml")
    assert not (root / "site").exists()  # nothing rendered or written
    assert site.errors == []
    assert set(site.series) == {"kooperation-netzwerke", "gemeinsam-wachsen"}
    titles = {a.title for a in site.articles}
    assert "Empfehlungen geben und bekommen" in titles
    article = site.by_uri["kooperation-netzwerke/empfehlungen.md"]
    assert article.series == "kooperation-netzwerke"
    assert article in site.series["kooperation-netzwerke"].articles
    assert article.tags == ("Empfehlungen", "Vertrauen", "Größe & Wachstum")  # frozen records hold tuples
    assert set(site.checklists) == {"einkauf-abstimmen", "erstgespraech", "partner-pruefen"}
    # Derived: tag pages with their articles, related articles, comment states,
    # one PDF per checklist and a preview image per article (made later, in step 9).
    assert article in site.tags["Vertrauen"].articles
    assert article in site.related["kooperation-netzwerke/vorsicht-bei-kooperationsangeboten.md"]
    assert article.comment_state == "off"
    assert set(site.cache.checklist_pdfs) == set(site.checklists)
    assert article.src_uri in site.cache.previews


@pytest.mark.build
def test_a_broken_front_matter_is_a_german_problem_with_file_field_and_line(tmp_path):
    project = Project(tmp_path / "project")
    project.write("docs/kooperation-netzwerke/kaputt.md", BROKEN)

    site = pipeline.load(project.root / "mkdocs.yml", strict=False)
    problems = [p for p in site.errors if p.src.endswith("kaputt.md")]
    assert len(problems) == 1, site.errors
    problem = problems[0]
    assert isinstance(problem, Problem)
    assert (problem.field, problem.line) == ("date", 4)
    assert problem.startswith("Fehler in 'kooperation-netzwerke/kaputt.md', Feld 'date': '2026-13-45' ist kein gültiges Datum")
    assert "kooperation-netzwerke/kaputt.md" not in {a.src_uri for a in site.articles}  # never published

    with pytest.raises(PluginError) as stopped:
        pipeline.load(project.root / "mkdocs.yml")
    message = str(stopped.value)
    assert message.startswith("Ein Problem in den Inhalten; die Website wurde nicht gebaut:")
    assert str(problem) in message
    assert not (project.root / "site").exists()


# --- the same site with ProperDocs ---------------------------------------------------


def _properdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    properdocs = Path(sys.executable).with_name("properdocs")
    if not properdocs.exists():
        pytest.fail("properdocs is missing in the venv: requirements.txt pins it")
    return subprocess.run(
        [str(properdocs), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        # No variable silences a warning here: ProperDocs prints none of MkDocs 2's.
        cwd=project, env={k: v for k, v in os.environ.items() if "MKDOCS_2_WARNING" not in k},
        capture_output=True, text=True, timeout=300,
    )


def _files(site: Path) -> set[str]:
    # Pagefind names its index files by their content's hash: compared by count.
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}


def _same(a: Path, b: Path, pdftotext: str) -> bool:
    if filecmp.cmp(a, b, shallow=False):
        return True
    if a.suffix == ".pdf":  # creation dates and IDs differ: compare the text
        def text(path: Path) -> str:
            return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return text(a) == text(b)
    if a.suffix == ".gz":  # the gzip header holds its time
        return gzip.decompress(a.read_bytes()) == gzip.decompress(b.read_bytes())
    if a.suffix == ".html":
        return GENERATOR_RE.sub(b"", a.read_bytes()) == GENERATOR_RE.sub(b"", b.read_bytes())
    return False


@pytest.mark.build
def test_properdocs_builds_the_same_site_as_mkdocs(site, tmp_path):
    pdftotext = require_tool("pdftotext")
    # `site`: the test site built once with MkDocs (tests/conftest.py); here a
    # copy of its own (its own cache of checklist PDFs), built with ProperDocs.
    project = demo_site(tmp_path / "properdocs")
    result = _properdocs_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr

    a, b = site.root, project / "site"
    assert _files(a) == _files(b)
    different = sorted(name for name in _files(a) if not _same(a / name, b / name, pdftotext))
    assert different == []
    assert len(list((a / "pagefind").rglob("*"))) == len(list((b / "pagefind").rglob("*")))
    # The one line that differs names the tool, nothing else.
    index_a, index_b = (s / "index.html" for s in (a, b))
    (generator_a,), (generator_b,) = (GENERATOR_RE.findall(p.read_bytes()) for p in (index_a, index_b))
    assert b'content="mkdocs-1.' in generator_a and b"ProperDocs 1." in generator_b
