"""The one way we read YAML and front matter: the build, the tools and the
importer all load YAML with `Loader` (or `load`), and find front matter with
`FRONT_MATTER_RE`.

Rules kept here: the C parser (libyaml) when PyYAML has it, as MkDocs uses
(about five times faster); the safe constructors only; dates stay text, so
that kn/schema.py checks them itself (PyYAML would raise a bare ValueError for
2026-13-45). The limits (size, depth, aliases, duplicate keys, control
characters) are checked on the event stream before anything is loaded:
kn/limits.py `yaml_problems`, which parses with this `Loader` too.

Imports nothing of `kn`: every module may use it.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import yaml

# Front matter: YAML between a first line '---' and a line '---' (or '...').
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps dates as text, so that we validate them ourselves."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ConfigLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """mkdocs.yml for tools that read a few settings, with its values as MkDocs
    reads them (dates are dates); its tags (!ENV, !!python/name:…) are read as
    nothing instead of run."""


ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load(text: str) -> Any:
    """The data of a YAML text (raises yaml.YAMLError)."""
    return yaml.load(text, Loader=Loader)


def load_config(text: str) -> Any:
    """The data of mkdocs.yml, its tags read as nothing (raises yaml.YAMLError)."""
    return yaml.load(text, Loader=ConfigLoader)


def events(text: str) -> Iterator[yaml.Event]:
    """The parser's events of a YAML text, one by one, before any value is
    built (kn/limits.py checks them; raises yaml.YAMLError)."""
    return yaml.parse(text, Loader=Loader)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text, with the line of every node (raises yaml.YAMLError)."""
    return yaml.compose(text, Loader=Loader)
