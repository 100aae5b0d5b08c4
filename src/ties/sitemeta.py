"""Document metadata shared by the readers: site from a URL, headline from a page title,
publication date and source URL from `label: value` lines."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .clean.chrome import URL, rules
from .dates import DATE_LINE_MAX_CHARS, cna_edit_code, dateline_date, find_full_dates, to_taipei_date, url_date, url_month

TITLE_SEPARATORS = re.compile(r"\s+[|｜\-–—_:：/]\s+|[|｜]|\s*[_–—]{1,2}\s*")


def site_from_url(url: str | None) -> str | None:
    """The URL's host in lower case without `www.` or a port; None when there is no host."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if "://" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def headline_from_page_title(title: str | None, site_names: list[str]) -> str | None:
    """`Headline - Site Name` → `Headline`; a title that is only the site's name gives None."""
    if not title or not title.strip():
        return None
    title = " ".join(title.split())
    known = [n.strip() for n in site_names if n and n.strip()]
    parts = [p.strip() for p in TITLE_SEPARATORS.split(title) if p and p.strip()]
    if len(parts) <= 1:
        return None if _is_site_name(title, known) else title
    kept = [p for p in parts if not _is_site_name(p, known)]
    if not kept:
        return None
    if len(kept) == len(parts):
        return _strip_glued_suffix(title, known)  # the separators belong to the headline
    # Keep the headline's own separators: the longest run of consecutive non-site parts.
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip(" |｜-–—_:：") or None


GLUED_SUFFIX = re.compile(r"[-_](?P<site>[^-_\s]{2,12})$")


def _strip_glued_suffix(title: str, known: list[str]) -> str:
    """`標題-經濟部`: a site or agency name glued on with a bare hyphen (government sites)."""
    m = GLUED_SUFFIX.search(title)
    if m and (rules().glued_site_name_end.search(m["site"]) or _is_site_name(m["site"], known)):
        return title[: m.start()].rstrip()
    return title


def _is_site_name(part: str, known: list[str]) -> bool:
    compact = "".join(part.split()).lower()
    for name in known:
        name_c = "".join(name.split()).lower()
        if name_c and (compact == name_c or compact in name_c or (name_c in compact and len(compact) <= len(name_c) + 6)):
            return True
    return len(part) <= 16 and rules().site_name_like(part)


def labelled_values(lines: list[str]) -> list[tuple[str, str]]:
    """Every known `label: value` metadata line, in order; a label alone on its line (a table
    header cell, `發布日期：`) takes the next line as its value."""
    found = []
    for i, line in enumerate(lines):
        pair = rules().label(line)
        if pair:
            label, value = pair
            if not value and i + 1 < len(lines):
                value = lines[i + 1].strip()
            found.append((label, value))
    return found


def published_from_labels(pairs: list[tuple[str, str]]) -> str | None:
    by_label = {}
    for label, value in pairs:
        by_label.setdefault(label, value)
    for label in rules().publication_date_labels:
        if label in by_label:
            iso = to_taipei_date(by_label[label])
            if iso:
                return iso
    return None


def source_url_from_lines(lines: list[str]) -> str | None:
    """A URL on a line labelled as the document's source (原文網址: https://…)."""
    r = rules()
    for line in lines:
        m = re.match(r"^\s*([^:：]{1,8})\s*[:：]\s*(.*)$", line)
        if m and "".join(m[1].split()) in r.source_url_labels:
            url = URL.search(m[2])
            if url:
                return url.group(0)
    return None


BODY_DATELINE_LINES = 4  # a timestamp line may sit below the lead photo's caption


def published_from_text(header_lines: list[str], body: str) -> str | None:
    """A date standing on its own line near the headline or at the top of the body, else CNA's
    edit code at the end."""
    for line in header_lines + body.split("\n", BODY_DATELINE_LINES)[:BODY_DATELINE_LINES]:
        # (a paragraph is no dateline: only a short line is searched)
        dates = find_full_dates(line) if len(line.strip()) <= DATE_LINE_MAX_CHARS else None
        if dates:
            return dates[0].iso
    return cna_edit_code(body)


def published_fallback(url: str | None, text: str, month: str | None = None) -> str | None:
    """When the metadata gives no full date: the date in the URL, else the bracketed dateline
    ((中央社記者某某台北16日電) takes its year and month from MONTH or the URL)."""
    known = month if month and len(month) == len("YYYY-MM") else url_month(url)
    return url_date(url) or dateline_date(text, known)


def agrees(iso: str | None, month: str | None) -> str | None:
    """ISO when it falls in MONTH (YYYY-MM, or a year) or none is known; else None."""
    return iso if iso and (not month or iso.startswith(month)) else None
