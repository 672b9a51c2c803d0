"""Reading pages as a person does.

Django escapes ' & " < > in everything it prints, so looking for a stored
value in the raw HTML fails whenever the value holds one of them ("Elliott
O'Connor" is printed as "Elliott O&#x27;Connor"), and a check that a value
is *absent* from the raw HTML passes whether or not it is shown. Compare
stored values with page_text() instead.
"""

from html.parser import HTMLParser


class _TextCollector(HTMLParser):
    # Their content is code, not something a reader sees.
    HIDDEN = frozenset({"script", "style", "template"})
    # Tags inside a line of text; any other tag separates words.
    # fmt: off
    INLINE = frozenset({
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd",
        "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    })
    # fmt: on

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag not in self.INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        elif tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text of an HTML document: no tags, entities unescaped, runs of
    whitespace made one space."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())


def page_text(response) -> str:
    """The text a reader sees on a test client's HTML response."""
    return html_text(response.content.decode(response.charset or "utf-8"))
