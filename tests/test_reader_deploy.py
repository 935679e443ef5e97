"""Deploying beside GitHub Pages: deploy/nginx.conf and deploy/apache.htaccess
send exactly the README's headers, and the nginx block serves a built fixture
site for real (nginx on a free port of 127.0.0.1, stopped by its PID); CI uses
Node 24; `make deploy` is mkdocs gh-deploy."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.reader_fixtures import build_project, fixture_project
from tools.bench_serve import free_port
from tools.localsite import ROOT

README_BLOCK = re.compile(r"\*\*HTTP-Header für den Betrieb:\*\*.*?```text\n(.*?)```", re.S)


def readme_headers() -> dict[str, str]:
    block = README_BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8")).group(1)
    return dict(line.split(": ", 1) for line in block.strip().splitlines())


def nginx_headers(text: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*add_header ([\w-]+) "([^"]*)" always;', text, re.M))


@pytest.mark.unit
def test_nginx_and_apache_send_the_readmes_headers():
    expected = readme_headers()
    assert len(expected) >= 7
    assert nginx_headers((ROOT / "deploy/nginx.conf").read_text(encoding="utf-8")) == expected
    htaccess = (ROOT / "deploy/apache.htaccess").read_text(encoding="utf-8")
    apache = dict(re.findall(r'^\s*Header always set ([\w-]+) "([^"]*)"', htaccess, re.M))
    assert apache == expected


@pytest.mark.unit
def test_workflows_use_node_24():
    for workflow in sorted((ROOT / ".github/workflows").glob("*.yml")):
        versions = re.findall(r"node-version:\s*\"?(\d+)", workflow.read_text(encoding="utf-8"))
        assert all(v == "24" for v in versions), (workflow.name, versions)


@pytest.mark.unit
def test_make_deploy_runs_gh_deploy_strictly():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^deploy:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "mkdocs gh-deploy" in recipe and "--strict" in recipe


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing on CI: .ci/run must install nginx-light")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    tmp = tmp_path_factory.mktemp("nginx")
    project = fixture_project(tmp / "p", 2, drop_hooks=("social",))
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"^site_url: .*$", "site_url: https://kooperation-netzwerke.example/",
                             config.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    result, out = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    port = free_port()
    block = (ROOT / "deploy/nginx.conf").read_text(encoding="utf-8")
    block = block.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n").replace("    listen [::]:80;\n", "")
    block = block.replace("root /var/www/kooperation-netzwerke;", f"root {out};")
    (tmp / "site.conf").write_text(block, encoding="utf-8")
    temp = tmp / "temp"
    temp.mkdir()
    (tmp / "nginx.conf").write_text(
        # As root, nginx's workers would run as nobody, who may not read pytest's folders.
        ("user root;\n" if os.geteuid() == 0 else "") +
        f"daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  client_body_temp_path {temp};\n"
        f"  proxy_temp_path {temp};\n  fastcgi_temp_path {temp};\n  uwsgi_temp_path {temp};\n  scgi_temp_path {temp};\n"
        f"  include {tmp}/site.conf;\n}}\n", encoding="utf-8")
    check = subprocess.run([nginx, "-t", "-c", str(tmp / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)


def get(url: str):
    try:
        return urllib.request.urlopen(url, timeout=5)
    except urllib.error.HTTPError as error:
        return error


@pytest.mark.build
def test_nginx_serves_pages_with_every_header(nginx_site):
    expected = readme_headers()
    for url, status in (("", 200), ("tags/vertrauen/", 200), ("assets/kn.css", 200), ("nicht-da/", 404)):
        response = get(nginx_site + url)
        assert response.status == status, url
        for name, value in expected.items():
            assert response.headers[name] == value, (url, name)


@pytest.mark.build
def test_nginx_answers_a_missing_page_with_the_german_404(nginx_site):
    response = get(nginx_site + "gibt/es/nicht/")
    assert response.status == 404
    assert "Seite nicht gefunden" in response.read().decode("utf-8")


@pytest.mark.build
def test_nginx_lists_no_folders(nginx_site):
    assert get(nginx_site + "assets/").status in (403, 404)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.build
def test_nginx_sends_an_old_wordpress_feed_to_the_atom_feed_with_301(nginx_site):
    opener = urllib.request.build_opener(_NoRedirect)
    for old in ("feed/", "feed", "feed/atom/", "feed/rss2/"):
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(nginx_site + old, timeout=5)
        assert answer.value.code == 301, old
        assert answer.value.headers["Location"].endswith("/feed.xml"), old
        assert answer.value.headers["X-Content-Type-Options"] == "nosniff"
    assert get(nginx_site + "feed.xml").status == 200
    assert get(nginx_site + "feeds/").status == 404
