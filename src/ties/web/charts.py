"""Charts drawn on the server as SVG: a timeline, a world map, a participant graph. No JavaScript
library and no CDN: pages work offline and behind firewalls. Every label is escaped."""
from __future__ import annotations

import json
import math
import random
from functools import cache, lru_cache
from importlib import resources

from markupsafe import Markup, escape

from ..knowledge import load
from ..store.queries import country_name


YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)
LABEL_PX = 34  # room for a year label at 11px


def timeline_svg(counts: dict[str, int], width: int = 900, height: int = 160) -> Markup:
    """Bars per month over whole years (one event is one thin bar, not the whole chart), year ticks
    spaced so their labels never overlap, the count of each month on hover."""
    if not counts:
        return Markup('<p class="empty">沒有可繪製的日期 No dated engagements</p>')
    first, last = int(min(counts)[:4]), int(max(counts)[:4])
    months = _month_range(f"{first}-01", f"{last}-12")
    top = max(max(counts.values()), 3)  # a single event stays a short bar
    left, plot = 30, height - 40
    bar = (width - left - 10) / len(months)
    step = next((s for s in YEAR_STEPS if s * 12 * bar >= LABEL_PX), YEAR_STEPS[-1])
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" aria-label="timeline">',
             f'<line class="grid" x1="{left}" y1="20" x2="{width - 10}" y2="20"/>',
             f'<text x="{left - 4}" y="24" class="axis" text-anchor="end">{top}</text>']
    for i, month in enumerate(months):
        x = left + i * bar
        if n := counts.get(month, 0):
            h = plot * n / top
            parts.append(f'<rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}">'
                         f'<title>{escape(month)}: {n}</title></rect>')
        year = int(month[:4])
        if month.endswith("-01") and (year - first) % step == 0:
            parts.append(f'<line class="tick" x1="{x:.1f}" y1="{height - 20}" x2="{x:.1f}" y2="{height - 15}"/>'
                         f'<text x="{x + 1:.1f}" y="{height - 4}" class="axis">{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    months = []
    while (y, m) <= (int(last[:4]), int(last[5:7])):
        months.append(f"{y}-{m:02d}")
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return months


@cache
def _world_paths() -> list[tuple[str, str, str]]:
    """(alpha-2, country name, SVG path) for every country of world-atlas 110m (ISC licence),
    in an equirectangular projection of 960 × 480."""
    topo = json.loads((resources.files("ties") / "web" / "static" / "vendor" / "world-atlas" / "countries-110m.json")
                      .read_text(encoding="utf-8"))
    numeric = load("iso_numeric").get("numeric_to_alpha2", {})
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * scale[0] + translate[0], y * scale[1] + translate[1]
            points.append(((lon + 180) * 960 / 360, (90 - lat) * 480 / 180))
        arcs.append(points)

    def ring(indices):
        pts = []
        for i in indices:
            seg = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            pts.extend(seg if not pts else seg[1:])
        path, previous = [], None
        for px, py in pts:
            # a jump across the map is the antimeridian (Russia, Fiji): move, don't draw a line
            command = "M" if previous is None or abs(px - previous) > 480 else "L"
            path.append(f"{command}{px:.1f},{py:.1f}")
            previous = px
        return "".join(path) + "Z"

    out = []
    for geo in topo["objects"]["countries"]["geometries"]:
        polys = geo.get("arcs") or []
        if geo["type"] == "Polygon":
            polys = [polys]
        d = "".join(ring(r) for poly in polys for r in poly)
        out.append((numeric.get(geo.get("id"), ""), geo.get("properties", {}).get("name", ""), d))
    return out


def world_map_svg(counts: dict[str, int], link: str = "/partners/{code}") -> Markup:
    """Countries shaded by engagement count; partners link to their page. The EU has no shape:
    it is listed beside the map."""
    top = max(counts.values()) if counts else 1
    parts = ['<svg class="worldmap" viewBox="0 0 960 480" role="img" aria-label="world map">']
    for code, name, d in _world_paths():
        n = counts.get(code, 0)
        shade = _shade(n, top) if n else "#e8e8e8"
        label = f"{escape(country_name(code))} {escape(name)} {escape(code)}: {n}"
        path = f'<path d="{d}" fill="{shade}" class="{"partner" if n else "land"}"><title>{label}</title></path>'
        if n:
            path = f'<a href="{escape(link.format(code=code))}">{path}</a>'
        if code == "TW":
            path = f'<path d="{d}" class="home"><title>台灣 Taiwan</title></path>'
        parts.append(path)
    parts.append(_map_legend(counts, top, link))
    parts.append("</svg>")
    return Markup("".join(parts))


def _shade(n: int, top: int) -> str:
    return f"hsl(205, 70%, {85 - 50 * math.sqrt(n / top):.0f}%)"


def _map_legend(counts: dict[str, int], top: int, link: str, shown: int = 8) -> str:
    """Lower left, over the South Pacific: the shading scale, then the leading partners by name."""
    if not counts:
        return ""
    steps = sorted({1, max(1, top // 4), max(1, top // 2), top})
    leaders = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:shown]
    y = 480 - 24 - 14 * len(leaders)
    parts = [f'<g class="legend"><rect class="legend-box" x="6" y="{y - 30}" width="170" height="{480 - y + 24}"/>',
             f'<text x="12" y="{y - 16}">交流次數 Engagements</text>']
    for i, n in enumerate(steps):
        parts.append(f'<rect x="{12 + i * 38}" y="{y - 10}" width="14" height="10" fill="{_shade(n, top)}"/>'
                     f'<text x="{29 + i * 38}" y="{y - 1}">{n}</text>')
    for i, (code, n) in enumerate(leaders):
        row = y + 14 + 14 * i
        name = f"{escape(country_name(code))} {escape(code)} · {n}"
        parts.append(f'<a href="{escape(link.format(code=code))}"><rect x="12" y="{row - 9}" width="10" height="10" '
                     f'fill="{_shade(n, top)}"/><text x="27" y="{row}">{name}</text></a>')
    return "".join(parts) + "</g>"


def graph_svg(graph: dict, width: int = 900, height: int = 600, link: str = "/{kind}s/{id}") -> Markup:
    """A spring layout (Fruchterman–Reingold, fixed seed) computed here and drawn as SVG."""
    nodes, links = graph["nodes"], graph["links"]
    if not nodes:
        return Markup('<p class="empty">沒有參與者 No participants yet</p>')
    pos = _layout(tuple(n["id"] for n in nodes), tuple((l["source"], l["target"]) for l in links), width, height)
    parts = [f'<svg class="graph" viewBox="0 0 {width} {height}" role="img" aria-label="participant graph">']
    for l in links:
        (x1, y1), (x2, y2) = pos[l["source"]], pos[l["target"]]
        parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     f'stroke-width="{min(1 + l["weight"], 6)}"/>')
    labelled = _label_room(nodes, pos, width)
    for n in nodes:
        x, y = pos[n["id"]]
        cls = "tw" if n["country"] == "TW" else "foreign"
        kind = "person" if n["kind"] == "person" else "organization"
        href = escape(link.format(kind=kind, id=n["id"]))
        anchor = labelled.get(n["id"], "start")
        text = f'class="major" text-anchor="{anchor}"' if n["id"] in labelled else 'class="minor"'
        parts.append(f'<a href="{href}"><circle cx="{x:.0f}" cy="{y:.0f}" r="{4 + min(n["weight"], 10)}" class="{cls}">'
                     f'<title>{escape(n["name"])}</title></circle>'
                     f'<text x="{x + 8 if anchor == "start" else x - 8:.0f}" y="{y + 4:.0f}" {text}>'
                     f'{escape(n["name"])}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _label_room(nodes: list[dict], pos: dict, width: int, size: float = 11) -> dict[int, str]:
    """Where each drawn label goes ("start": right of its node, "end": left), heaviest nodes first,
    only where it overlaps no label already placed and no other node; the rest show on hover."""
    def overlaps(box, other):
        return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
    circles = {i: (x - 6, y - 6, x + 6, y + 6) for i, (x, y) in ((n["id"], pos[n["id"]]) for n in nodes)}
    labels, placed = [], {}
    for n in sorted(nodes, key=lambda n: -n["weight"]):
        x, y = pos[n["id"]]
        wide = size * _text_width(n["name"])
        for anchor, left in (("start", x + 8), ("end", x - 8 - wide)):
            box = (left, y - size + 4, left + wide, y + 4)
            if 0 <= left and left + wide <= width and not any(overlaps(box, b) for b in labels) and \
                    not any(overlaps(box, c) for i, c in circles.items() if i != n["id"]):
                labels.append(box)
                placed[n["id"]] = anchor
                break
    return placed


def _text_width(text: str) -> float:
    """Width in ems: a Han character is one em, Latin letters about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


@lru_cache(maxsize=16)  # the graph changes only when the database does: reloads reuse the layout
def _layout(ids: tuple[int, ...], edges: tuple[tuple[int, int], ...], width: int,
            height: int) -> dict[int, tuple[float, float]]:
    """Fruchterman–Reingold in an unbounded plane with a pull toward the centre (separate groups
    stay close), then scaled to fit the canvas."""
    rng = random.Random(1)
    pos = {i: [rng.uniform(-1, 1), rng.uniform(-1, 1)] for i in ids}
    k = 3 / math.sqrt(max(1, len(ids)))  # the ideal edge length: larger spreads groups apart
    temperature = 0.1
    for _ in range(200):
        disp = {i: [-pos[i][0] * 0.05, -pos[i][1] * 0.05] for i in ids}
        for n, a in enumerate(ids):
            for b in ids[n + 1:]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                dist = max(math.hypot(dx, dy), 1e-3)
                force = k * k / dist
                disp[a][0] += dx / dist * force
                disp[a][1] += dy / dist * force
                disp[b][0] -= dx / dist * force
                disp[b][1] -= dy / dist * force
        for a, b in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 1e-3)
            force = dist * dist / k
            disp[a][0] -= dx / dist * force
            disp[a][1] -= dy / dist * force
            disp[b][0] += dx / dist * force
            disp[b][1] += dy / dist * force
        for i in ids:
            dx, dy = disp[i]
            dist = max(math.hypot(dx, dy), 1e-9)
            step = min(dist, temperature)
            pos[i][0] += dx / dist * step
            pos[i][1] += dy / dist * step
        temperature *= 0.98
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span_x, span_y = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    margin_x, margin_y = 30, 25
    return {i: (margin_x + (p[0] - min(xs)) / span_x * (width - 2 * margin_x - 80),
                margin_y + (p[1] - min(ys)) / span_y * (height - 2 * margin_y)) for i, p in pos.items()}
