"""Server-drawn charts people can read: timeline year labels never overlap, one event is one thin
bar, every bar tells its month and count on hover."""
import re

import pytest

from ties.web.charts import LABEL_PX, timeline_svg


def _labels(svg: str) -> list[tuple[float, str]]:
    return [(float(x), t) for x, t in re.findall(r'<text x="([\d.]+)" y="\d+" class="axis">(\d{4})</text>', svg)]


@pytest.mark.parametrize("first,last", [(2024, 2024), (2016, 2019), (1999, 2026), (1900, 2026)])
def test_year_labels_never_overlap(first, last):
    svg = str(timeline_svg({f"{first}-11": 1, f"{last}-02": 2}))
    labels = _labels(svg)
    assert labels and labels[0][1] == str(first)
    assert all(b[0] - a[0] >= LABEL_PX for a, b in zip(labels, labels[1:]))


def test_one_event_is_a_thin_short_bar_with_its_count_on_hover():
    svg = str(timeline_svg({"2025-05": 1}, width=900, height=160))
    width, height = map(float, re.search(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"', svg).groups())
    assert width < 900 / 10 and height < 160 / 2
    assert "<title>2025-05: 1</title>" in svg


def test_no_dates_says_so():
    assert "No dated engagements" in str(timeline_svg({}))


def test_map_legend_names_the_leading_partners_in_chinese():
    from ties.web.charts import world_map_svg
    svg = str(world_map_svg({"JP": 9, "US": 4, "EU": 1}))
    legend = svg[svg.index('<g class="legend">'):]
    assert "日本 JP · 9" in legend and "美國 US · 4" in legend and "歐盟 EU · 1" in legend
    assert 'href="/partners/JP"' in legend


def test_graph_labels_do_not_collide():
    from ties.web.charts import graph_svg
    nodes = [{"id": i, "name": f"參與者{i}號", "kind": "person", "country": "TW", "weight": 10 - i % 10} for i in range(40)]
    links = [{"source": i, "target": (i + 1) % 40, "weight": 1} for i in range(40)]
    svg = str(graph_svg({"nodes": nodes, "links": links}))
    found = re.findall(r'<text x="(-?\d+)" y="(\d+)" class="major" text-anchor="(start|end)">([^<]+)</text>', svg)
    boxes = [(float(x) - (11 * len(t) if a == "end" else 0), float(y), t) for x, y, a, t in found]
    assert boxes and len(boxes) < 40 and svg.count('class="minor"') == 40 - len(boxes)
    for i, (x1, y1, t1) in enumerate(boxes):
        for x2, y2, t2 in boxes[i + 1:]:
            assert abs(y1 - y2) >= 11 or x1 + 11 * len(t1) <= x2 + 1 or x2 + 11 * len(t2) <= x1 + 1
