"""Content check of the owner's site (`make pruefen`): generic over any
content, separate from the product tests under tests/.

1. The strict build (`mkdocs build --strict`): front matter, tags, authors,
   comments, checklists, limits and MkDocs' own link checks. Its messages
   already name file, field and line (hooks/kn/registry.py, hooks/kn/annotate.py).
2. Internal links of the built pages: every link and every embedded file of
   the site points to a page or file that exists.
3. Nothing from other servers: no page or stylesheet loads a script, style,
   font, image or frame from another origin.
4. Spelling of every Markdown file under docs/ with hunspell (de_DE) and the
   word list tests/wortliste.txt (tools/spelling.py). Unknown words are
   hints („Hinweis“), not errors: names and foreign words in an imported blog
   must not turn every pull request red. `--streng` makes them errors.

Output: one line per problem, `Fehler in 'serie/artikel.md', Zeile 12: …`
(Hinweis for hints), and under GitHub Actions also a workflow command on that
line. Exit code 1 when there is an error. With $KN_STATUS_DIR set, the result
(`ok` or `fehler`) goes to $KN_STATUS_DIR/inhalte for tools/pr_summary.py.

    python -m tools.pruefen [--root ORDNER] [--site-dir ORDNER] [--streng]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from kn import annotate
from kn.names import ASSETS
from kn.problems import error
from tools import spelling
from tools.localsite import build

ROOT = Path(__file__).resolve().parent.parent

STATUS_ENV = "KN_STATUS_DIR"
ERROR_RE = re.compile(r"^\s*(Fehler in .*)$", re.M)
WARNING_RE = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(.*)$", re.M)
# Elements that make the browser fetch something, and the attributes it fetches.
LOADS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "embed": ("src",), "object": ("data",),
    "input": ("src",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
}
LINK_LOADS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon", "preconnect", "dns-prefetch"}
CSS_URL_RE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)
# MkDocs' own (English) warning for a link to a missing Markdown file.
MKDOCS_LINK_RE = re.compile(
    r"Doc file '(?P<src>[^']+)' contains a link '(?P<link>[^']*)', but the target '(?P<target>[^']*)' is not found"
)
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:", "#")


@dataclass(frozen=True)
class Finding:
    level: str  # "Fehler" or "Hinweis"
    file: str | None  # relative to docs/ for pages, to the repository otherwise
    where: str | None  # "Zeile 12", "Feld 'tags'"
    text: str
    line: int | None = None

    def __str__(self) -> str:
        place = f" in '{self.file}'" if self.file else ""
        where = f", {self.where}" if self.where else ""
        return f"{self.level}{place}{where}: {self.text}"


# -----------------------------------------------------------------------------
# Command line
# -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Inhalte der Website prüfen (strenger Build, Links, fremde Server, Rechtschreibung).")
    parser.add_argument("--root", type=Path, default=ROOT, help="Ordner der Website (mit mkdocs.yml)")
    parser.add_argument("--site-dir", type=Path, default=None, help="Ordner für die gebaute Website (sonst ein temporärer)")
    parser.add_argument("--streng", action="store_true", help="unbekannte Wörter sind Fehler, nicht nur Hinweise")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="kn-pruefen-") as tmp:
        site_dir = (args.site_dir or Path(tmp) / "site").resolve()
        findings, build_output = check(root, site_dir, strict_spelling=args.streng)
    report(findings, root=root, build_output=build_output)
    failed = any(f.level == "Fehler" for f in findings)
    write_status("fehler" if failed else "ok")
    return 1 if failed else 0


def check(root: Path, site_dir: Path, *, strict_spelling: bool = False) -> tuple[list[Finding], str]:
    """Every finding on the site under `root`, and the build's output."""
    result = build(root, site_dir)
    output = result.stdout + result.stderr
    findings: list[Finding] = []
    if result.returncode != 0:
        findings.extend(build_findings(output, root / "docs"))
    else:
        docs = root / "docs"
        soups = parsed(site_dir)  # each page parsed once for both checks
        findings.extend(link_findings(site_dir, docs, soups))
        findings.extend(origin_findings(site_dir, docs, soups))
    findings.extend(spelling_findings(root, strict=strict_spelling))
    return findings, output


def report(findings: list[Finding], *, root: Path, build_output: str) -> None:
    errors = [f for f in findings if f.level == "Fehler"]
    hints = [f for f in findings if f.level != "Fehler"]
    print("Prüfung der Inhalte (make pruefen): strenger Build, interne Links, nichts von fremden Servern, Rechtschreibung")
    for finding in findings:
        print("  " + str(finding))
    if annotate.enabled():
        for finding in findings:
            if finding.file is None:
                continue  # build problems: the build printed their annotations itself
            rel = finding.file if finding.file.startswith(annotate.REPO_PREFIXES) else f"docs/{finding.file}"
            if finding.level == "Hinweis" and not spelling.annotated(rel):
                continue
            level = "error" if finding.level == "Fehler" else "warning"
            print(annotate.workflow_command(level, finding.text, file=rel, line=finding.line), flush=True)
    if errors:
        print(f"Ergebnis: {len(errors)} Fehler, {len(hints)} Hinweise. Ihr Artikel (oder eine andere Inhaltsdatei) braucht eine Korrektur.")
    else:
        print(f"Ergebnis: Alles in Ordnung ({len(hints)} Hinweise).")


def write_status(value: str) -> None:
    folder = os.environ.get(STATUS_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "inhalte").write_text(value + "\n", encoding="utf-8")


# -----------------------------------------------------------------------------
# The checks
# -----------------------------------------------------------------------------


def build_findings(output: str, docs: Path | None = None) -> list[Finding]:
    """The build's own German messages (they name file, field and line)."""
    messages = [m.strip() for m in ERROR_RE.findall(output)]
    messages += [m.strip() for m in WARNING_RE.findall(output) if not m.strip().startswith("Fehler in")]
    seen: list[str] = []
    for message in messages:
        if message.endswith(":") or message.startswith("Aborted"):
            continue  # a headline ("… die Website wurde nicht gebaut:"), its problems follow
        link = MKDOCS_LINK_RE.match(message)
        if link:
            source = docs / link["src"] if docs is not None else None
            line = line_in(source.read_text(encoding="utf-8") if source and source.is_file() else None, f"({link['link']}")
            message = error(link["src"], None, (
                f"Der Link „{link['link']}“ führt auf „{link['target']}“, eine Datei, die es unter docs/ nicht gibt."
            ), line=line, show_line=True)
        if message not in seen:
            seen.append(message)
    if not seen:
        last = [line for line in output.strip().splitlines() if line.strip()][-1:] or ["(keine Ausgabe)"]
        seen = [f"Der Build ist fehlgeschlagen: {last[0].strip()}"]
    # "Fehler in 'x', ..." is printed as it is; anything else as a build error.
    return [Finding("Fehler", None, None, m[len("Fehler: "):] if m.startswith("Fehler: ") else m) if not m.startswith("Fehler in ")
            else _parsed(m, docs) for m in seen]


def _parsed(message: str, docs: Path | None = None) -> Finding:
    """A build message as a finding, with the line of its field when the
    message names a field but no line (as the annotations find it)."""
    match = re.match(r"Fehler in '([^']+)'(?:, (.*?))?: (.*)$", message, re.S)
    if not match:
        return Finding("Fehler", None, None, message)
    src, where, text = match[1], match[2], match[3]
    number = re.match(r"Zeile (\d+)", where or "")
    line = int(number[1]) if number else None
    field = re.search(r"(Eintrag \d+(?:, Feld '[^']+')?|(?<=Feld ')[^']+(?='))", where or "")
    if line is None and field and docs is not None:
        path = docs.parent / src if src.startswith(annotate.REPO_PREFIXES + annotate.REPO_FILES) else docs / src
        line = annotate.line_of(field[1], annotate.field_lines(src, annotate.read_text(path)))
        if line:
            where = f"Zeile {line}, {where}"
    return Finding("Fehler", src, where, text, line)


def pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def source_of(page: Path, site_dir: Path, docs: Path) -> tuple[str | None, str | None]:
    """The Markdown file (relative to docs/) a built page came from, and its text."""
    rel = page.relative_to(site_dir).as_posix()
    if rel.endswith("index.html"):
        stem = rel[: -len("index.html")].rstrip("/")
        candidates = [f"{stem}.md", f"{stem}/index.md"] if stem else ["index.md"]
    else:
        candidates = [rel[:-5] + ".md"]
    for candidate in candidates:
        path = docs / candidate
        if path.is_file():
            return candidate, path.read_text(encoding="utf-8", errors="replace")
    return None, None


def line_in(text: str | None, needle: str) -> int | None:
    if text is None:
        return None
    lines = annotate.lines_with(text, needle)
    return lines[0] if lines else None


def finding_on(page: Path, site_dir: Path, docs: Path, needle: str, text: str) -> Finding:
    src, source = source_of(page, site_dir, docs)
    line = line_in(source, needle)
    if src is None:
        src = page.relative_to(site_dir).as_posix()
        text = f"(erzeugte Seite) {text}"
    return Finding("Fehler", src, f"Zeile {line}" if line else None, text, line)


def is_external(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url)) and not url.lower().startswith(SKIP_SCHEMES)


def parsed(site_dir: Path) -> dict[Path, BeautifulSoup]:
    """Every page of the built site, parsed."""
    return {page: BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "html.parser") for page in pages(site_dir)}


def link_findings(site_dir: Path, docs: Path, soups: dict[Path, BeautifulSoup] | None = None) -> list[Finding]:
    """Links and embedded files inside the site that lead nowhere."""
    findings: list[Finding] = []
    for page, soup in (soups if soups is not None else parsed(site_dir)).items():
        for tag in soup.find_all(["a", "img", "script", "link", "source", "iframe", "video", "audio"]):
            for attr in ("href", "src"):
                url = tag.get(attr)
                if not url or not isinstance(url, str):
                    continue
                url = url.strip()
                if not url or url.lower().startswith(SKIP_SCHEMES) or is_external(url):
                    continue
                target = resolve(page, site_dir, url)
                if target is not None and not target.exists():
                    findings.append(finding_on(
                        page, site_dir, docs, url.split("#")[0].split("?")[0] or url,
                        f"Der Link „{url}“ führt auf eine Seite oder Datei, die es auf der Website nicht gibt.",
                    ))
    return findings


def resolve(page: Path, site_dir: Path, url: str) -> Path | None:
    """The file in the built site a relative or root-relative URL points to."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None  # "#anker" or "?frage" on the same page
    if path.startswith("/"):
        return None  # root-relative: depends on where the site is hosted (site_url)
    target = (page.parent / PurePosixPath(path)).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def origin_findings(site_dir: Path, docs: Path, soups: dict[Path, BeautifulSoup] | None = None) -> list[Finding]:
    """Anything a page or stylesheet would load from another server."""
    findings: list[Finding] = []
    for page, soup in (soups if soups is not None else parsed(site_dir)).items():
        urls: list[str] = []
        for name, attrs in LOADS.items():
            for tag in soup.find_all(name):
                for attr in attrs:
                    value = tag.get(attr)
                    if isinstance(value, str):
                        urls.extend(u.strip().split(" ")[0] for u in value.split(",") if attr == "srcset" and u.strip())
                        if attr != "srcset":
                            urls.append(value)
        for tag in soup.find_all("link"):
            rels = {r.lower() for r in (tag.get("rel") or [])}
            if rels & LINK_LOADS and isinstance(tag.get("href"), str):
                urls.append(tag["href"])
        for tag in soup.find_all(style=True):
            urls.extend(CSS_URL_RE.findall(tag["style"]))
        for tag in soup.find_all("style"):
            urls.extend(CSS_URL_RE.findall(tag.get_text()))
        for url in urls:
            if is_external(url):
                findings.append(finding_on(
                    page, site_dir, docs, url,
                    f"Die Seite lädt „{url}“ von einem fremden Server. Legen Sie die Datei ins Repository "
                    "(z. B. unter docs/bilder/) oder verlinken Sie sie nur.",
                ))
    for sheet in sorted(site_dir.rglob("*.css")):
        for url in CSS_URL_RE.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            if is_external(url):
                rel = sheet.relative_to(site_dir).as_posix()
                findings.append(Finding("Fehler", rel, None, f"Das Stylesheet lädt „{url}“ von einem fremden Server."))
    return findings


def spelling_findings(root: Path, *, strict: bool = False) -> list[Finding]:
    """Unknown words per Markdown file and line."""
    docs = root / "docs"
    wordlist = root / "tests" / "wortliste.txt"
    if not wordlist.is_file():
        wordlist = spelling.WORDLIST
    level = "Fehler" if strict else "Hinweis"
    try:
        spelling.hunspell()
    except spelling.HunspellMissing:
        return [Finding(level, None, None, "hunspell ist nicht installiert: Rechtschreibung nicht geprüft "
                                           "(apt-get install hunspell hunspell-de-de).")]
    sources = {path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8", errors="replace")
               for path in sorted(docs.rglob("*.md")) if ASSETS not in path.relative_to(docs).parts}
    prose = {rel: spelling.prose(text) for rel, text in sources.items()}
    # One hunspell run for the whole site (hundreds of imported posts), then
    # each unknown word is looked up in the files whose text contains it.
    unknown = spelling.misspelled("\n".join(prose.values()), wordlist) if prose else []
    findings: list[Finding] = []
    for rel, text in sources.items():
        for word in unknown:
            if not re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", prose[rel]):
                continue
            for line in annotate.lines_with(text, word) or [None]:
                findings.append(Finding(level, rel, f"Zeile {line}" if line else None, spelling.message(word), line))
    return findings


if __name__ == "__main__":
    raise SystemExit(main())
