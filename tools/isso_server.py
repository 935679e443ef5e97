"""A real Isso comment server on this machine, for the preview and the tests.

`make kommentare` (python -m tools.isso_server) starts Isso on 127.0.0.1 with its
SQLite file in .cache/isso/ (git-ignored); `make serve` points open articles at
it. The settings are tools/isso/isso.cfg (moderation on, no website field, no
Gravatar), completed in .cache/isso/isso.cfg with the database file, the
address, the site addresses Isso accepts (CORS `host`: the preview address and
site_url), and secrets from the environment only:

- ISSO_ADMIN_PASSWORD: switches on the moderation page /admin/;
- ISSO_SMTP_HOST, ISSO_SMTP_PORT, ISSO_SMTP_USER, ISSO_SMTP_PASSWORD,
  ISSO_SMTP_SECURITY, ISSO_SMTP_FROM, ISSO_SMTP_TO: e-mail on every new comment;
- ISSO_HASH_SALT: the salt of the hashes Isso shows instead of e-mail addresses.

The tests use `IssoServer` (free port, temporary database, stopped by its PID)
and `approve_pending` (what the moderation page's „Validate“ does).
"""

from __future__ import annotations

import argparse
import configparser
import http.cookiejar
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from kn import yamlfile
from kn.names import ISSO_CACHE

ROOT = Path(__file__).resolve().parent.parent
BASE_CONFIG = ROOT / "tools" / "isso" / "isso.cfg"
CACHE = ROOT / ISSO_CACHE
ISSO_BIN = Path(os.environ.get("KN_ISSO_BIN") or ROOT / ".venv-isso" / "bin" / "isso")
PREVIEW = "http://127.0.0.1:8000/"
SMTP_ENV = {
    "host": "ISSO_SMTP_HOST", "port": "ISSO_SMTP_PORT", "username": "ISSO_SMTP_USER",
    "password": "ISSO_SMTP_PASSWORD", "security": "ISSO_SMTP_SECURITY", "from": "ISSO_SMTP_FROM", "to": "ISSO_SMTP_TO",
}
VALIDATE_RE = re.compile(r"validate_com\((\d+),\s*'([^']+)'")

# -----------------------------------------------------------------------------
# Configuration
# -----------------------------------------------------------------------------


def config_text(*, db: Path, port: int, hosts: list[str], env: dict[str, str] | None = None, guard: bool = True) -> str:
    """tools/isso/isso.cfg with the database, address, CORS hosts and the
    secrets from `env` (the environment) filled in. `guard=False` (tests only,
    all readers come from 127.0.0.1) lifts the limit of comments per minute."""
    env = os.environ if env is None else env
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(BASE_CONFIG, encoding="utf-8")
    parser["general"]["dbpath"] = str(db)
    parser["general"]["host"] = "\n" + "\n".join(dict.fromkeys(hosts))
    parser["server"]["listen"] = f"http://127.0.0.1:{port}/"
    if env.get("ISSO_ADMIN_PASSWORD"):
        parser["admin"]["enabled"] = "true"
        parser["admin"]["password"] = env["ISSO_ADMIN_PASSWORD"]
    if env.get("ISSO_SMTP_HOST"):
        parser["general"]["notify"] = "smtp"
        parser["smtp"] = {key: env[name] for key, name in SMTP_ENV.items() if env.get(name)}
    if not guard:
        parser["guard"]["enabled"] = "false"
    if env.get("ISSO_HASH_SALT"):
        parser["hash"]["salt"] = env["ISSO_HASH_SALT"]
    out = io.StringIO()
    parser.write(out)
    return out.getvalue()


def site_hosts(root: Path = ROOT) -> list[str]:
    """The addresses Isso accepts comments from: the preview and site_url's origin."""
    hosts = [PREVIEW]
    try:
        config = yamlfile.load_config((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return hosts
    url = urllib.parse.urlsplit(str((config or {}).get("site_url") or ""))
    if url.scheme and url.netloc:
        hosts.append(f"{url.scheme}://{url.netloc}/")
    return hosts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -----------------------------------------------------------------------------
# The server process
# -----------------------------------------------------------------------------


class IssoServer:
    """Isso as a child process on 127.0.0.1; `stop()` ends it by its PID."""

    def __init__(
        self, folder: Path, *, hosts: list[str], port: int | None = None, env: dict[str, str] | None = None, guard: bool = True,
    ) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.db = folder / "kommentare.db"
        self.config = folder / "isso.cfg"
        self.config.write_text(config_text(db=self.db, port=self.port, hosts=hosts, env=env, guard=guard), encoding="utf-8")
        self.log = folder / "isso.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> IssoServer:
        if not ISSO_BIN.exists():
            raise FileNotFoundError(ISSO_BIN)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(ISSO_BIN), "-c", str(self.config), "run"], stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Isso stopped at once:\n{self.log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(self.url + "config", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Isso did not answer within {timeout} s:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self) -> IssoServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def approve_pending(url: str, password: str) -> list[int]:
    """Log in to Isso's moderation page and activate every comment waiting
    for review, as its „Validate“ link does; the ids activated."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(url + "login/", urllib.parse.urlencode({"password": password}).encode(), timeout=10).read()
    page = opener.open(url + "admin/?mode=2", timeout=10).read().decode("utf-8")
    done = []
    for comment_id, key in dict.fromkeys(VALIDATE_RE.findall(page)):
        request = urllib.request.Request(f"{url}id/{comment_id}/activate/{key}", method="POST")
        opener.open(request, timeout=10).read()
        done.append(int(comment_id))
    return done


# -----------------------------------------------------------------------------
# Command line
# -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make kommentare",
        description="Startet einen echten Isso-Kommentarserver auf 127.0.0.1 für die Vorschau (make serve).",
    )
    parser.add_argument("--port", type=int, default=8010, help="Port (Standard: 8010)")
    parser.add_argument("--ordner", type=Path, default=CACHE, help="Ordner für Datenbank und Einstellungen (Standard: .cache/isso)")
    args = parser.parse_args(argv)
    if not ISSO_BIN.exists():
        print(f"Isso ist nicht installiert ({ISSO_BIN}). Bitte „make kommentare“ verwenden; es legt .venv-isso an.", file=sys.stderr)
        return 2
    server = IssoServer(args.ordner, hosts=site_hosts(), port=args.port)
    try:
        server.start()
    except RuntimeError as exc:
        print(f"Isso ließ sich nicht starten (Port {args.port} belegt?). Protokoll: {server.log}\n{exc}", file=sys.stderr)
        return 1
    print(f"Isso läuft unter {server.url} (Datenbank: {server.db}).")
    print("Vorschau in einem zweiten Terminal: make serve – offene Artikel zeigen dann echte Kommentare.")
    if os.environ.get("ISSO_ADMIN_PASSWORD"):
        print(f"Freigeben: {server.url}admin/ (Passwort aus ISSO_ADMIN_PASSWORD).")
    else:
        print("Zum Freigeben ISSO_ADMIN_PASSWORD setzen und neu starten; dann gibt es die Seite /admin/.")
    print("Beenden mit Strg+C.", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops Isso too
    try:
        while server.process and server.process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
