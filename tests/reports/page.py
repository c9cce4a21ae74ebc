"""Read a report page as a browser would see its structure: which drawn elements sit under which id."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

DRAWN = {"use", "path", "rect", "circle", "line", "polyline", "polygon", "text"}


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []  # ids of the open <g> and <svg> elements
        self.under: dict[str, Counter] = {}
        self.ids: list[str] = []
        self.svgs = 0

    def _drawn(self, tag: str) -> None:
        for ident in self.stack:
            if ident:
                self.under.setdefault(ident, Counter())[tag] += 1

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id")
        if ident:
            self.ids.append(ident)
        if tag == "svg":
            self.svgs += 1
        if tag in ("g", "svg"):
            self.stack.append(ident)
        elif tag in DRAWN:
            self._drawn(tag)

    def handle_startendtag(self, tag, attrs):
        ident = dict(attrs).get("id")
        if ident:
            self.ids.append(ident)
        if tag in DRAWN:
            self._drawn(tag)

    def handle_endtag(self, tag):
        if tag in ("g", "svg") and self.stack:
            self.stack.pop()


class Page:
    """`page.drawn('score-0-passed')` counts the drawn elements (use, path, ...) inside that group."""

    def __init__(self, html: str) -> None:
        walker = _Walker()
        walker.feed(html)
        self.html = html
        self.svgs = walker.svgs
        self.ids = walker.ids
        self._under = walker.under

    def drawn(self, ident: str, tag: str | None = None) -> int:
        counts = self._under.get(ident, Counter())
        return counts[tag] if tag else sum(counts.values())

    def ids_starting(self, prefix: str) -> list[str]:
        return [i for i in self.ids if i.startswith(prefix)]

    def markers(self, ident: str) -> int:
        """Markers drawn by a scatter or a line with markers: matplotlib writes one marker
        definition and a <use> per point, or a plain path when it draws a single one."""
        return self.drawn(ident, "use") or self.drawn(ident, "path")
