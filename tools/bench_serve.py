"""How long does `make serve` take to show an edit?

Starts the real `mkdocs serve` on a free port of 127.0.0.1 for a temporary
copy of the site (optionally with N generated articles, as `make bench`),
then edits an article's Markdown several times and a hook once, and measures
the time from saving the file until the dev server serves the changed page
(the browser reloads at that moment). Prints the medians and, as the machine
may be busy, their ratio to one plain `mkdocs build --strict` of the same
project measured in the same run (that build also fills the preview-image
cache, as an author's first `make serve` does).

Run with `make bench-serve` or `python -m tools.bench_serve --articles 1000`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tools.benchmark import build, generate, machine
from tools.localsite import copy_sources

TIMEOUT = 300

# -----------------------------------------------------------------------------
# The dev server
# -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, needle: str, timeout: float = TIMEOUT) -> float:
    """Seconds until the page at `url` contains `needle` (polled every 50 ms)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        text = fetch(url)
        if text and needle in text:
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} not served at {url} within {timeout} s")


class DevServer:
    """`mkdocs serve` for `project` on 127.0.0.1:<free port>, stopped by its PID."""

    def __init__(self, project: Path, *, log: bool = False) -> None:
        """`log`: mkdocs' log (standard error) on a pipe, `self.process.stderr`, as text."""
        self.port = free_port()
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        env.pop("KN_MKDOCS_SERVE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"),
             "-a", f"127.0.0.1:{self.port}", "--livereload"],
            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if log else subprocess.DEVNULL,
            text=log, start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}/kooperation-netzwerke/"

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def __enter__(self) -> DevServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# -----------------------------------------------------------------------------
# Measuring
# -----------------------------------------------------------------------------


def measure(project: Path, article: Path, url: str, runs: int) -> tuple[float, float, float]:
    """Start-up, median Markdown edit and one hook edit, in seconds."""
    begin = time.monotonic()
    with DevServer(project) as server:
        wait_for(server.base + url, "</html>")
        startup = time.monotonic() - begin
        times = []
        for run in range(runs):
            marker = f"Messpunkt {run} der Vorschau."
            append(article, f"\n{marker}\n")
            times.append(wait_for(server.base + url, marker))
            time.sleep(1)  # let the watcher settle
        hook = project / "hooks" / "kn" / "derive" / "listings.py"
        hook.write_text(hook.read_text(encoding="utf-8").replace('ARCHIVE_TITLE = "Archiv"', 'ARCHIVE_TITLE = "Archiv (neu)"'),
                        encoding="utf-8")
        hook_time = wait_for(server.base + "archiv/", "Archiv (neu)")
    return startup, statistics.median(times), hook_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="erzeugte Artikel zusätzlich (0: nur die Website)")
    parser.add_argument("--runs", type=int, default=3, help="Änderungen am Markdown (Standard 3)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kn-bench-serve-"))
    try:
        project = copy_sources(tmp / "site")
        article = sorted((project / "docs" / "kooperation-netzwerke").glob("[!i]*.md"))[0]
        url = f"kooperation-netzwerke/{article.stem}/"
        if args.articles:
            generate(project, args.articles)
        print(f"mkdocs serve mit {args.articles} erzeugten Artikeln zusätzlich ({machine()}, "
              f"Last {os.getloadavg()[0]:.1f}):")
        build(project / "mkdocs.yml", tmp / "warm", strict=True)  # fills the image cache, not measured
        plain, _cpu = build(project / "mkdocs.yml", tmp / "plain", strict=True)
        print(f"  mkdocs build --strict zum Vergleich: {plain:.1f} s")
        startup, markdown, hook = measure(project, article, url, args.runs)
        print(f"  Start bis zur ersten Seite: {startup:.1f} s")
        print(f"  Änderung am Markdown bis zur neuen Seite (Median von {args.runs}): {markdown:.1f} s "
              f"(Verhältnis zum Build: {markdown / plain:.2f})")
        print(f"  Änderung an einem Hook bis zur neuen Seite: {hook:.1f} s (Verhältnis zum Build: {hook / plain:.2f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
