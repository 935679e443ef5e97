"""One place for every folder and file name (kn/names.py): the build, the
importer and the scaffold refuse the same folder names as series, and every
module takes its names from there."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from kn import names, schema
from kn.derive import reader, tags
from kn.publish import checklist_pdf, redirects
from kn.read import articles, checklists, comments
from kn.render import social
from tools import new_article
from tools.importer import Options, run

pytestmark = pytest.mark.unit

importer = importlib.import_module("tools.importer.run")  # the module; `run` is its function

ROOT = Path(__file__).resolve().parents[1]


def test_build_importer_and_scaffold_reserve_the_same_folders():
    assert articles.RESERVED is names.RESERVED
    assert importer.RESERVED is names.RESERVED
    assert new_article.RESERVED is names.RESERVED
    assert set(schema.PAGE_FOLDERS) | set(schema.FILE_FOLDERS) == names.RESERVED
    # Every generated folder is reserved: later pages, the archive, tag and checklist pages.
    assert {checklists.FOLDER, tags.FOLDER, "seite", "archiv", "bilder", "assets"} <= names.RESERVED


@pytest.mark.parametrize("folder", sorted(names.RESERVED))
def test_scaffold_refuses_every_reserved_folder_as_a_series(tmp_path, folder):
    (tmp_path / "kooperation").mkdir()
    (tmp_path / "kooperation" / "index.md").write_text("---\ntitle: Kooperation\n---\n", encoding="utf-8")
    series, _note, problem = new_article.choose_series(folder, tmp_path, new=True)
    assert series == ""
    assert problem == f"Der Ordner '{folder}' ist für andere Seiten reserviert. Bitte einen anderen Namen für die Reihe wählen."


@pytest.mark.parametrize("folder", sorted(names.RESERVED))
def test_importer_refuses_every_reserved_folder_as_a_series(tmp_path, folder):
    blog = tmp_path / "blog"
    blog.mkdir()
    (blog / "2025-01-02-hallo.md").write_text("---\ntitle: Hallo\ndate: 2025-01-02\n---\nText.\n", encoding="utf-8")
    report = run(Options(source=blog, root=tmp_path / "site", series=folder))
    assert [error.split(":")[0] for error in report.errors] == [f"„{folder}“ taugt nicht als Serienordner"]
    assert not (tmp_path / "site" / "docs" / folder).exists()


def test_modules_take_their_names_from_one_place():
    assert schema.VOCABULARY == names.TAGS_FILE == importer.TAGS_FILE
    assert reader.AUTHORS_FILE == names.AUTHORS_FILE == importer.AUTHORS_FILE
    assert redirects.REDIRECTS_FILE == names.REDIRECTS_FILE == importer.REDIRECTS_FILE
    assert comments.DATA_DIR == names.COMMENTS_DIR
    assert checklist_pdf.CACHE_DIR == names.PDF_CACHE and social.CACHE_DIR == names.SOCIAL_CACHE
    assert checklist_pdf.FONT_DIR == social.FONT_DIR == names.FONTS_DIR


def test_no_module_spells_a_data_file_or_cache_folder_itself():
    """Only kn/names.py writes these names as a string of code (docstrings and
    messages may name them)."""
    spelled = re.compile(
        r"""^[A-Z_]+ = .*["'](?:data/(?:tags|authors|redirects)\.yml|data/comments|data/fonts|\.cache/[a-z-]+)["']""", re.M)
    found = []
    for folder in ("hooks", "tools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "names.py" or path.name == "localsite.py":  # localsite copies sources, imports no kn
                continue
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in spelled.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_tools_use_the_build_package_without_path_tricks():
    """The importer, the scaffold, the PR summary and the checks import `kn` like
    any library: no tool changes sys.path, and they share the build's parsers."""
    from kn import yamlfile
    from kn.markdown import embeds
    from tools import spelling
    from tools.importer import html2md, mdblog

    # localsite.py and buildserver.py import no `kn`: they start builds of copied
    # sites, each with the copy's own build code first on its path.
    starters = {"localsite.py", "buildserver.py"}
    tricks = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "tools").rglob("*.py")) if path.name not in starters
              and re.search(r"sys\.path\.(?:insert|append)|sys\.path\[|PYTHONPATH", path.read_text(encoding="utf-8"))]
    assert tricks == []
    assert html2md.parse_video is embeds.parse_video and html2md.PROVIDERS is embeds.PROVIDERS
    assert mdblog.FRONT_MATTER_RE is yamlfile.FRONT_MATTER_RE is schema.FRONT_MATTER_RE is spelling.FRONT_MATTER_RE


def test_importer_shortens_a_long_tag_name_as_the_build_cuts_words(tmp_path):
    from kn.limits import LIMITS
    from tools.importer.report import Report

    long_name = "Kooperation " * 8 + "Ende"
    mapping, report = {long_name: long_name}, Report(source="x")
    importer.rename_reserved_tags(mapping, {}, report)
    new = mapping[long_name]
    assert len(new) <= LIMITS.tag_chars and new.endswith("…") and long_name.startswith(new[:-1].rstrip())
    assert f"„{long_name}“ in „{new}“ umbenannt" in report.notes[0][2]
