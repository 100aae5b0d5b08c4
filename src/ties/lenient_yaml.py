"""YAML as a person reads front matter: safe (no Python objects), an unknown tag (`!note`,
`!!python/object`) read as the plain value it tags, and a date that is no date (2024-13-45) kept
as the string it is, for the reader to drop with a warning."""
from __future__ import annotations

import re
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
    simple = _simple_mapping(head)
    return load(head) if simple is None else simple


# Most front matter is `key: value` lines. Those are split here, and only the YAML scanner's work
# is skipped: each scalar is resolved (dates, numbers, booleans) and the mapping constructed by
# the loader itself, exactly as a full parse would. Anything else goes to the full parser.
_PRINTABLE = re.compile(r"[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_KEY_LINE = re.compile(r"""([A-Za-z_][A-Za-z0-9_]{0,63}): (?:"([^"\\]*)"|'([^']*)'|([^-?:,\[\]{}#&*!|>'"%@`\s].*))""")
_NOT_PLAIN = re.compile(r": | #|:$|\s$")  # a plain value with these needs the full parser
_PLAIN, _QUOTED = (True, False), (False, True)


def _simple_mapping(head: str) -> dict | None:
    if not _PRINTABLE.fullmatch(head):
        return None
    lines = []
    for line in head.split("\n"):
        if not line.strip(" "):
            continue
        m = _KEY_LINE.fullmatch(line)
        if m is None or m[4] is not None and _NOT_PLAIN.search(m[4]):
            return None
        lines.append(m)
    if not lines:
        return None
    loader = LenientLoader("")
    try:
        pairs = [(_scalar(loader, m[1], _PLAIN), _scalar(loader, *_value(m))) for m in lines]
        return loader.construct_document(yaml.MappingNode("tag:yaml.org,2002:map", pairs))
    finally:
        loader.dispose()


def _value(m: re.Match) -> tuple[str, tuple[bool, bool]]:
    if m[4] is not None:
        return m[4], _PLAIN
    return (m[2] if m[2] is not None else m[3]), _QUOTED


def _scalar(loader: LenientLoader, value: str, implicit: tuple[bool, bool]) -> yaml.ScalarNode:
    return yaml.ScalarNode(loader.resolve(yaml.ScalarNode, value, implicit), value)


class LenientYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler with the lenient loader."""

    def load(self, fm: str, **kwargs: object):
        if fm.endswith("\n") and "|" not in fm and ">" not in fm:
            # Without a block scalar (| or >), the last line break changes no value: this is
            # the front matter the sniff has just parsed.
            return load_front_matter(fm[:-1])
        return load(fm)
