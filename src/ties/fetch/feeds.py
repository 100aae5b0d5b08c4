"""RSS/Atom feeds (feedparser) and XML sitemaps (urlset, sitemapindex) as lists of items."""
from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass

import feedparser
from lxml import etree

TAIPEI = dt.timezone(dt.timedelta(hours=8))
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF|urlset|sitemapindex)[\s>]")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass
class Item:
    url: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, Taipei local date
    is_sitemap: bool = False  # an entry of a sitemap index: another sitemap


def feed_kind(content: bytes, content_type: str = "") -> str | None:
    """'feed', 'sitemap' or None (a page), from the content's root element."""
    head = content[:2048].lstrip()
    if content_type in _FEED_TYPES:
        return "feed"
    if not (head.startswith(b"<?xml") or head.startswith(b"<")) or b"<html" in head[:512].lower():
        return None
    m = _FEED_ROOT.search(head)
    if not m:
        return None
    return "sitemap" if m.group(1) in (b"urlset", b"sitemapindex") else "feed"


def items(content: bytes, base_url: str, kind: str) -> list[Item]:
    return _sitemap_items(content) if kind == "sitemap" else _feed_items(content, base_url)


def _feed_items(content: bytes, base_url: str) -> list[Item]:
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    found = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        with warnings.catch_warnings():  # feedparser warns about its own published/updated fallback
            warnings.simplefilter("ignore", DeprecationWarning)
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        found.append(Item(link, (entry.get("title") or "").strip() or None, _taipei_date(stamp)))
    return found


def _sitemap_items(content: bytes) -> list[Item]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(content, parser)
    if root is None:
        return []
    index = etree.QName(root).localname == "sitemapindex"
    found = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        values = {etree.QName(child).localname: (child.text or "").strip() for child in node
                  if isinstance(child.tag, str)}
        if values.get("loc"):
            found.append(Item(values["loc"], None, _iso_date(values.get("lastmod")), is_sitemap=index))
    return found


def _taipei_date(stamp) -> str | None:
    """feedparser gives UTC struct_time; the article's date is Taipei's."""
    if not stamp:
        return None
    return dt.datetime(*stamp[:6], tzinfo=dt.timezone.utc).astimezone(TAIPEI).date().isoformat()


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value) else None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(TAIPEI)
    return parsed.date().isoformat()
