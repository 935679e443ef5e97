"""The comment-provider seam: every provider module carries everything the site
needs from it (templates, script, consent key, what its client stores), and the
shared consent script knows no provider (it reads what the pages list)."""

from __future__ import annotations

import re

import pytest

from kn.comment_providers import PROVIDERS, client_cookies, client_storage
from tools.localsite import ROOT

pytestmark = pytest.mark.unit

OVERRIDES = ROOT / "overrides"
ASSETS = ROOT / "docs" / "assets"
# The consent memory's key pattern (assets/kn-consent.js: CONSENT_KEY).
CONSENT_RE = re.compile(r"[a-z0-9]+")


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_provider_module_has_every_part(name):
    module = PROVIDERS[name]
    assert (OVERRIDES / module.TEMPLATE).is_file() and (OVERRIDES / module.DATENSCHUTZ).is_file()
    assert module.SCRIPT is None or (ASSETS.parent / module.SCRIPT).is_file()
    assert module.CONSENT is None or CONSENT_RE.fullmatch(module.CONSENT)
    # A provider that loads something asks first, and its box says under which key.
    if module.SCRIPT:
        assert module.CONSENT and 'data-kn-consent="{{ box.consent | e }}"' in (OVERRIDES / module.TEMPLATE).read_text(encoding="utf-8")
        assert module.SCRIPT in (OVERRIDES / module.TEMPLATE).read_text(encoding="utf-8")
    for key in (*module.CLIENT_STORAGE, *module.CLIENT_COOKIES):
        assert key and not re.search(r"\s", key)
    for pattern in module.CLIENT_COOKIES:
        re.compile(pattern)


def test_revoke_lists_what_every_provider_stores():
    storage, cookies = client_storage().split(), client_cookies().split()
    for module in PROVIDERS.values():
        assert set(module.CLIENT_STORAGE) <= set(storage)
        assert set(module.CLIENT_COOKIES) <= set(cookies)
    assert len(storage) == len(set(storage))


def test_consent_script_names_no_provider():
    script = (ASSETS / "kn-consent.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    for name in PROVIDERS:
        assert name not in code.lower(), name
