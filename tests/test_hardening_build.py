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
# The wiring, in one build each
# -----------------------------------------------------------------------------


def test_build_hashes_no_script_injected_into_head_and_nav_source(project: Project):
    # A value printed raw into <head> and into the navigation (as Material
    # printed `author:` and `subtitle:`): the scripts it carries come from the
    # page's sources, not from a template's own <script>, and get no hash.
    project.replace("overrides/main.html", "{% block extrahead %}\n  {{ super() }}",
                    "{% block extrahead %}\n  {{ config.extra.kn_probe_head }}\n  {{ super() }}")
    project.write("overrides/main.html", project.read("overrides/main.html")
                  + "\n{% block site_nav %}{{ config.extra.kn_probe_nav }}{{ super() }}{% endblock %}\n")
    project.replace("mkdocs.yml", "extra:\n", "extra:\n  kn_probe_head: '<script>window.__head=1</script>'\n"
                    "  kn_probe_nav: '<script>window.__nav=1</script>'\n")
    project.write(f"docs/{SERIES}/neu.md", article("Neu"))
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    html = built.path(f"{SERIES}/neu/").read_text(encoding="utf-8")
    assert "<script>window.__head=1</script>" in html and "<script>window.__nav=1</script>" in html
    sources = script_src(html)
    assert digest("window.__head=1") not in sources and digest("window.__nav=1") not in sources
    assert sum(source.startswith("'sha256-") for source in sources) == 3  # Material's own three


def test_build_refuses_material_keys_and_subfolders_on_every_page(project: Project):
    project.replace(f"docs/{SERIES}/index.md", "---\n", f"---\nsubtitle: '{HOSTILE}'\n")
    project.replace("docs/index.md", "---\n", "---\nauthor: x\n")
    project.replace("docs/impressum.md", "template: impressum.html", "template: ../../etc/passwd")
    project.write(f"docs/{SERIES}/2024/tief.md", article("Tief", author="x"))
    project.write("docs/checklisten/index.md", "---\nstatus: new\n---\n\n# Checklisten\n")
    result, built = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output and "TemplateNotFound" not in output
    for needle in (f"'{SERIES}/index.md', Feld 'subtitle'", "'index.md', Feld 'author'",
                   "'impressum.md', Feld 'template'", f"'{SERIES}/2024/tief.md'", "Unterordner",
                   "'checklisten/index.md', Feld 'status'"):
        assert needle in output, needle
    assert not built.exists("index.html")


def test_build_refuses_active_body_html_and_files_beside_articles(project: Project):
    body = ("Text.\n\n<script>alert(1)</script>\n\n<img src=x.png name=currentScript>\n\n"
            '<meta http-equiv="refresh" content="0; url=https://evil.example/">\n\n'
            '<figure data-kn-video data-kn-video-src="https://www.youtube-nocookie.com/embed/x"></figure>\n')
    project.write(f"docs/{SERIES}/aktiv.md", article("Aktiv").replace("Ein Absatz mit Text.\n", body))
    project.write("docs/bilder/skript.js", "alert(1)")
    (project.root / "docs/bilder/falsch.png").write_bytes(b"<svg onload=alert(1)>")
    result, built = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "'docs/bilder/skript.js'" in output and "'docs/bilder/falsch.png'" in output and "kein PNG-Bild" in output
    assert not built.exists("index.html")
    project.remove("docs/bilder/skript.js")
    project.remove("docs/bilder/falsch.png")
    result, built = project.build()
    output = result.stdout + result.stderr
    for needle in ("Zeile 12: <script>", "Zeile 14: Das Attribut name=", "Zeile 16: <meta>", "Zeile 18: Das Attribut data-kn-video"):
        assert f"Fehler in '{SERIES}/aktiv.md', {needle}" in output, needle
    assert result.returncode != 0 and "Traceback" not in output and not built.exists("index.html")


def test_build_redirect_pages_carry_the_policy(project: Project):
    project.write("data/redirects.yml", f'alt/seite/: {SERIES}/kooperation-beenden.md\n"?p=12": {SERIES}/kooperation-beenden.md\n')
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    for html in ("alt/seite/", "404.html"):
        head = built.page(html).head
        assert head.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None, html
    assert built.exists("alte-adressen.json")


def test_build_names_both_sides_of_every_collision(project: Project):
    project.write(f"docs/{SERIES}/neu.md", article("Neu"))
    project.write(f"docs/{SERIES}/neu/index.md", article("Neu, zweimal"))
    project.write("docs/feed.xml", "<feed/>")
    project.write("data/redirects.yml", f"feed.xml: {SERIES}/neu.md\nalt/: {SERIES}/neu.md\nalt: {SERIES}/neu.md\nyes: {SERIES}/neu.md\n")
    result, built = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output and "FileExistsError" not in output
    for needle in (f"'docs/{SERIES}/neu/index.md'", f"wie 'docs/{SERIES}/neu.md'", "'docs/feed.xml'",
                   "schreibt die Website selbst 'feed.xml'", "Feld 'yes', Zeile 4"):
        assert needle in output, needle
    assert not built.exists("index.html")


def test_build_log_has_no_workflow_command_from_author_text(project: Project, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    project.write(f"docs/{SERIES}/schluessel.md", article("Schlüssel", **{'"a\\n::add-mask::geheim"': "1"}))
    project.write(f"docs/{SERIES}/thema.md", article("Thema", tags='["Neu\\n::warning file=x::gefaelscht", Partnersuche]'))
    project.write(f"data/comments/{SERIES}/thema.yml", '- author: A\n  date: 2026-11-21\n  "text\\n::error::x": Danke.\n')
    result, _built = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
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
            for _ in range(120):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/kooperation-netzwerke/", timeout=2) as response:
                        html = response.read().decode("utf-8")
                    break
                except OSError:
                    time.sleep(0.5)
            assert html is not None, "mkdocs serve did not answer"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    sources = script_src(html)
    nonces = [s for s in sources if s.startswith("'nonce-")]
    assert "'unsafe-inline'" not in sources and len(nonces) == 1
    nonce = nonces[0][len("'nonce-"):-1]
    assert html.count(f'<script nonce="{nonce}">') == 1 and "livereload(" in html.split(f'<script nonce="{nonce}">')[1]
