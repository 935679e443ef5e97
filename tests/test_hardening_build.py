"""Issues #26 and #30, build side: the wiring of each hardening rule, one
small fixture site per rule (the rules themselves are unit-tested in
tests/test_hardening_*.py)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from conftest import Project, article
from tools.localsite import shared_drawn

pytestmark = pytest.mark.build

SERIES = "kooperation-netzwerke"
HOSTILE = '"><script>window.__kn=1</script><img src=x onerror=alert(1)>'


def digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def script_src(policy_html: str) -> list[str]:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', policy_html).group(1)
    return next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "script-src")


# -----------------------------------------------------------------------------
# The wiring: the bad inputs of several rules side by side in one site (the
# build lists every problem it finds up to its check of the contents at once);
# the body HTML is checked later, when each page is converted, and reported
# only when nothing else stops the build first: a site of its own.
# -----------------------------------------------------------------------------

ACTIVE_BODY = ("Text.\n\n<script>alert(1)</script>\n\n<img src=x.png name=currentScript>\n\n"
               '<meta http-equiv="refresh" content="0; url=https://evil.example/">\n\n'
               '<figure data-kn-video data-kn-video-src="https://www.youtube-nocookie.com/embed/x"></figure>\n')


def write_active_article(project: Project) -> None:
    project.write(f"docs/{SERIES}/aktiv.md", article("Aktiv").replace("Ein Absatz mit Text.\n", ACTIVE_BODY))


class Refused:
    """A failed build: its output and the problems it lists (one line each)."""

    def __init__(self, result, built) -> None:
        self.output = result.stdout + result.stderr
        self.returncode = result.returncode
        self.built = built
        _head, listed, rest = self.output.partition("die Website wurde nicht gebaut:\n")
        self.problems = [line.strip() for line in rest.splitlines() if line.startswith("  Fehler in ")] if listed else []

    def assert_refused(self) -> None:
        assert self.returncode != 0 and self.problems, self.output
        assert "Traceback" not in self.output
        assert not self.built.exists("index.html")

    def assert_problem(self, *needles: str) -> None:
        """One listed problem names every needle."""
        assert any(all(needle in line for needle in needles) for line in self.problems), (needles, self.output)


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> Refused:
    """ONE failing build (under GitHub Actions) with the bad inputs of
    test_build_refuses_material_keys_…, …_files_beside_articles (and its
    article with active body HTML), …_names_both_sides_of_every_collision and
    …_log_has_no_workflow_command_…; each test asserts its own problems."""
    project = Project(tmp_path_factory.mktemp("refused") / "project")
    # Material's keys and subfolders
    project.replace(f"docs/{SERIES}/index.md", "---\n", f"---\nsubtitle: '{HOSTILE}'\n")
    project.replace("docs/index.md", "---\n", "---\nauthor: x\n")
    project.replace("docs/impressum.md", "template: impressum.html", "template: ../../etc/passwd")
    project.write(f"docs/{SERIES}/2024/tief.md", article("Tief", author="x"))
    project.write("docs/checklisten/index.md", "---\nstatus: new\n---\n\n# Checklisten\n")
    # Files beside the articles
    write_active_article(project)
    project.write("docs/bilder/skript.js", "alert(1)")
    (project.root / "docs/bilder/falsch.png").write_bytes(b"<svg onload=alert(1)>")
    # Collisions
    project.write(f"docs/{SERIES}/neu.md", article("Neu"))
    project.write(f"docs/{SERIES}/neu/index.md", article("Neu, zweimal"))
    project.write("docs/feed.xml", "<feed/>")
    project.write("data/redirects.yml", f"feed.xml: {SERIES}/neu.md\nalt/: {SERIES}/neu.md\nalt: {SERIES}/neu.md\nyes: {SERIES}/neu.md\n")
    # Workflow commands in author text
    project.write(f"docs/{SERIES}/schluessel.md", article("Schlüssel", **{'"a\\n::add-mask::geheim"': "1"}))
    project.write(f"docs/{SERIES}/thema.md", article("Thema", tags='["Neu\\n::warning file=x::gefaelscht", Partnersuche]'))
    project.write(f"data/comments/{SERIES}/thema.yml", '- author: A\n  date: 2026-11-21\n  "text\\n::error::x": Danke.\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GITHUB_ACTIONS", "true")
        return Refused(*project.build())


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """ONE successful build with the probes of test_build_hashes_no_script_… (a
    raw value in <head> and in the navigation, the article neu.md) and the old
    addresses of test_build_redirect_pages_carry_the_policy."""
    project = Project(tmp_path_factory.mktemp("built") / "project")
    # A value printed raw into <head> and into the navigation (as Material
    # printed `author:` and `subtitle:`).
    project.replace("overrides/main.html", "{% block extrahead %}\n  {{ super() }}",
                    "{% block extrahead %}\n  {{ config.extra.kn_probe_head }}\n  {{ super() }}")
    project.write("overrides/main.html", project.read("overrides/main.html")
                  + "\n{% block site_nav %}{{ config.extra.kn_probe_nav }}{{ super() }}{% endblock %}\n")
    project.replace("mkdocs.yml", "extra:\n", "extra:\n  kn_probe_head: '<script>window.__head=1</script>'\n"
                    "  kn_probe_nav: '<script>window.__nav=1</script>'\n")
    project.write(f"docs/{SERIES}/neu.md", article("Neu"))
    project.write("data/redirects.yml", f'alt/seite/: {SERIES}/kooperation-beenden.md\n"?p=12": {SERIES}/kooperation-beenden.md\n')
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


def test_build_hashes_no_script_injected_into_head_and_nav_source(built_site):
    # A value printed raw into <head> and into the navigation (built_site): the
    # scripts it carries come from the page's sources, not from a template's own
    # <script>, and get no hash.
    html = built_site.path(f"{SERIES}/neu/").read_text(encoding="utf-8")
    assert "<script>window.__head=1</script>" in html and "<script>window.__nav=1</script>" in html
    sources = script_src(html)
    assert digest("window.__head=1") not in sources and digest("window.__nav=1") not in sources
    assert sum(source.startswith("'sha256-") for source in sources) == 3  # Material's own three


def test_build_refuses_material_keys_and_subfolders_on_every_page(refused):
    refused.assert_refused()
    assert "TemplateNotFound" not in refused.output
    for needles in ((f"'{SERIES}/index.md', Feld 'subtitle'",), ("'index.md', Feld 'author'",),
                    ("'impressum.md', Feld 'template'",), (f"'{SERIES}/2024/tief.md'", "Unterordner"),
                    ("'checklisten/index.md', Feld 'status'",)):
        refused.assert_problem(*needles)


def test_build_refuses_files_beside_articles(refused):
    refused.assert_refused()
    refused.assert_problem("'docs/bilder/skript.js'")
    refused.assert_problem("'docs/bilder/falsch.png'", "kein PNG-Bild")


def test_build_refuses_active_body_html(tmp_path):
    # The same article alone: its body is checked once nothing else stops the build.
    project = Project(tmp_path / "project")
    write_active_article(project)
    active = Refused(*project.build())
    active.assert_refused()
    for needle in ("Zeile 12: <script>", "Zeile 14: Das Attribut name=", "Zeile 16: <meta>", "Zeile 18: Das Attribut data-kn-video"):
        active.assert_problem(f"Fehler in '{SERIES}/aktiv.md', {needle}")


def test_build_redirect_pages_carry_the_policy(built_site):
    for html in ("alt/seite/", "404.html"):
        head = built_site.page(html).head
        assert head.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None, html
    assert built_site.exists("alte-adressen.json")


def test_build_names_both_sides_of_every_collision(refused):
    refused.assert_refused()
    assert "FileExistsError" not in refused.output
    for needles in ((f"'docs/{SERIES}/neu/index.md'", f"wie 'docs/{SERIES}/neu.md'"),
                    ("'docs/feed.xml'", "schreibt die Website selbst 'feed.xml'"), ("Feld 'yes', Zeile 4",)):
        refused.assert_problem(*needles)


def test_build_log_has_no_workflow_command_from_author_text(refused):
    # Built with GITHUB_ACTIONS=true (refused).
    output = refused.output
    refused.assert_refused()
    commands = [line for line in output.splitlines() if line.lstrip().startswith("::") or "##[" in line]
    # Only our own annotations, each one line, every author value escaped in it.
    assert commands and all(line.startswith("::error") for line in commands), commands
    assert not any(line.lstrip().startswith(("::add-mask", "::warning", "::error::")) for line in output.splitlines())
    assert f"'{SERIES}/schluessel.md', Feld 'a\\n::add-mask::geheim'" in output


def test_serve_lets_only_the_live_reload_script_run(project: Project):
    # `mkdocs serve` as `make serve` runs it: the policy of every page holds a
    # nonce instead of 'unsafe-inline', and only the server's script carries it.
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with shared_drawn(project.root, keep=False):
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(project.root / "mkdocs.yml"),
             "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            html = None
            for _ in range(600):  # up to a minute, asking every 0.1 s
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/kooperation-netzwerke/", timeout=2) as response:
                        html = response.read().decode("utf-8")
                    break
                except OSError:
                    time.sleep(0.1)
            assert html is not None, "mkdocs serve did not answer"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    sources = script_src(html)
    nonces = [s for s in sources if s.startswith("'nonce-")]
    assert "'unsafe-inline'" not in sources and len(nonces) == 1
    nonce = nonces[0][len("'nonce-"):-1]
    assert html.count(f'<script nonce="{nonce}">') == 1 and "livereload(" in html.split(f'<script nonce="{nonce}">')[1]
