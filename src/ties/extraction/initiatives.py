"""Named initiatives (agreements, programmes, platforms: 「臺日數位貿易協議」, 國際松) and figures
(`逾30國的60件作品`, `116萬人次`)."""
from __future__ import annotations

import re
from functools import cache

from ..knowledge import alternation, load
from ..model import Figure, Initiative, Span

QUOTED = re.compile(r"[「《『]([^「」《》『』]{2,40})[」》』]")


@cache
def _figure_rules() -> tuple[re.Pattern, dict[str, float]]:
    """The figure pattern from names.yaml (qualifier, number, multiplier, unit) and the multipliers.
    The lookahead names the possible first characters (a qualifier's or a digit), so the engine
    skips other positions fast."""
    data = load("names")
    qualifiers, multipliers = data["figure_qualifiers"], data["figure_multipliers"]
    firsts = "".join(sorted({q[0] for q in qualifiers}))
    pattern = re.compile(
        rf"(?=[{re.escape(firsts)}\d])(?P<q>{alternation(qualifiers, 'figure qualifiers')})?"
        rf"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<m>{alternation(multipliers, 'figure multipliers')})?\s*"
        rf"(?P<u>{alternation(data['figure_units'], 'figure units')})")
    return pattern, {k: float(v) for k, v in multipliers.items()}


@cache
def _kinds() -> list[tuple[str, str]]:
    data = load("names").get("initiative_suffixes", {}) or {}
    return sorted(((suffix, kind) for kind, suffixes in data.items() for suffix in suffixes), key=lambda x: -len(x[0]))


def find_initiatives(text: str) -> list[Initiative]:
    found: dict[str, Initiative] = {}
    for m in QUOTED.finditer(text):
        name = m.group(1).strip()
        kind = next((k for suffix, k in _kinds() if name.endswith(suffix) or suffix in name), None)
        if kind:
            found.setdefault(name, Initiative(name, kind)).spans.append(Span(m.start(1), m.end(1)))
    return list(found.values())


def find_figures(text: str) -> list[Figure]:
    out = []
    pattern, multiplier = _figure_rules()
    for m in pattern.finditer(text):
        try:
            value = float(m["n"].replace(",", "")) * multiplier.get(m["m"] or "", 1)
        except ValueError:
            value = None
        out.append(Figure(m.group(), value, m["u"], Span(m.start(), m.end())))
    return out
