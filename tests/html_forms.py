"""What a browser would send from a page's form, read from its HTML, so a
test can "open the page" and post it back with a change, like a person."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self.inside = False
        self.select = self.textarea = None
        self.select_first = None
        self.select_chosen = False
        self.option_value = None
        self.text: list[str] = []

    def _add(self, name, value):
        self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("method") == "post"
            if self.inside:
                self.forms.append({})
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            self.option_value, self.text = attrs.get("value"), []
            self.option_selected = "selected" in attrs
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data):
        if self.textarea or self.option_value is not None or self.select:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option" and self.select:
            value = self.option_value if self.option_value is not None else "".join(self.text)
            if self.select_first is None:
                self.select_first = value
            if self.option_selected:
                self._add(self.select, value)
                self.select_chosen = True
            self.option_value = None
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self._add(self.select, self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self._add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None


def form_data(html: str, *, having: str) -> dict:
    """The fields of the page's POST form that has a field named `having`,
    as the test client takes them: one value a name, or a list for several."""
    reader = _FormReader()
    reader.feed(html)
    found = [form for form in reader.forms if having in form]
    assert len(found) == 1, f"{len(found)} forms on the page have a field {having!r}"
    return {k: v[0] if len(v) == 1 else v for k, v in found[0].items()}
