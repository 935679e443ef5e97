"""Fixture sites for the reader tests (tests/test_reader_*.py): a copy of the
site's build (config, hooks, templates, data) with our own content only, so that
no test depends on what docs/ holds today."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from kn.read.articles import RESERVED
from tools.localsite import DEMO, build, copy_sources, entry_without

TAGS = {
    "Vertrauen": "Wie Vertrauen zwischen Partnern entsteht.",
    "Größe & Wachstum": "Wie kleine Firmen gemeinsam wachsen.",
    "Selten": "Ein Thema mit wenigen Artikeln.",
}
AUTHORS = "redaktion:\n  name: Redaktion\n  bio: Die Redaktion der Probeseite.\n  team: true\n"
CHECKLIST = """!!! checkliste "Probe prüfen"

    - [ ] Fragen Sie, was die andere Seite „konkret“ einbringt.
    - [x] Halten Sie fest, wer was übernimmt.
"""


def fixture_project(root: Path, count: int, *, page_size: int | None = None, drop_hooks: tuple[str, ...] = ()) -> Path:
    """A site with one series of `count` articles, one a week backwards from
    2026-11-20 (so they span years), tagged: every article 'Vertrauen', every
    third 'Größe & Wachstum', the first two 'Selten'."""
    project = copy_sources(root, content=DEMO)  # never the owner's docs/ or data/
    docs = project / "docs"
    for folder in [p for p in docs.iterdir() if p.is_dir() and p.name not in RESERVED]:
        shutil.rmtree(folder)
    for path in (docs / "checklisten").glob("*.md"):
        if path.name != "index.md":
            path.unlink()
    (docs / "checklisten" / "probe.md").write_text(CHECKLIST, encoding="utf-8")
    (project / "data" / "tags.yml").write_text("".join(f"{k}: {v}\n" for k, v in TAGS.items()), encoding="utf-8")
    (project / "data" / "authors.yml").write_text(AUTHORS, encoding="utf-8")
    shutil.rmtree(project / "data" / "comments", ignore_errors=True)
    series = docs / "probe-reihe"
    series.mkdir()
    (series / "index.md").write_text("---\ntitle: Probereihe\ndescription: Eine Reihe zum Testen.\n---\n\nText.\n", encoding="utf-8")
    start = datetime.date(2026, 11, 20)
    for number in range(count):
        tags = ["Vertrauen"] + (["Größe & Wachstum"] if number % 3 == 0 else []) + (["Selten"] if number < 2 else [])
        date = start - datetime.timedelta(days=7 * number)
        updated = "updated: 2026-11-25\n" if number == 1 else ""
        (series / f"artikel-{number + 1:04d}.md").write_text(
            f"---\ntitle: \"Artikel {number + 1} über Vertrauen\"\n"
            f"description: Beschreibung {number + 1}.\ndate: {date.isoformat()}\n{updated}"
            f"tags: [{', '.join(tags)}]\ncomments: off\nauthors: [redaktion]\n---\n\n"
            f"Ein Absatz über Vertrauen, Nummer {number + 1}.\n",
            encoding="utf-8",
        )
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if page_size is not None:
        assert "\n    seitengroesse: 10\n" in text
        text = text.replace("\n    seitengroesse: 10\n", f"\n    seitengroesse: {page_size}\n", 1)
    for hook in drop_hooks:  # e.g. "social": no preview images (tools/localsite.entry_without)
        steps = {"social": ("kn.render.social", ("on_files", "on_page_context", "on_post_build"))}[hook]
        text = text.replace("  - hooks/main.py\n", entry_without(project, f"ohne_{hook}", *steps))
    config.write_text(text, encoding="utf-8")
    return project


def build_project(project: Path, *extra: str):
    out = project / "site"
    return build(project, out, *extra), out
