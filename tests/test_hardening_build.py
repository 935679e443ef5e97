"""Issues #26 and #30, build side: the wiring of each hardening rule, one
small fixture site per rule (the rules themselves are unit-tested in
tests/test_hardening_*.py)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from conftest import Project, article

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
