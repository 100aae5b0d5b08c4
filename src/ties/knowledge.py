"""Loads the knowledge files shipped under ties/data, merged with a user's own.

A user extends knowledge by dropping a YAML file with the same name into the folder named by
$TIES_KNOWLEDGE: its lists are appended to ours. Files are read once per process and checked
against their declarations (`knowledge_schema.py`): a misspelt key in a file, or a key that code
asks for but no file declares, is a one-line error.
"""
from __future__ import annotations

import os
from functools import cache, partial
from importlib import resources
from pathlib import Path

import re

import yaml

from . import knowledge_schema
from .diskcache import cached
from .errors import KnowledgeError
from .knowledge_schema import SCHEMAS, SchemaError

ENV_VAR = "TIES_KNOWLEDGE"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster


def knowledge_sources(name: str) -> list:
    """The files that make up knowledge NAME: ours, then the user's if present."""
    sources = [resources.files("ties") / "data" / f"{name}.yaml"]
    extra_dir = os.environ.get(ENV_VAR)
    if extra_dir and (Path(extra_dir) / f"{name}.yaml").is_file():
        sources.append(Path(extra_dir) / f"{name}.yaml")
    return sources


class Knowledge(dict):
    """One knowledge file's content. Asking for a key its declaration does not have is an error,
    so a typo in code cannot silently read an empty list either."""

    def __init__(self, name: str, data: dict):
        super().__init__(data)
        self.name = name
        self.declared = SCHEMAS[name].keys()

    def _known(self, key: str) -> None:
        if key not in self.declared:
            raise KnowledgeError(f"knowledge file {self.name}.yaml declares no key {key!r}")

    def get(self, key, default=None):
        self._known(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._known(key)
        return super().__getitem__(key)


@cache
def load(name: str) -> Knowledge:
    """The merged content of data/NAME.yaml and $TIES_KNOWLEDGE/NAME.yaml, checked (and kept on
    disk once checked: each worker of a run would parse and check every file again)."""
    if name not in SCHEMAS:
        raise KnowledgeError(f"no knowledge file named {name!r}")
    code = [Path(__file__), Path(knowledge_schema.__file__)]  # how files are merged and checked
    return cached(f"knowledge-{name}", code + knowledge_sources(name), partial(_load, name))


def _load(name: str) -> Knowledge:
    base = _read(resources.files("ties") / "data" / f"{name}.yaml", f"{name}.yaml")
    _check(base, name, f"{name}.yaml", partial=False)
    extra_dir = os.environ.get(ENV_VAR)
    if extra_dir:
        extra = Path(extra_dir) / f"{name}.yaml"
        if extra.is_file():
            data = _read(extra, str(extra))
            _check(data, name, str(extra), partial=True)
            _merge(base, data)
    return Knowledge(name, base)


def _check(data: dict, name: str, label: str, partial: bool) -> None:
    """A user's file may hold only some of the keys (partial), never unknown ones."""
    schema = SCHEMAS[name]
    try:
        if partial:
            declared = schema.keys()
            for key, value in data.items():
                if key not in declared:
                    raise SchemaError(f"unknown key {key!r} (known: {', '.join(sorted(declared))})")
                declared[key][0].check(value, key)
        else:
            schema.check(data, "top level")
    except SchemaError as exc:
        raise KnowledgeError(f"knowledge file {label}: {exc}") from None


def alternation(words, what: str) -> str:
    """A regex alternative of WORDS, longest first. An empty list is an error: an empty
    alternative would match everywhere and silently change every rule built on it."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        raise KnowledgeError(f"knowledge: no words for {what}")
    return "|".join(map(re.escape, words))


def _read(path, label: str) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"knowledge file {label}: {exc}".splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"knowledge file {label}: expected a mapping at the top level")
    return data


def _merge(base: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + [v for v in value if v not in base[key]]
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
