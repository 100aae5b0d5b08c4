"""Loads the knowledge files shipped under ties/data, merged with a user's own.

A user extends knowledge by dropping a YAML file with the same name into the folder named by
$TIES_KNOWLEDGE: its lists are appended to ours. Files are read once per process.
"""
from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from .errors import TiesError

ENV_VAR = "TIES_KNOWLEDGE"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster


def knowledge_sources(name: str) -> list:
    """The files that make up knowledge NAME: ours, then the user's if present."""
    sources = [resources.files("ties") / "data" / f"{name}.yaml"]
    extra_dir = os.environ.get(ENV_VAR)
    if extra_dir and (Path(extra_dir) / f"{name}.yaml").is_file():
        sources.append(Path(extra_dir) / f"{name}.yaml")
    return sources


@cache
def load(name: str) -> dict:
    """The merged content of data/NAME.yaml and $TIES_KNOWLEDGE/NAME.yaml."""
    base = _read(resources.files("ties") / "data" / f"{name}.yaml", name)
    extra_dir = os.environ.get(ENV_VAR)
    if extra_dir:
        extra = Path(extra_dir) / f"{name}.yaml"
        if extra.is_file():
            _merge(base, _read(extra, str(extra)))
    return base


def _read(path, label: str) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TiesError(f"knowledge file {label}: {exc}".splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise TiesError(f"knowledge file {label}: expected a mapping at the top level")
    return data


def _merge(base: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + [v for v in value if v not in base[key]]
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
