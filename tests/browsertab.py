"""One browser page for many tests.

A new page costs Chromium a renderer process and a cold first page load: about
as much as three loads in a page that is already open. So the tests of a test
process share one page per set of context options (`Tabs`, the fixture `tabs`
in tests/conftest.py), and before each test it is put back into the state of
a page in a new context: no document and no other page, nothing stored for any
site it has talked to (cookies, localStorage, sessionStorage, IndexedDB, the
HTTP cache), no permissions, online, no routes, no init scripts and no event
handlers of earlier tests, the context's viewport and media.
tests/test_browsertab.py compares the result with a real new context.
"""

from __future__ import annotations

import urllib.parse

# What a test may add to a page or to its context and the reset takes away again.
_ADDS = ("add_init_script", "on", "once")
# Media features, and the viewport: the same on a page (emulate_media,
# set_viewport_size) as in its context's options, so a tab is kept for each set
# of the other options only, and these are set on its page for each test.
MEDIA_FEATURES = ("color_scheme", "reduced_motion", "forced_colors", "contrast")
EMULATED = ("viewport", *MEDIA_FEATURES)


def origin_of(url: str) -> str | None:
    """The origin whose storage a request may have touched (file: pages share one)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        return "file://"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


class Tab:
    """A page in a context of its own (`options`: Playwright's context options),
    handed to one test after another by `fresh()`."""

    def __init__(self, browser, **options) -> None:
        self.browser = browser
        self.options = options
        self.page = None

    # -- opening ---------------------------------------------------------------

    def _open(self) -> None:
        self.context = self.browser.new_context(**self.options)
        self.page = self.context.new_page()
        self.viewport = self.page.viewport_size
        self.cdp = self.context.new_cdp_session(self.page)
        self.origins: set[str] = set()
        self._added: list = []  # (remove, argument) for every handler and init script of a test
        # The reset's own handler: every site the page talked to (storage to clear).
        self.context.on("request", self._seen)
        for target in (self.page, self.context):
            for name in _ADDS:
                setattr(target, name, self._tracked(target, name))

    def _seen(self, request) -> None:
        origin = origin_of(request.url)
        if origin:
            self.origins.add(origin)

    def _tracked(self, target, name):
        original = getattr(type(target), name).__get__(target)

        def add(*args, **kwargs):
            result = original(*args, **kwargs)
            if name == "add_init_script":
                self._added.append((lambda disposable: disposable.close(), result))
            else:
                event, handler = args[0] if args else kwargs["event"], args[1] if len(args) > 1 else kwargs["f"]
                self._added.append((lambda pair, target=target: target.remove_listener(*pair), (event, handler)))
            return result

        return add

    # -- handing out -----------------------------------------------------------

    def fresh(self, **emulated):
        """The page, as a new context's would be (with `emulated`: a viewport and
        media features, EMULATED); each test then loads its own URL."""
        if self.page is not None and self.page.is_closed():
            self.close()
        if self.page is None:
            self._open()
            return self._emulate(**emulated)
        page, context = self.page, self.context
        for other in context.pages:
            if other is not page:
                other.close()  # a popup, a second page of the last test
        while self._added:
            remove, argument = self._added.pop()
            remove(argument)
        page.unroute_all(behavior="ignoreErrors")
        context.unroute_all(behavior="ignoreErrors")
        page.goto("about:blank")  # the last test's document stops here (its timers, its requests)
        context.set_offline(False)
        context.clear_cookies()
        context.clear_permissions()
        for origin in sorted(self.origins):
            self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self.origins.clear()
        self.cdp.send("Network.clearBrowserCache")
        page.mouse.move(0, 0)
        return self._emulate(**emulated)

    def _emulate(self, viewport=None, **media):
        page = self.page
        page.emulate_media(media="null", **{name: media.get(name, "null") for name in MEDIA_FEATURES})
        if page.viewport_size != (viewport or self.viewport):
            page.set_viewport_size(viewport or self.viewport)
        return page

    def close(self) -> None:
        if self.page is not None:
            self.context.close()
            self.page = None


class Tabs:
    """A tab for each set of context options asked for (`page(**options)`),
    but for those in EMULATED."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self._tabs: dict[tuple, Tab] = {}

    def page(self, **options):
        """A page as in `browser.new_context(**options).new_page()`."""
        emulated = {name: options.pop(name) for name in EMULATED if name in options}
        key = tuple(sorted((name, repr(value)) for name, value in options.items()))
        if key not in self._tabs:
            self._tabs[key] = Tab(self.browser, **options)
        return self._tabs[key].fresh(**emulated)

    def close(self) -> None:
        for tab in self._tabs.values():
            tab.close()
