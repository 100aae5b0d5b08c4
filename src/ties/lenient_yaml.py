"""YAML as a person reads front matter: safe (no Python objects), an unknown tag (`!note`,
`!!python/object`) read as the plain value it tags, and a date that is no date (2024-13-45) kept
as the string it is, for the reader to drop with a warning."""
from __future__ import annotations

from functools import lru_cache

import yaml
from frontmatter.default_handlers import YAMLHandler


class LenientLoader(yaml.SafeLoader):
    pass


def _untagged(loader: LenientLoader, node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


def _timestamp_or_string(loader: LenientLoader, node: yaml.Node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


LenientLoader.add_constructor(None, _untagged)
LenientLoader.add_multi_constructor("", lambda loader, suffix, node: _untagged(loader, node))
LenientLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_string)


def load(text: str):
    return yaml.load(text, Loader=LenientLoader)


@lru_cache(maxsize=1)
def load_front_matter(head: str):
    """load(head), kept for the next call: a reader's sniff and its read parse the same front
    matter. The value is shared, so callers must not change it."""
    return load(head)


class LenientYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler with the lenient loader."""

    def load(self, fm: str, **kwargs: object):
        if fm.endswith("\n") and "|" not in fm and ">" not in fm:
            # Without a block scalar (| or >), the last line break changes no value: this is
            # the front matter the sniff has just parsed.
            return load_front_matter(fm[:-1])
        return load(fm)
