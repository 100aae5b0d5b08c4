"""Full HTML pages: headline, canonical URL and publication date from the page's metadata,
the article from trafilatura (see ties.clean.html_body)."""
from __future__ import annotations

import json
import re

from selectolax.lexbor import LexborHTMLParser

from ..clean.chrome import rules
from ..clean.html_body import captions_and_tags, extract_paragraphs, visible_lines
from ..dates import cna_edit_code, find_full_dates, to_taipei_date
from ..model import Document
from ..sitemeta import (headline_from_page_title, labelled_values, published_fallback, published_from_labels,
                        site_from_url)
from .plain_text import with_captions

FORMAT = "html"
PAGE_START = re.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
BLOCK_TAG = re.compile(r"<(?:p|div|br|figure|article|section|table|h[1-6]|ul|ol|li)\b", re.I)
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.issued", "dcterms.date", "parsely-pub-date", "sailthru.date",
    "article.published", "citation_publication_date", "citation_date",
)


def looks_like_html(text: str) -> bool:
    return len(BLOCK_TAG.findall(text[:20000])) >= 2


def sniff(text: str, suffix: str) -> bool:
    if PAGE_START.match(text):
        return True
    return suffix in (".html", ".htm", ".xhtml") and looks_like_html(text)


def read(text: str, path: str) -> Document:
    tree = LexborHTMLParser(text)
    metas = _metas(tree)
    ld = list(_json_ld(tree))
    site_names = [metas.get("og:site_name", ""), metas.get("application-name", "")]
    h1 = _h1(tree, site_names)
    title = _title(tree, metas, site_names, h1)
    url = _canonical(tree, metas, ld)
    captions, tags = captions_and_tags(tree)
    paragraphs = [p for p in extract_paragraphs(text) if p != title]
    body = "\n".join(paragraphs)
    lines = visible_lines(text)
    published = (
        _meta_date(metas)
        or _ld_value(ld, "datePublished")
        or _time_element(tree)
        or _dateline_near(lines, [t for t in (title, h1) if t])
        or published_from_labels(labelled_values(lines))
        or cna_edit_code(body)
        or published_fallback(url, body)
    )
    return Document(path=path, text=with_captions(body, captions), format=FORMAT, title=title,
                    published=published, site=site_from_url(url), url=url, captions=captions, tags=tags)


def _metas(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _json_ld(tree: LexborHTMLParser):
    """Every JSON object in the page's ld+json scripts, @graph members included."""
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k == "@graph")


def _ld_value(ld: list[dict], key: str) -> str | None:
    for item in ld:
        value = item.get(key)
        iso = to_taipei_date(value) if isinstance(value, str) else None
        if iso:
            return iso
    return None


def _title(tree: LexborHTMLParser, metas: dict[str, str], site_names: list[str], h1: str | None) -> str | None:
    """The <h1> when the page's <title> or og:title confirms it, else the stated title."""
    title_node = tree.css_first("title")
    page_title = headline_from_page_title(title_node.text() if title_node else None, site_names)
    og_title = headline_from_page_title(metas.get("og:title") or metas.get("twitter:title"), site_names)
    stated = [t for t in (og_title, page_title) if t]
    if h1 and any(_agree(h1, t) for t in stated):
        return h1
    if stated:
        return stated[0]
    return h1


def _h1(tree: LexborHTMLParser, site_names: list[str]) -> str | None:
    for node in tree.css("article h1, main h1, h1, [itemprop=headline], h2[class*=title], h2[class*=headline]"):
        text = " ".join(node.text(separator=" ").split())
        if len(text) >= 6 and not rules().is_chrome(text) and headline_from_page_title(text, site_names):
            return text
    return None


def _agree(a: str, b: str) -> bool:
    a, b = "".join(a.split()), "".join(b.split())
    return a in b or b in a


def _canonical(tree: LexborHTMLParser, metas: dict[str, str], ld: list[dict]) -> str | None:
    link = tree.css_first('link[rel="canonical"]')
    href = link.attributes.get("href") if link else None
    for candidate in (href, metas.get("og:url"), metas.get("twitter:url"), metas.get("url")):
        if candidate and site_from_url(candidate):
            return candidate.strip()
    for item in ld:
        for key in ("url", "mainEntityOfPage"):
            value = item.get(key)
            value = value.get("@id") if isinstance(value, dict) else value
            if isinstance(value, str) and site_from_url(value):
                return value
    return None


def _meta_date(metas: dict[str, str]) -> str | None:
    for key in PUBLISHED_META:
        if key in metas:
            iso = to_taipei_date(metas[key])
            if iso:
                return iso
    return None


def _time_element(tree: LexborHTMLParser) -> str | None:
    """A <time> marked as the publication time, else the first one inside the article."""
    for selector in ("time[pubdate]", 'time[itemprop="datePublished"]', "article time[datetime]",
                     "header time[datetime]"):
        node = tree.css_first(selector)
        if node is not None:
            iso = to_taipei_date(node.attributes.get("datetime") or node.text())
            if iso:
                return iso
    return None


def _dateline_near(lines: list[str], headlines: list[str]) -> str | None:
    """A date on a short line within a few lines after the headline (`2024/05/16 18:56`)."""
    keys = {"".join(h.split()) for h in headlines}
    for i, line in enumerate(lines):
        if "".join(line.split()) in keys:
            for near in lines[i + 1 : i + 7]:
                dates = find_full_dates(near)
                if dates and len(near) <= 60:
                    return dates[0].iso
    return None
