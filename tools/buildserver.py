"""A preloaded `mkdocs build` for the tests: one process per test process that
has imported MkDocs, Material's theme, Python-Markdown with the extensions of
mkdocs.yml, Jinja, Pillow and the other libraries a build needs, and forks a
fresh child for every build (tools/localsite.py `build`).

A build in a child is the same as `python -m mkdocs build …` in a new process
(its own working folder, environment, standard output and error, exit code),
without starting Python and importing those libraries again: about a third
of a small build. The theme's installed folders are listed once, here
(`list_installed_templates_once`). Our own code, the package `kn`, is never preloaded: every
child imports it from the copy of the site it builds (hooks/main.py).

Protocol: one JSON request per line on standard input, {"args": [...],
"cwd": "...", "env": {...}, "timeout": seconds}; one JSON answer per line on
standard output, {"returncode": n, "stdout": "...", "stderr": "...", "cpu": seconds} or
{"timeout": true}. End of input ends the server.

    python -m tools.buildserver
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import signal
import sys
import tempfile
import time
import traceback

# What a build of this site imports from outside our code (its own imports
# follow). A missing one only costs time.
PRELOAD = (
    "mkdocs.__main__", "mkdocs.commands.build", "mkdocs.config.defaults", "mkdocs.structure.files",
    "mkdocs.structure.nav", "mkdocs.structure.pages", "mkdocs.theme", "mkdocs.utils", "mkdocs.plugins",
    "material", "markdown", "markdown.extensions.abbr", "markdown.extensions.admonition",
    "markdown.extensions.attr_list", "markdown.extensions.md_in_html", "markdown.extensions.tables",
    "markdown.extensions.toc", "markdown.extensions.smarty", "pymdownx.details", "pymdownx.superfences",
    "pymdownx.tasklist", "pymdownx.snippets", "pymdownx.highlight", "pygments", "pygments.formatters.html",
    "jinja2", "markupsafe", "yaml", "babel.dates", "feedgen.feed", "nh3", "PIL.Image", "PIL.ImageDraw",
    "PIL.ImageFont", "lxml.etree", "pyphen", "dateutil.parser", "pathspec", "html.parser", "xml.etree.ElementTree",
    "email.utils", "pagefind_bin", "concurrent.futures", "multiprocessing", "zoneinfo", "uuid", "difflib", "gzip",
    "weasyprint",  # only when a checklist's PDF is drawn, but then 0.35 s
)


def _own_entries() -> list[str]:
    """sys.path without the working folder and $PYTHONPATH: what every Python of this venv has."""
    extra = {os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    return [p for p in sys.path[1:] if os.path.abspath(p) not in extra]


BASE_PATH = _own_entries()


def preload() -> None:
    for name in PRELOAD:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def _installed(folder: str) -> bool:
    """A folder of this venv (an installed package's), not of a project."""
    return os.path.abspath(folder).startswith(os.path.join(sys.prefix, ""))


def list_installed_templates_once() -> None:
    """MkDocs lists every file of the theme's folders in each build, to copy
    the static ones (`Files.add_files_from_theme`): for Material 14 500 files,
    14 300 of them icons under `.icons/`, which its filter then drops one by
    one (patterns '.*' and '*/.*': every name with a part that starts with a
    dot). That is about a sixth of a small build. A folder of the venv does
    not change while the server runs, so it is listed once, here, before the
    children are forked, and without those names; a project's own folders
    (overrides/) are still listed in every build. MkDocs is the only caller
    of `list_templates` in a build, so its result is the same."""
    import jinja2
    from mkdocs.theme import Theme

    original = jinja2.FileSystemLoader.list_templates
    listed: dict[str, list[str]] = {}

    def names(loader: jinja2.FileSystemLoader, folder: str) -> list[str]:
        one = jinja2.FileSystemLoader(folder, encoding=loader.encoding, followlinks=loader.followlinks)
        return original(one)

    def list_templates(self: jinja2.FileSystemLoader) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if not _installed(folder):
                found.update(names(self, folder))
                continue
            if folder not in listed:
                listed[folder] = [n for n in names(self, folder) if not any(p.startswith(".") for p in n.split("/"))]
            found.update(listed[folder])
        return sorted(found)

    jinja2.FileSystemLoader.list_templates = list_templates
    with contextlib.suppress(Exception):
        jinja2.FileSystemLoader(Theme(name="material").dirs).list_templates()


def child(request: dict, out: str, err: str) -> None:
    """In the forked child: become `python -m mkdocs <args>` in `cwd`; never returns."""
    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for fd, path in ((1, out), (2, err)):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        # As `python -m` in `cwd` would have it: the folder, $PYTHONPATH, the rest.
        sys.path[:] = [request["cwd"], *(p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p), *BASE_PATH]
        sys.argv = ["mkdocs", *request["args"]]
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from mkdocs.__main__ import cli
        try:
            cli.main(args=request["args"], prog_name="python -m mkdocs")
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve_one(request: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="kn-buildserver-") as tmp:
        out, err = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            child(request, out, err)
        deadline = time.monotonic() + float(request.get("timeout") or 300)
        delay = 0.002
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"timeout": True}
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        code = os.waitstatus_to_exitcode(status)

        def text(path: str) -> str:
            try:
                with open(path, encoding="utf-8", errors="replace") as file:
                    return file.read()
            except FileNotFoundError:
                return ""

        return {"returncode": code, "stdout": text(out), "stderr": text(err), "cpu": usage.ru_utime + usage.ru_stime}


def main() -> None:
    preload()
    list_installed_templates_once()
    # What is loaded now is never garbage: the children's collections skip it
    # (and do not touch, and so copy, its memory pages).
    gc.freeze()
    answers = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        answers.write(json.dumps(serve_one(json.loads(line))) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
