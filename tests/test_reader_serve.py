"""`mkdocs serve` (make serve) rebuilds on edits to docs/, data/, overrides/
and hooks/ (hooks/kn/devserver.py), on a fixture site of our own. The real dev
server runs on a free port of 127.0.0.1 and is stopped by its PID."""

from __future__ import annotations

import pytest

from tests.reader_fixtures import fixture_project
from tools.bench_serve import DevServer, wait_for
from tools.localsite import shared_drawn

pytestmark = pytest.mark.build

TIMEOUT = 90


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = fixture_project(tmp_path_factory.mktemp("serve") / "p", 3, drop_hooks=("social",))
    with shared_drawn(project, keep=False), DevServer(project) as server:
        wait_for(server.base, "Artikel 1 über Vertrauen", TIMEOUT)
        yield project, server.base


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_in_docs_is_served(served):
    project, base = served
    path = project / "docs/probe-reihe/artikel-0001.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEin frisch geschriebener Satz.\n", encoding="utf-8")
    wait_for(base + "probe-reihe/artikel-0001/", "Ein frisch geschriebener Satz.", TIMEOUT)


def test_edit_in_overrides_is_served(served):
    project, base = served
    edit(project / "overrides/fragments/kn/archive.html", "die neuesten zuerst.", "die neuesten zuerst (geändert).")
    wait_for(base + "archiv/", "die neuesten zuerst (geändert).", TIMEOUT)


def test_edit_in_a_hook_is_served(served):
    project, base = served
    edit(project / "hooks/kn/derive/listings.py", 'ARCHIVE_TITLE = "Archiv"', 'ARCHIVE_TITLE = "Jahresarchiv"')
    wait_for(base + "archiv/", "<title>Jahresarchiv", TIMEOUT)


def test_edit_in_a_helper_module_is_served(served):
    project, base = served
    # Without the setting, the default of the helper module (not a hook) decides.
    edit(project / "mkdocs.yml", "    seitengroesse: 10\n", "")
    edit(project / "hooks/kn/paging.py", "DEFAULT_SIZE = 10", "DEFAULT_SIZE = 1")
    wait_for(base, 'rel="next" href="seite/2/"', TIMEOUT)


def test_edit_in_data_is_served(served):
    project, base = served
    edit(project / "data/tags.yml", "Ein Thema mit wenigen Artikeln.", "Ein seltenes Thema (neu).")
    wait_for(base + "tags/selten/", "Ein seltenes Thema (neu).", TIMEOUT)


def test_drafts_stay_visible_after_a_reload_of_the_hooks(served):
    project, base = served
    (project / "docs/probe-reihe/entwurf.md").write_text(
        "---\ntitle: Ein Entwurf\ndescription: Noch nicht fertig.\ndate: 2026-11-30\ntags: [Vertrauen]\n"
        "comments: off\nauthors: [redaktion]\ndraft: true\n---\n\nText des Entwurfs.\n", encoding="utf-8")
    wait_for(base + "probe-reihe/entwurf/", "Text des Entwurfs.", TIMEOUT)
