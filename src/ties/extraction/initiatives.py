"""Named initiatives (agreements, programmes, platforms: 「臺日數位貿易協議」, 國際松) and figures
(`逾30國的60件作品`, `116萬人次`)."""
from __future__ import annotations

import re
from functools import cache

from ..knowledge import load
from ..model import Figure, Initiative, Span

QUOTED = re.compile(r"[「《『]([^「」《》『』]{2,40})[」》』]")
# the lookahead names the possible first characters (a qualifier's or a digit): the engine skips
# other positions fast
FIGURE = re.compile(r"(?=[逾約近超達共累\d])(?P<q>逾|約|近|超過|達|共|累計)?(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<m>萬|億|千|百)?\s*"
                    r"(?P<u>人次|人|國|位|件|家|縣市|億元|萬元|元|美元|歐元|日圓|公噸|噸|%|個|項|座|支|隊|所|場|架|台)")
MULTIPLIER = {"萬": 1e4, "億": 1e8, "千": 1e3, "百": 1e2}


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
    for m in FIGURE.finditer(text):
        try:
            value = float(m["n"].replace(",", "")) * MULTIPLIER.get(m["m"] or "", 1)
        except ValueError:
            value = None
        out.append(Figure(m.group(), value, m["u"], Span(m.start(), m.end())))
    return out
