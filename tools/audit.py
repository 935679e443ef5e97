"""Site audit: Lighthouse (mobile) and the Nu HTML Checker against a fresh build.

Run it as `make audit`, or directly with the project's Python:

    .venv/bin/python -m tools.audit [--skip-lighthouse] [--skip-vnu]
                                    [--pages / /tags/ ...] [--report PATH]

Steps: build the site with `mkdocs build --strict` into a temporary folder,
serve that folder on 127.0.0.1, run Lighthouse (pinned in package.json,
installed with `npm ci`) with the system Chromium on each page of PAGES, and
the Nu HTML Checker (vnu-jar, run with the system Java) on every built HTML
file. Prints a Markdown table of the scores and exits

    0  all targets met,
    1  a target was missed (a score, a Nu error, a page that is not there),
    2  the audit could not run (build failed, a tool is missing or broke).

Everything the run produced (site, Lighthouse JSON reports, vnu output,
audit-report.md) stays in the temporary folder whose path is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kn.limits import shorten_for_message
from tools.localsite import CHROMIUM, CHROMIUM_ARGS, ROOT, SiteServer

# Pages audited with Lighthouse, as paths below the site root.
PAGES = [
    "/",  # start page
    "/kooperation-netzwerke/passende-partner-finden/",  # article, comments open
    "/kooperation-netzwerke/vorsicht-bei-kooperationsangeboten/",  # article, comments closed
    "/tags/",  # tag index
    "/tags/partnersuche/",  # one tag page
    "/checklisten/partner-pruefen/",  # checklist
]

# Lighthouse categories and the minimum score (0-100, rounded as Lighthouse
# shows it) each page must reach on mobile.
TARGETS = {
    "performance": 98,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
}
CATEGORY_LABELS = {
    "performance": "Leistung",
    "accessibility": "Barrierefreiheit",
    "best-practices": "Best Practices",
    "seo": "SEO",
}
# Categories whose failing audits are listed, so that the output says what to fix.
DETAIL_CATEGORIES = ("accessibility", "best-practices", "seo")

# Nu HTML Checker errors that are accepted: (regex searched in the message, reason).
# Keep this list short; every entry needs a reason that says why the error
# cannot or should not be fixed in this project.
VNU_ALLOW_LIST: list[tuple[str, str]] = [
    (
        r"^Attribute “autocomplete” is only allowed when the input type is ",
        "mkdocs-material's base.html puts autocomplete=\"off\" on its hidden "
        "toggle checkboxes (#__drawer, #__search) on purpose: without it Firefox "
        "restores their checked state after a reload, leaving the drawer or the "
        "search open. The spec forbids the attribute on checkboxes, so the checker "
        "reports it on every page; upstream kept it (mkdocs-material issue #1513). "
        "Removing it would mean copying and maintaining the whole base.html.",
    ),
]

NODE_MODULES = ROOT / "node_modules"
LIGHTHOUSE_BIN = NODE_MODULES / ".bin" / "lighthouse"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

BUILD_TIMEOUT = 300  # seconds
LIGHTHOUSE_TIMEOUT = 300  # seconds per page
VNU_TIMEOUT = 600  # seconds for all pages
MAX_ITEMS_PER_AUDIT = 5  # offending elements listed per failing audit

EXIT_OK, EXIT_MISSED, EXIT_BROKEN = 0, 1, 2


class AuditError(Exception):
    """The audit cannot run: a tool is missing, the build or a tool failed.

    `str(exc)` is a one-line summary; `detail` holds tool output, if any.
    """

    def __init__(self, summary: str, detail: str = "") -> None:
        super().__init__(summary)
        self.detail = detail


# -----------------------------------------------------------------------------
# Pure helpers (unit-tested in tests/test_audit_helpers.py)
# -----------------------------------------------------------------------------


@dataclass
class VnuMessage:
    file: str  # path relative to the site root, e.g. "tags/index.html"
    line: int | None
    column: int | None
    type: str  # "error", "non-document-error" (warnings/info are dropped)
    message: str
    extract: str = ""


def lighthouse_score(raw: float | None) -> int | None:
    """A category score 0..1 as the 0..100 integer Lighthouse shows (Math.round)."""
    if raw is None:
        return None
    return math.floor(raw * 100 + 0.5)


def score_failures(scores: dict[str, int | None], targets: dict[str, int] = TARGETS) -> list[str]:
    """Human-readable misses of `targets` by one page's `scores` (empty: all met)."""
    misses = []
    for category, target in targets.items():
        label = CATEGORY_LABELS.get(category, category)
        score = scores.get(category)
        if score is None:
            misses.append(f"{label}: kein Ergebnis")
        elif score < target:
            misses.append(f"{label} {score} < {target}")
    return misses


def parse_vnu_json(text: str, site_dir: Path | str | None = None) -> list[VnuMessage]:
    """Errors from vnu's `--format json` output (info and warnings are dropped).

    File URLs ("file:/tmp/x/site/tags/index.html") become paths relative to
    `site_dir` when given. Raises ValueError when `text` is not vnu JSON.
    """
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ValueError("no 'messages' list in vnu output")
    prefix = ""
    if site_dir is not None:
        prefix = Path(site_dir).resolve().as_posix().rstrip("/") + "/"
    result = []
    for msg in data["messages"]:
        kind = msg.get("type", "")
        if kind not in ("error", "non-document-error"):
            continue
        url = msg.get("url", "")
        path = urllib.parse.unquote(url[len("file:"):]) if url.startswith("file:") else url
        path = re.sub(r"^/+", "/", path)  # "file:///x" and "file:/x" alike
        if prefix and path.startswith(prefix):
            path = path[len(prefix):]
        result.append(
            VnuMessage(
                file=path,
                line=msg.get("lastLine", msg.get("firstLine")),
                column=msg.get("firstColumn", msg.get("lastColumn")),
                type=kind,
                message=msg.get("message", "").strip(),
                extract=msg.get("extract", "") or "",
            )
        )
    return result


def apply_allow_list(
    messages: list[VnuMessage], allow_list: list[tuple[str, str]] = VNU_ALLOW_LIST
) -> tuple[list[VnuMessage], dict[str, int]]:
    """Split messages into (kept errors, {allow-list regex: number of errors it hid}).

    Every regex of the allow list appears in the dict, unused ones with 0.
    Errors that are not about a document (type "non-document-error": the file
    could not be read, the checker broke) are never allowed.
    """
    compiled = [(pattern, re.compile(pattern)) for pattern, _reason in allow_list]
    hidden = {pattern: 0 for pattern, _ in compiled}
    kept = []
    for msg in messages:
        match = None
        if msg.type == "error":
            match = next((p for p, rx in compiled if rx.search(msg.message)), None)
        if match is None:
            kept.append(msg)
        else:
            hidden[match] += 1
    return kept, hidden


def errors_per_file(messages: list[VnuMessage]) -> dict[str, int]:
    """Number of distinct errors per file."""
    counts: dict[str, int] = {}
    seen = set()
    for msg in messages:
        key = (msg.file, msg.line, msg.column, msg.message)
        if key in seen:
            continue
        seen.add(key)
        counts[msg.file] = counts.get(msg.file, 0) + 1
    return counts


def page_file(page: str) -> str:
    """Built HTML file of a site path: "/" -> "index.html", "/a/b/" -> "a/b/index.html"."""
    rel = page.strip("/")
    if not rel:
        return "index.html"
    return rel if rel.endswith(".html") else rel + "/index.html"


def failing_audits(report: dict, categories=DETAIL_CATEGORIES) -> list[dict]:
    """Audits that lose points in `categories` of a Lighthouse JSON report.

    Each: {"category", "id", "title", "score", "weight", "display", "items"}.
    Manual, informative and not-applicable audits are left out.
    """
    audits = report.get("audits", {})
    found = []
    for category in categories:
        for ref in report.get("categories", {}).get(category, {}).get("auditRefs", []):
            audit = audits.get(ref.get("id"), {})
            score = audit.get("score")
            if audit.get("scoreDisplayMode") not in ("binary", "numeric", "metricSavings"):
                continue
            if score is None or score >= 1:
                continue
            details = audit.get("details") or {}
            items = _count_duplicates(
                describe_item(i) for i in details.get("items") or [] if isinstance(i, dict)
            )
            found.append(
                {
                    "category": category,
                    "id": ref.get("id"),
                    "title": audit.get("title", ""),
                    "score": score,
                    "weight": ref.get("weight", 0),
                    "display": audit.get("displayValue", ""),
                    "items": items,
                }
            )
    return found


def describe_item(item: dict) -> str:
    """One line for an entry of a Lighthouse audit's details table."""
    node = item.get("node")
    if isinstance(node, dict):
        text = node.get("selector") or node.get("snippet") or ""
        # axe's explanation: "Fix any of the following:" and then the reasons.
        reasons = [line.strip() for line in (node.get("explanation") or "").splitlines()[1:]]
        if reasons:
            text += " – " + " / ".join(r for r in reasons if r)
        return _one_line(text, 300)
    for key in ("description", "url", "source", "label"):
        value = item.get(key)
        if isinstance(value, str) and value:
            extra = item.get("url") if key == "description" else ""
            return _one_line(f"{value} ({extra})" if extra else value)
        if isinstance(value, dict) and value.get("url"):
            return _one_line(value["url"])
    return ""


def _count_duplicates(lines) -> list[str]:
    """Distinct non-empty lines in order, repeated ones marked "(N×)"."""
    counts: dict[str, int] = {}
    for line in lines:
        if line:
            counts[line] = counts.get(line, 0) + 1
    return [f"{line} ({n}×)" if n > 1 else line for line, n in counts.items()]


def _one_line(text: str, limit: int = 200) -> str:
    """A finding's text for the report: one line of at most `limit` characters."""
    return shorten_for_message(" ".join(text.split()), limit - 1)


# -----------------------------------------------------------------------------
# Results and the report
# -----------------------------------------------------------------------------


@dataclass
class PageResult:
    page: str
    scores: dict[str, int | None] = field(default_factory=dict)
    error: str = ""  # the page could not be audited (404, Lighthouse failed)
    audits: list[dict] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)  # performance metrics, when below target
    report_path: Path | None = None


@dataclass
class AuditRun:
    pages: list[str]
    lighthouse: bool
    vnu: bool
    results: dict[str, PageResult] = field(default_factory=dict)
    nu_counts: dict[str, int] = field(default_factory=dict)  # file -> errors after allow list
    nu_files: list[str] = field(default_factory=list)  # every checked file
    nu_errors: list[VnuMessage] = field(default_factory=list)
    nu_hidden: dict[str, int] = field(default_factory=dict)


def _cell(score: int | None, target: int) -> str:
    if score is None:
        return "–"
    return f"{score}" if score >= target else f"**{score}** ✗"


def render_table(run: AuditRun) -> str:
    """The Markdown table: one row per Lighthouse page, then other pages with Nu errors."""
    head = "| Seite | Leistung | Barrierefreiheit | Best Practices | SEO | Nu-Fehler |"
    rows = [head, "| --- | ---: | ---: | ---: | ---: | ---: |"]

    def nu_cell(file: str) -> str:
        if not run.vnu:
            return "–"
        if file not in run.nu_files:
            return "keine Datei"
        n = run.nu_counts.get(file, 0)
        return f"**{n}** ✗" if n else "0"

    listed = set()
    for page in run.pages:
        file = page_file(page)
        listed.add(file)
        res = run.results.get(page)
        if res is None:
            cells = ["–"] * 4
        elif res.error:
            cells = [f"**{res.error}** ✗", "–", "–", "–"]
        else:
            cells = [_cell(res.scores.get(c), TARGETS[c]) for c in TARGETS]
        rows.append(f"| `{page}` | " + " | ".join(cells) + f" | {nu_cell(file)} |")
    if run.vnu:
        others = [f for f in run.nu_files if f not in listed]
        for file in others:
            if run.nu_counts.get(file):
                page = "/" + file[: -len("index.html")] if file.endswith("index.html") else "/" + file
                rows.append(f"| `{page}` | – | – | – | – | {nu_cell(file)} |")
        clean = sum(1 for f in others if not run.nu_counts.get(f))
        if clean:
            rows.append(f"| {clean} weitere Seiten | – | – | – | – | 0 |")
    return "\n".join(rows)


def verdict(run: AuditRun) -> tuple[bool, list[str]]:
    """(passed, reasons) for the whole run."""
    reasons = []
    if run.lighthouse:
        for page in run.pages:
            res = run.results.get(page)
            if res is None:
                reasons.append(f"{page}: nicht geprüft")
            elif res.error:
                reasons.append(f"{page}: {res.error}")
            else:
                misses = score_failures(res.scores)
                if misses:
                    reasons.append(f"{page}: " + ", ".join(misses))
    if run.vnu:
        total = sum(run.nu_counts.values())
        if total:
            reasons.append(f"Nu HTML Checker: {total} Fehler in {len(run.nu_counts)} Datei(en)")
    return not reasons, reasons


def render_details(run: AuditRun) -> str:
    """What to fix: failing Lighthouse audits per page and the Nu errors, grouped."""
    out: list[str] = []
    if run.lighthouse:
        for page in run.pages:
            res = run.results.get(page)
            if res is None or not (res.audits or res.metrics or res.error):
                continue
            out.append(f"### Lighthouse `{page}`")
            if res.error:
                out.append(f"- {res.error}")
            for audit in res.audits:
                label = CATEGORY_LABELS.get(audit["category"], audit["category"])
                score = lighthouse_score(audit["score"])
                weight = "" if audit["weight"] else ", Gewicht 0"
                display = f" – {audit['display']}" if audit["display"] else ""
                out.append(f"- {label}: `{audit['id']}` {audit['title']} (Wert {score}{weight}){display}")
                for item in audit["items"][:MAX_ITEMS_PER_AUDIT]:
                    out.append(f"    - {item}")
                if len(audit["items"]) > MAX_ITEMS_PER_AUDIT:
                    out.append(f"    - … und {len(audit['items']) - MAX_ITEMS_PER_AUDIT} weitere")
            if res.metrics:
                out.append("- Leistung unter dem Ziel; Messwerte: " + "; ".join(res.metrics))
            if res.report_path:
                out.append(f"- Bericht: {res.report_path}")
            out.append("")
    if run.vnu:
        if run.nu_errors:
            out.append(f"### Nu HTML Checker: {len(run.nu_errors)} Fehler")
            groups: dict[str, list[VnuMessage]] = {}
            for msg in run.nu_errors:
                groups.setdefault(msg.message, []).append(msg)
            for message, msgs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
                out.append(f"- {message} ({len(msgs)}×)")
                for msg in sorted(msgs, key=lambda m: (m.file, m.line or 0, m.column or 0)):
                    where = f"{msg.file}:{msg.line}" if msg.line else msg.file
                    extract = _one_line(msg.extract, 120)
                    out.append(f"    - {where}" + (f"  `{extract}`" if extract else ""))
            out.append("")
        allowed = {p: n for p, n in run.nu_hidden.items() if n}
        unused = [p for p, n in run.nu_hidden.items() if not n]
        if allowed:
            total = sum(allowed.values())
            out.append(f"Nu HTML Checker: {total} Meldung(en) durch die Allow-List ausgenommen:")
            out += [f"- `{p}`: {n}×" for p, n in allowed.items()]
        if unused:
            out.append("Hinweis: Allow-List-Einträge ohne Treffer (können entfernt werden?):")
            out += [f"- `{p}`" for p in unused]
        if allowed or unused:
            out.append("")
    return "\n".join(out).rstrip() + ("\n" if out else "")


# -----------------------------------------------------------------------------
# Tools
# -----------------------------------------------------------------------------


def say(text: str = "") -> None:
    print(text, flush=True)


def pinned_versions() -> dict[str, str]:
    data = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return dict(data.get("devDependencies", {}))


def installed_version(package: str) -> str | None:
    try:
        data = json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("version")


def ensure_node_modules() -> None:
    """Run `npm ci` when node_modules is missing or does not match package.json."""
    pinned = pinned_versions()
    stale = [name for name, version in pinned.items() if installed_version(name) != version]
    if not stale and LIGHTHOUSE_BIN.exists() and VNU_JAR.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise AuditError("npm fehlt: Node.js und npm installieren (z. B. apt-get install nodejs npm).")
    reason = "fehlt" if not NODE_MODULES.exists() else "passt nicht zu package.json"
    say(f"node_modules {reason}: npm ci …")
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT)
    if result.returncode != 0:
        raise AuditError(f"npm ci ist fehlgeschlagen (Exit-Code {result.returncode}).")
    for path in (LIGHTHOUSE_BIN, VNU_JAR):
        if not path.exists():
            raise AuditError(f"Nach npm ci fehlt {path.relative_to(ROOT)}.")


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise AuditError(
            "Java fehlt (für den Nu HTML Checker): apt-get install default-jre-headless, "
            "oder mit --skip-vnu ohne ihn prüfen."
        )
    return java


def require_chromium() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        raise AuditError(
            f"Chromium fehlt unter {CHROMIUM} (für Lighthouse): apt-get install chromium, "
            "CHROME_PATH setzen, oder mit --skip-lighthouse ohne ihn prüfen."
        )
    return CHROMIUM


def build_site(site_dir: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)]
    try:
        result = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        raise AuditError(f"mkdocs build dauerte länger als {BUILD_TIMEOUT} s.") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise AuditError("mkdocs build --strict ist fehlgeschlagen", output)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def page_slug(page: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", page.strip("/"))
    return slug or "start"


def run_process_group(cmd: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    """Run cmd in its own process group; on timeout or Ctrl-C end the whole group,
    so that no Chromium started by Lighthouse is left behind."""
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except BaseException:  # TimeoutExpired, KeyboardInterrupt
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


def kill_processes_with_arg(arg: str) -> None:
    """SIGKILL the processes whose command line has exactly `arg`: here the
    Chromium of one Lighthouse run (its profile folder is unique to the run),
    which chrome-launcher starts in a process group of its own."""
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if arg.encode() in args:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)


def run_lighthouse(url: str, page: str, work: Path) -> PageResult:
    """Lighthouse on one URL; errors of that page end up in PageResult.error."""
    res = PageResult(page)
    status = http_status(url)
    if status != 200:
        res.error = f"HTTP {status}"
        return res
    slug = page_slug(page)
    out_path = work / "lighthouse" / f"{slug}.json"
    profile = work / "chrome-profiles" / slug
    out_path.parent.mkdir(parents=True, exist_ok=True)
    profile.mkdir(parents=True, exist_ok=True)
    flags = " ".join(("--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}"))
    cmd = [
        str(LIGHTHOUSE_BIN),
        url,
        "--output=json",
        f"--output-path={out_path}",
        "--quiet",
        "--only-categories=" + ",".join(TARGETS),
        "--form-factor=mobile",
        "--throttling-method=simulate",
        f"--chrome-flags={flags}",
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    try:
        proc = run_process_group(cmd, env=env, timeout=LIGHTHOUSE_TIMEOUT)
    except subprocess.TimeoutExpired:
        res.error = f"Lighthouse nach {LIGHTHOUSE_TIMEOUT} s abgebrochen"
        return res
    finally:
        kill_processes_with_arg(f"--user-data-dir={profile}")
        shutil.rmtree(profile, ignore_errors=True)
    try:
        report = json.loads(out_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        res.error = f"Lighthouse fehlgeschlagen (Exit-Code {proc.returncode})"
        say(f"  {res.error}:\n{tail}")
        return res
    res.report_path = out_path
    runtime_error = report.get("runtimeError")
    if runtime_error:
        res.error = f"Lighthouse: {runtime_error.get('code')}"
        say(f"  {res.error}: {runtime_error.get('message', '')}")
    for warning in report.get("runWarnings") or []:
        say(f"  Warnung: {_one_line(warning, 300)}")
    categories = report.get("categories", {})
    res.scores = {c: lighthouse_score(categories.get(c, {}).get("score")) for c in TARGETS}
    res.audits = failing_audits(report)
    perf = res.scores.get("performance")
    if perf is not None and perf < TARGETS["performance"]:
        for ref in categories.get("performance", {}).get("auditRefs", []):
            audit = report.get("audits", {}).get(ref["id"], {})
            if ref.get("weight") and audit.get("score") is not None:
                res.metrics.append(
                    f"{audit.get('title', ref['id'])} {audit.get('displayValue', '')} "
                    f"(Wert {lighthouse_score(audit['score'])}, Gewicht {ref['weight']})"
                )
    return res


def run_vnu(site_dir: Path, work: Path) -> list[VnuMessage]:
    java = require_java()
    files = sorted(site_dir.rglob("*.html"))
    if not files:
        raise AuditError(f"Keine HTML-Dateien in {site_dir}.")
    cmd = [java, "-jar", str(VNU_JAR), "--format", "json", *map(str, files)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=VNU_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise AuditError(f"Nu HTML Checker dauerte länger als {VNU_TIMEOUT} s.") from exc
    # vnu writes its JSON to stderr; exit code 1 just means "errors found".
    (work / "vnu.json").write_text(proc.stderr or proc.stdout, encoding="utf-8")
    for text in (proc.stderr, proc.stdout):
        try:
            return parse_vnu_json(text, site_dir)
        except ValueError:
            continue
    output = (proc.stderr + proc.stdout).strip()[-3000:]
    raise AuditError(f"Nu HTML Checker lieferte kein JSON (Exit-Code {proc.returncode})", output)


# -----------------------------------------------------------------------------
# Main
# -----------------------------------------------------------------------------


def normalize_page(page: str) -> str:
    page = page.strip()
    return page if page.startswith("/") else "/" + page


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Baut die Website und prüft sie mit Lighthouse (mobil) und dem Nu HTML Checker."
    )
    parser.add_argument("--skip-lighthouse", action="store_true", help="Lighthouse auslassen")
    parser.add_argument("--skip-vnu", action="store_true", help="Nu HTML Checker auslassen")
    parser.add_argument(
        "--pages", nargs="+", metavar="PFAD", help="Seiten für Lighthouse statt der Standardliste, z. B. / /tags/"
    )
    parser.add_argument("--report", type=Path, metavar="PFAD", help="Bericht zusätzlich hierhin schreiben")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    pages = [normalize_page(p) for p in args.pages] if args.pages else list(PAGES)
    run = AuditRun(pages=pages, lighthouse=not args.skip_lighthouse, vnu=not args.skip_vnu)
    try:
        if run.lighthouse:
            require_chromium()
        if run.vnu:
            require_java()
        if run.lighthouse or run.vnu:
            ensure_node_modules()
            versions = ", ".join(f"{n} {installed_version(n)}" for n in pinned_versions())
            say(f"Werkzeuge: {versions}")
        work = Path(tempfile.mkdtemp(prefix="kn-audit-"))
        site_dir = work / "site"
        say(f"Arbeitsordner: {work}")

        say("Baue die Website (mkdocs build --strict) …")
        build_site(site_dir)

        if run.vnu:
            say("Nu HTML Checker …")
            messages = run_vnu(site_dir, work)
            run.nu_files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
            kept, run.nu_hidden = apply_allow_list(messages)
            seen, run.nu_errors = set(), []
            for msg in kept:  # each error once
                key = (msg.file, msg.line, msg.column, msg.message)
                if key not in seen:
                    seen.add(key)
                    run.nu_errors.append(msg)
            run.nu_counts = errors_per_file(run.nu_errors)
            say(f"  {len(run.nu_files)} Seiten, {len(run.nu_errors)} Fehler")

        if run.lighthouse:
            with SiteServer(site_dir) as server:
                say(f"Lighthouse (mobil) gegen {server.base} …")
                for n, page in enumerate(pages, 1):
                    t0 = time.monotonic()
                    say(f"  [{n}/{len(pages)}] {page}")
                    res = run_lighthouse(server.url(page), page, work)
                    run.results[page] = res
                    summary = res.error or ", ".join(
                        f"{CATEGORY_LABELS[c]} {res.scores.get(c)}" for c in TARGETS
                    )
                    say(f"        {summary} ({time.monotonic() - t0:.0f} s)")
    except AuditError as exc:
        if exc.detail:
            say(exc.detail)
        say(f"Audit nicht bestanden: {exc}")
        return EXIT_BROKEN

    passed, reasons = verdict(run)
    skipped = [name for name, on in (("Lighthouse", run.lighthouse), ("Nu HTML Checker", run.vnu)) if not on]
    if passed:
        final = "Audit bestanden" + (f" ({' und '.join(skipped)} übersprungen)" if skipped else "")
    else:
        final = "Audit nicht bestanden: " + "; ".join(reasons)
    table = render_table(run)
    details = render_details(run)
    elapsed = time.monotonic() - started
    report = f"# Audit\n\n{table}\n\n{final}\n\nDauer: {elapsed:.0f} s\n"
    if details:
        report += f"\n## Details\n\n{details}"
    (work / "audit-report.md").write_text(report, encoding="utf-8")
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(report, encoding="utf-8")

    say()
    if details:
        say(details)
    say(table)
    say()
    say(f"Bericht: {work / 'audit-report.md'}" + (f" und {args.report}" if args.report else ""))
    say(f"Dauer: {elapsed:.0f} s")
    say(final)
    return EXIT_OK if passed else EXIT_MISSED


if __name__ == "__main__":
    sys.exit(main())
