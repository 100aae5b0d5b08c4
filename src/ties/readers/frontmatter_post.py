"""Posts with YAML front matter (Jekyll, Hugo): metadata from the front matter, the article from
the body, which may be HTML (as CNA reposts are) or Markdown."""
from __future__ import annotations

import re

import frontmatter
import yaml
from selectolax.lexbor import LexborHTMLParser

from ..clean.html_body import captions_and_tags, extract_paragraphs
from ..dates import cna_edit_code, to_taipei_date
from .. import errors, lenient_yaml
from ..lenient_yaml import LenientYAMLHandler
from ..model import Document
from ..sitemeta import agrees, published_fallback, site_from_url
from . import markdown_release
from .html_page import looks_like_html
from .plain_text import article_only, with_captions

FORMAT = "frontmatter"
OPENING = re.compile(r"\A\ufeff?---[ \t]*\n")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "pubDate", "date_published", "datePublished", "publish_date")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2}))?$")
URL_KEYS = ("from", "source_url", "original_url", "canonical_url", "canonical", "url", "link", "source")
# Lines a Jekyll export puts above the body: a Markdown link to the original, a rule, a timestamp.
_PREAMBLE = re.compile(r"^\s*(\[[^\]]*\]\([^)]*\)|[-=]{3,}|<!--.*?-->)\s*$")


def sniff(text: str, suffix: str) -> bool:
    if not OPENING.match(text):
        return False
    head, sep, _ = text.lstrip("\ufeff")[3:].partition("\n---")
    if not sep:
        return False
    try:
        return isinstance(lenient_yaml.load_front_matter(head), dict)
    except Exception:  # any YAML that cannot be read (deep nesting too) is no front matter
        return False


def read(text: str, path: str) -> Document:
    post = frontmatter.loads(text.lstrip("\ufeff"), handler=LenientYAMLHandler())
    meta = post.metadata
    body = "\n".join(ln for ln in post.content.split("\n") if not _PREAMBLE.match(ln))
    if _html_body(body):
        tree = LexborHTMLParser(body)
        captions, tags = captions_and_tags(tree)
        paragraphs = extract_paragraphs(body)
        doc = Document(path=path, text=with_captions("\n".join(paragraphs), captions), format=FORMAT,
                       captions=captions, tags=tags)
    else:
        doc = markdown_release.read(body, path)
        doc.format = FORMAT
    doc.title = _first_str(meta, TITLE_KEYS) or doc.title
    doc.url = _first_str(meta, URL_KEYS) or doc.url
    month = _month(meta)  # a date given only to the month still rules out other months
    article = article_only(doc)
    doc.published = (_published(meta) or agrees(doc.published, month) or agrees(cna_edit_code(article), month)
                     or agrees(published_fallback(doc.url, article, month), month))
    doc.published_partial = None if doc.published else month
    doc.warnings.extend(_bad_dates(meta))
    doc.site = site_from_url(doc.url) or doc.site
    doc.author = _first_str(meta, ("author",))
    return doc


def _html_body(body: str) -> bool:
    """An HTML body has block elements; a few <br> in scraped Markdown do not make it HTML."""
    return looks_like_html(re.sub(r"<br\s*/?>", "", body, flags=re.I))


def _first_str(meta: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _month(meta: dict) -> str | None:
    for key in DATE_KEYS:
        m = PARTIAL_DATE.match(str(meta.get(key) or "").strip())
        if m:
            return f"{m[1]}-{int(m[2]):02d}" if m[2] else m[1]
    return None


def _published(meta: dict) -> str | None:
    for key in DATE_KEYS:
        if key in meta:
            iso = to_taipei_date(meta[key])
            if iso:
                return iso
    return None


def _bad_dates(meta: dict) -> list[str]:
    """A warning for each front-matter date that is no date (2024-13-45): it is dropped, the
    document kept."""
    return [errors.BAD_DATE.format(key=key, value=str(meta[key])[:40]) for key in DATE_KEYS
            if meta.get(key) not in (None, "") and not to_taipei_date(meta[key])
            and not PARTIAL_DATE.match(str(meta[key]).strip())]
