"""A partner brief as Markdown: what an analyst pastes into a report. Dated, oldest first, with
outcomes, named agreements and footnoted sources (the HTML page shows the same data)."""
from __future__ import annotations


def brief_markdown(brief: dict) -> str:
    period = " ".join(filter(None, [f"from {brief['since']}" if brief["since"] else "",
                                    f"until {brief['until']}" if brief["until"] else ""]))
    lines = [f"# 臺灣—{brief['name']}交流簡報 Taiwan–{brief['country']} engagements brief", "",
             f"{len(brief['events'])} engagements{' ' + period if period else ''}, "
             f"{len(brief['notes'])} sources.", ""]
    for event in brief["events"]:
        marks = "".join(f"[^{n}]" for n in event["notes"])
        lines.append(f"## {event['date'] or '日期不明 undated'} · {event['type']}")
        lines.append(f"{event['summary']}.{marks}")
        named = [f"「{i['name']}」" for i in event["initiatives"]]
        if named:
            lines.append(f"- Named initiatives: {'、'.join(named)}")
        for outcome in event["outcome_texts"]:
            lines.append(f"- Outcome: {outcome}")
        if event["topics"]:
            lines.append(f"- Topics: {', '.join(event['topics'])}")
        lines.append("")
    for note in brief["notes"]:
        where = ", ".join(filter(None, [note["site"], note["published"], note["url"]]))
        lines.append(f"[^{note['number']}]: {note['title'] or '無標題 untitled'}{', ' + where if where else ''}")
    return "\n".join(lines).rstrip() + "\n"
