"""`mkdocs serve` (make serve) rebuilds on edits to docs/, data/, overrides/
and hooks/ (hooks/kn/devserver.py), on a fixture site of our own. The real dev
server runs on a free port of 127.0.0.1 and is stopped by its PID."""

from __future__ import annotations

import threading
import time

import pytest

from tests.reader_fixtures import fixture_project
from tools.bench_serve import DevServer, fetch
from tools.localsite import shared_drawn

pytestmark = pytest.mark.build

TIMEOUT = 90


class LoggedDevServer(DevServer):
    """The dev server of tools/bench_serve.py (same command, free port,
    environment, stopped by its PID) with its log read in a thread: the tests
    wait for mkdocs' lines „Serving on“ (first build done, socket listening) and
    „Reloading browsers“ (a rebuild done) and then fetch the page, instead of
    polling it every 50 ms while the server builds."""

    def __init__(self, project) -> None:
        super().__init__(project, log=True)
        self.lines: list[str] = []
        self.ended = False
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:  # to the end, so that the pipe never fills
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def next_line(self, text: str, start: int, deadline: float) -> int:
        """Index after the first log line from `start` on that contains `text`."""
        with self._changed:
            while True:
                for number in range(start, len(self.lines)):
                    if text in self.lines[number]:
                        return number + 1
                start = len(self.lines)
                left = deadline - time.monotonic()
                if self.ended or left <= 0:
                    raise AssertionError(f"{text!r} not logged by mkdocs serve:\n" + "".join(self.lines))
                self._changed.wait(left)

    def mark(self) -> int:
        """Where the log stands now: take it before an edit."""
        with self._changed:
            return len(self.lines)


def wait_for(server: LoggedDevServer, start: int, url: str, needle: str) -> None:
    """Until the page at `url` contains `needle`: fetched after every rebuild
    logged since `start` (taken before the edit), for at most TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        start = server.next_line("Reloading browsers", start, deadline)
        text = fetch(url)
        if text and needle in text:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{needle!r} not served at {url} within {TIMEOUT} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = fixture_project(tmp_path_factory.mktemp("serve") / "p", 3, drop_hooks=("social",))
    with shared_drawn(project, keep=False), LoggedDevServer(project) as server:
        server.next_line("Serving on ", 0, time.monotonic() + TIMEOUT)
        text = fetch(server.base)
        assert text and "Artikel 1 über Vertrauen" in text, text
        yield project, server


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_in_docs_is_served(served):
    project, server = served
    start = server.mark()
    path = project / "docs/probe-reihe/artikel-0001.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEin frisch geschriebener Satz.\n", encoding="utf-8")
    wait_for(server, start, server.base + "probe-reihe/artikel-0001/", "Ein frisch geschriebener Satz.")


def test_edit_in_overrides_is_served(served):
    project, server = served
    start = server.mark()
    edit(project / "overrides/fragments/kn/archive.html", "die neuesten zuerst.", "die neuesten zuerst (geändert).")
    wait_for(server, start, server.base + "archiv/", "die neuesten zuerst (geändert).")


def test_edit_in_a_hook_is_served(served):
    project, server = served
    start = server.mark()
    edit(project / "hooks/kn/derive/listings.py", 'ARCHIVE_TITLE = "Archiv"', 'ARCHIVE_TITLE = "Jahresarchiv"')
    wait_for(server, start, server.base + "archiv/", "<title>Jahresarchiv")


def test_edit_in_a_helper_module_is_served(served):
    project, server = served
    start = server.mark()
    # Without the setting, the default of the helper module (not a hook) decides.
    edit(project / "mkdocs.yml", "    seitengroesse: 10\n", "")
    edit(project / "hooks/kn/paging.py", "DEFAULT_SIZE = 10", "DEFAULT_SIZE = 1")
    wait_for(server, start, server.base, 'rel="next" href="seite/2/"')


def test_edit_in_data_is_served(served):
    project, server = served
    start = server.mark()
    edit(project / "data/tags.yml", "Ein Thema mit wenigen Artikeln.", "Ein seltenes Thema (neu).")
    wait_for(server, start, server.base + "tags/selten/", "Ein seltenes Thema (neu).")


def test_drafts_stay_visible_after_a_reload_of_the_hooks(served):
    project, server = served
    start = server.mark()
    (project / "docs/probe-reihe/entwurf.md").write_text(
        "---\ntitle: Ein Entwurf\ndescription: Noch nicht fertig.\ndate: 2026-11-30\ntags: [Vertrauen]\n"
        "comments: off\nauthors: [redaktion]\ndraft: true\n---\n\nText des Entwurfs.\n", encoding="utf-8")
    wait_for(server, start, server.base + "probe-reihe/entwurf/", "Text des Entwurfs.")
