"""Fetch the pictures of the old blog (`--bilder-laden`): only from allowed
hosts (the blog's own, `*.files.wordpress.com`, hosts named with
`--bilder-hosts`), only http(s), redirects only to allowed hosts, with a time-out,
a size limit, and only PNG, JPEG, GIF or WebP by their content. Every refusal
is a German reason for the report; nothing raises."""

from __future__ import annotations

import hashlib
import http.client
import socket
import ssl
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .media import IMAGE_TYPES, content_type

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

HOST_SUFFIXES = (".files.wordpress.com",)  # WordPress.com keeps every upload there
MAX_BYTES = 10_000_000  # one picture
MAX_FILES = 5_000  # pictures of one import
TIMEOUT = 10.0  # seconds per connection step and per picture in total
MAX_REDIRECTS = 3
USER_AGENT = "kn-importer/1 (Umzug eines Blogs)"

# -----------------------------------------------------------------------------
# Fetcher
# -----------------------------------------------------------------------------


@dataclass
class Fetcher:
    hosts: set[str]  # allowed host names (lower case)
    connect_to: dict[str, str] = field(default_factory=dict)  # host -> "127.0.0.1:port" (tests, like curl --connect-to)
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    folder: Path | None = None
    results: dict[str, tuple[Path | None, str]] = field(default_factory=dict)  # url -> (file, ext or reason)
    _temp: tempfile.TemporaryDirectory | None = None

    def allowed(self, url: str) -> bool:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        return parts.scheme in ("http", "https") and bool(host) and (
            host in self.hosts or host.endswith(HOST_SUFFIXES))

    def get(self, url: str) -> tuple[Path | None, str]:
        """(file, '.png') for a fetched picture, or (None, German reason)."""
        url = url.strip().split("#", 1)[0]
        if url not in self.results:
            if len(self.results) >= MAX_FILES:
                return None, f"mehr als {MAX_FILES} Bilder; nicht mehr geladen"
            self.results[url] = self._fetch(url)
        return self.results[url]

    def close(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    # --- internals -------------------------------------------------------------

    def _fetch(self, url: str) -> tuple[Path | None, str]:
        deadline = time.monotonic() + self.timeout
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed(current):
                return None, f"Server von „{current[:80]}“ ist nicht freigegeben"
            try:
                status, location, data = self._request(current, deadline)
            except TimeoutError:
                return None, "Zeitüberschreitung"
            except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as exc:
                return None, f"nicht erreichbar ({type(exc).__name__})"
            if status in (301, 302, 303, 307, 308) and location:
                current = urljoin(current, location)
                continue
            if status != 200:
                return None, f"Antwort {status}"
            if data is None:
                return None, f"größer als {self.max_bytes // 1_000_000} MB"
            ext = content_type(data[:16])
            if ext not in IMAGE_TYPES:
                return None, "kein Bild (PNG, JPEG, GIF oder WebP) laut Inhalt"
            return self._store(url, data, ext), ext
        return None, "zu viele Weiterleitungen"

    def _request(self, url: str, deadline: float) -> tuple[int, str, bytes | None]:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        target = self.connect_to.get(host)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if target:
            address, port = target.rsplit(":", 1)
            conn: http.client.HTTPConnection = http.client.HTTPConnection(address, int(port), timeout=self.timeout)
        elif parts.scheme == "https":
            conn = http.client.HTTPSConnection(host, parts.port or 443, timeout=self.timeout,
                                               context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(host, parts.port or 80, timeout=self.timeout)
        try:
            conn.request("GET", path, headers={"Host": parts.netloc, "User-Agent": USER_AGENT, "Accept": "image/*"})
            response = conn.getresponse()
            if response.status != 200:
                return response.status, response.getheader("Location") or "", b""
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                return 200, "", None
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    return 200, "", None
                chunks.append(chunk)
            return 200, "", b"".join(chunks)
        except socket.timeout as exc:
            raise TimeoutError from exc
        finally:
            conn.close()

    def _store(self, url: str, data: bytes, ext: str) -> Path:
        if self.folder is None:
            self._temp = tempfile.TemporaryDirectory(prefix="kn-bilder-")
            self.folder = Path(self._temp.name)
        path = self.folder / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ext)
        path.write_bytes(data)
        return path
