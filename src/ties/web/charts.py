"""Charts drawn on the server as SVG: a timeline, a world map, a participant graph. No JavaScript
library and no CDN: pages work offline and behind firewalls. Every label is escaped."""
from __future__ import annotations

import json
import math
import random
from functools import cache
from importlib import resources

from markupsafe import Markup, escape

from ..knowledge import load


def timeline_svg(counts: dict[str, int], width: int = 900, height: int = 160) -> Markup:
    """Bars per month, labelled by year."""
    if not counts:
        return Markup('<p class="empty">沒有可繪製的日期 No dated engagements</p>')
    months = _month_range(min(counts), max(counts))
    top = max(counts.values())
    bar = max(1.0, (width - 40) / len(months))
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" aria-label="timeline">']
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        h = (height - 40) * n / top
        x = 30 + i * bar
        if n:
            parts.append(f'<rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}">'
                         f'<title>{escape(month)}: {n}</title></rect>')
        if month.endswith("-01") or i == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 4}" class="axis">{escape(month[:4])}</text>')
    parts.append(f'<text x="0" y="14" class="axis">{top}</text></svg>')
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
        shade = f"hsl(205, 70%, {85 - 50 * math.sqrt(n / top):.0f}%)" if n else "#e8e8e8"
        label = f"{escape(name)} {escape(code)}: {n}"
        path = f'<path d="{d}" fill="{shade}" class="{"partner" if n else "land"}"><title>{label}</title></path>'
        if n:
            path = f'<a href="{escape(link.format(code=code))}">{path}</a>'
        if code == "TW":
            path = f'<path d="{d}" class="home"><title>台灣 Taiwan</title></path>'
        parts.append(path)
    parts.append("</svg>")
    return Markup("".join(parts))


def graph_svg(graph: dict, width: int = 900, height: int = 600, link: str = "/{kind}s/{id}") -> Markup:
    """A spring layout (Fruchterman–Reingold, fixed seed) computed here and drawn as SVG."""
    nodes, links = graph["nodes"], graph["links"]
    if not nodes:
        return Markup('<p class="empty">沒有參與者 No participants yet</p>')
    pos = _layout([n["id"] for n in nodes], [(l["source"], l["target"]) for l in links], width, height)
    parts = [f'<svg class="graph" viewBox="0 0 {width} {height}" role="img" aria-label="participant graph">']
    for l in links:
        (x1, y1), (x2, y2) = pos[l["source"]], pos[l["target"]]
        parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     f'stroke-width="{min(1 + l["weight"], 6)}"/>')
    for n in nodes:
        x, y = pos[n["id"]]
        cls = "tw" if n["country"] == "TW" else "foreign"
        kind = "person" if n["kind"] == "person" else "organization"
        href = escape(link.format(kind=kind, id=n["id"]))
        parts.append(f'<a href="{href}"><circle cx="{x:.0f}" cy="{y:.0f}" r="{4 + min(n["weight"], 10)}" class="{cls}">'
                     f'<title>{escape(n["name"])}</title></circle>'
                     f'<text x="{x + 8:.0f}" y="{y + 4:.0f}">{escape(n["name"])}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _layout(ids: list[int], edges: list[tuple[int, int]], width: int, height: int) -> dict[int, tuple[float, float]]:
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
