"""The GitHub workflows: actionlint and zizmor (offline, pinned in
requirements.txt) find nothing, and the rules they do not check hold:
permissions everywhere, Pages write only for the deploy job, actions pinned,
no credentials kept, no secret where contributed content is built."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
USES_RE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
SHA_RE = re.compile(r"@[0-9a-f]{40}$")
TAG_RE = re.compile(r"@v\d+(?:\.\d+){0,2}$")


def tool(name: str) -> str:
    """A checker from the venv (requirements.txt), else from PATH."""
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is missing: `make test` installs it from requirements.txt"
    return found


def run(*args: str) -> subprocess.CompletedProcess:
    # No token: both checkers must work offline and unauthenticated.
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN")}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_workflows():
    assert {p.name for p in FILES} >= {"test.yml", "deploy.yml"}


def test_actionlint_finds_nothing():
    result = run(tool("actionlint"), "-no-color", *map(str, FILES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing():
    result = run(tool("zizmor"), "--offline", "--no-progress", "--config", str(ZIZMOR_CONFIG), str(WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_workflow_and_job_states_its_permissions(path):
    workflow = load(path)
    assert "permissions" in workflow
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_only_the_deploy_job_may_write(path):
    workflow = load(path)
    for name, job in [("(workflow)", workflow), *workflow["jobs"].items()]:
        permissions = job.get("permissions") or {}
        writes = {k for k, v in permissions.items() if v == "write"} if isinstance(permissions, dict) else {permissions}
        if (path.name, name) == ("deploy.yml", "deploy"):
            assert writes == {"pages", "id-token"} and "steps" in job
            assert all(s.get("uses", "").startswith("actions/deploy-pages@") for s in job["steps"])
        else:
            assert not writes & {"write-all", "pages", "id-token", "contents"} and not writes, f"{path.name}: {name}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_are_pinned(path):
    """GitHub's own actions by release tag, any other only by full commit SHA with its version in a comment."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = USES_RE.match(line)
        if not match:
            continue
        action, comment = match.groups()
        if action.startswith("actions/"):
            assert TAG_RE.search(action), line
        else:
            assert SHA_RE.search(action) and re.search(r"#\s*v\d", comment), line


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path):
    checkouts = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s.get("with", {}).get("persist-credentials") is False for s in checkouts)


def test_pull_requests_get_no_secret_and_a_preview():
    text = (WORKFLOWS / "test.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "pull_request_target" not in text
    workflow = load(WORKFLOWS / "test.yml")
    assert workflow["permissions"] == {"contents": "read"}
    all_steps = steps(workflow)
    uploads = [s for s in all_steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["with"]["name"] for u in uploads] == ["Vorschau der Website"]
    summary = [s for s in all_steps if "tools.pr_summary" in s.get("run", "")]
    assert summary and summary[0]["if"] == "${{ !cancelled() }}"


def test_deploy_keeps_the_social_images_and_checklist_pdf_caches():
    caches = [s for s in steps(load(WORKFLOWS / "deploy.yml")) if s.get("uses", "").startswith("actions/cache@")]
    assert [c["with"]["path"] for c in caches] == [".cache/social-images/", ".cache/checklist-pdfs/", ".cache/search/"]
