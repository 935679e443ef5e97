"""Checklist inclusion and pymdownx.snippets: the include line is snippets'
syntax and snippets is a listed Markdown extension, so a build without our
hooks still includes the checklist's text; our build puts in the checked,
once-made HTML instead (hooks/kn/read/checklists.py says why)."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.utils.yaml import yaml_load

from conftest import article
from tools.localsite import ROOT

SERIES = "kooperation-netzwerke"
CHECKLIST = '---\nrechtlich: true\n---\n\n!!! checkliste "Vertrag prüfen"\n\n    - [ ] Lesen Sie jede Klausel.\n'


def listed_extensions() -> tuple[list[str], dict[str, dict]]:
    """mkdocs.yml's markdown_extensions as Python-Markdown takes them (only
    what is listed: nothing our hooks add)."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        if name.startswith("kn."):  # ours, tested where they live
            continue
        names.append(name)
        configs[name] = options or {}
    return names, configs


@pytest.mark.unit
def test_snippets_is_listed_with_the_docs_folder_as_base():
    names, configs = listed_extensions()
    assert "pymdownx.snippets" in names
    assert configs["pymdownx.snippets"]["base_path"] == ["docs"]
    # A wrong name is our hook's German error, not snippets' exception.
    assert not configs["pymdownx.snippets"].get("check_paths")


@pytest.mark.unit
def test_without_our_hooks_snippets_includes_the_checklist_text(tmp_path, monkeypatch):
    (tmp_path / "docs" / "checklisten").mkdir(parents=True)
    (tmp_path / "docs" / "checklisten" / "vertrag.md").write_text(CHECKLIST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # base_path is relative to where the build runs
    names, configs = listed_extensions()
    html = markdown.Markdown(extensions=names, extension_configs=configs).convert(
        'Davor.\n\n--8<-- "checklisten/vertrag.md"\n\nDanach.\n')
    assert '<div class="admonition checkliste">' in html and "Lesen Sie jede Klausel." in html
    assert "--8&lt;--" not in html and "8<--" not in html


@pytest.mark.build
def test_our_build_includes_the_checked_checklist_without_its_front_matter(project):
    project.write("docs/checklisten/vertrag.md", CHECKLIST)
    project.write(f"docs/{SERIES}/vertrag.md", article("Verträge") + (
        '\n--8<-- "checklisten/vertrag.md"\n\nSo sieht die Zeile aus:\n\n```\n;--8<-- "checklisten/vertrag.md"\n```\n'))
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    content = built.page(f"{SERIES}/vertrag/").select_one("article")
    boxes = content.select('.kn-checklist[data-checklist="vertrag"] .admonition.checkliste')
    assert len(boxes) == 1 and boxes[0].select_one(".task-list-item label").get_text(strip=True) == "Lesen Sie jede Klausel."
    assert content.select_one("#rechtlich-true") is None and "rechtlich" not in content.get_text()
    # Escaped as snippets documents it, the line is shown in the code block (and includes nothing).
    assert [code.get_text() for code in content.select("pre code")] == ['--8<-- "checklisten/vertrag.md"\n']
    used_by = built.page("checklisten/vertrag/").select_one(".kn-used-by")
    assert used_by is not None and "Verträge" in used_by.get_text()
