"""Offline web fixtures: a loopback HTTP server with scripted routes, and documents (PDF, DOCX,
ODT) generated here. All text is invented for the tests."""
from __future__ import annotations

import io
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    fail_first: int = 0  # answer 500 this many times, then normally
    sleep: float = 0.0
    hits: int = 0


class Site:
    """Routes by path; `base` is http://127.0.0.1:PORT. Records every request's path and headers."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    return self._answer(404, {"Content-Type": "text/plain"}, b"not found")
                route.hits += 1
                time.sleep(route.sleep)
                if route.hits <= route.fail_first:
                    return self._answer(500, {"Content-Type": "text/plain"}, b"oops")
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                    if self.headers.get("If-None-Match") == route.etag:
                        return self._answer(304, headers, b"")
                self._answer(route.status, headers, route.body)

            def _answer(self, status, headers, body):
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, body: bytes | str = b"", content_type: str = "text/html; charset=utf-8",
            **kwargs) -> Route:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": content_type, **kwargs.pop("headers", {})}
        self.routes[path] = Route(data, headers=headers, **kwargs)
        return self.routes[path]

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def page(title: str, body: str, date: str = "2025-03-04") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{date}T10:00:00+08:00'></head>"
            f"<body><nav>首頁 | 新聞</nav><article><h1>{title}</h1><time>{date}</time>{paragraphs}"
            f"</article></body></html>")


def rss(items: list[tuple[str, str, str]]) -> str:
    """items: (link, title, RFC 822 date)."""
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>"
                      for link, t, d in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>新聞稿</title>"
            f"<link>http://127.0.0.1/</link><description>測試</description>{entries}</channel></rss>")


def sitemap(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2025-03-04</lastmod></url>" for u in urls)
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{entries}</urlset>")


# --- documents ---------------------------------------------------------------------------------

def pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose text layer holds these lines (a Type0 font, Identity-H, with a ToUnicode map;
    no glyphs are embedded, so viewers show boxes but text extraction is exact).
    An empty list of lines gives a page with no text, like a scan."""
    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects)

    cmap = _to_unicode_cmap()
    tounicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    descriptor = add(b"<< /Type /FontDescriptor /FontName /MingLiU /Flags 4 /FontBBox [0 -200 1000 800] "
                     b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>")
    cid = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MingLiU /CIDSystemInfo << /Registry (Adobe) "
              b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 >>" % descriptor)
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /MingLiU /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, tounicode))
    pages_id = len(objects) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops = b"".join(b"BT /F1 12 Tf 40 %d Td <%s> Tj ET\n" % (800 - 16 * i, _hex(line))
                       for i, line in enumerate(lines))
        content = add(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"endstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def _hex(line: str) -> bytes:
    return "".join(f"{ord(ch):04X}" for ch in line).encode("ascii")


def _to_unicode_cmap() -> bytes:
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)]
    blocks = "".join(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange\n"
                     for chunk in (ranges[i:i + 100] for i in range(0, 256, 100)))
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + blocks +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend").encode("ascii")


def docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=paragraphs[0]))
    for text in paragraphs[1:]:
        document.text.addElement(P(text=text))
    if table:
        grid = Table(name="t1")
        grid.addElement(TableColumn(numbercolumnsrepeated=len(table[0])))
        for row in table:
            tr = TableRow()
            for value in row:
                cell = TableCell()
                cell.addElement(P(text=value))
                tr.addElement(cell)
            grid.addElement(tr)
        document.text.addElement(grid)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
