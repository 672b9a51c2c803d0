"""Where an error summary's links land, read from the page's HTML as a
browser follows a fragment: the element with that id."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

CONTROLS = frozenset({"input", "select", "textarea"})
# Inputs a person does not answer.
NOT_ANSWERS = frozenset({"hidden", "submit", "button", "image", "reset"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass
class Element:
    tag: str
    attrs: dict
    # The outermost .govuk-form-group around it: one field's question,
    # its hint, its errors and all its inputs (a date's three, every radio).
    group: int | None
    group_has_error: bool = False
    classes: set = field(default_factory=set)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int | None]] = []
        self.by_id: dict[str, Element] = {}
        self.controls: list[tuple[int | None, str | None]] = []
        self.groups: dict[int, bool] = {}
        self.links: list[tuple[str, str]] = []
        self.summary_depth: int | None = None
        self.link: list | None = None

    def _group(self) -> int | None:
        return next((g for _, g in self.stack if g is not None), None)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        classes = set(attrs.get("class", "").split())
        group = self._group()
        own_group = None
        if group is None and "govuk-form-group" in classes:
            own_group = group = len(self.groups)
            self.groups[group] = "govuk-form-group--error" in classes
        element = Element(tag, attrs, group, classes=classes)
        if "id" in attrs:
            self.by_id.setdefault(attrs["id"], element)
        if tag in CONTROLS and attrs.get("type", "text") not in NOT_ANSWERS:
            self.controls.append((group, attrs.get("id")))
        if "govuk-error-summary" in classes and self.summary_depth is None:
            self.summary_depth = len(self.stack)
        if tag == "a" and self.summary_depth is not None:
            self.link = [attrs.get("href", ""), []]
        if tag not in VOID:
            self.stack.append((tag, own_group))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "a" and self.link is not None:
            self.links.append((self.link[0], " ".join("".join(self.link[1]).split())))
            self.link = None
        if self.summary_depth is not None and len(self.stack) <= self.summary_depth:
            self.summary_depth = None

    def handle_data(self, data):
        if self.link is not None:
            self.link[1].append(data)


def summary_link_problems(html: str, *, whole_form_messages=()) -> tuple[list[str], list[str]]:
    """The text of each of the error summary's links to the page, and each
    one that does not land on the first input of a field with an error. A
    message about the whole form may land on any field's first input."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    for element in reader.by_id.values():
        if element.group is not None:
            element.group_has_error = reader.groups.get(element.group, False)
    first_in_group: dict[int, str | None] = {}
    for group, control_id in reader.controls:
        if group is not None:
            first_in_group.setdefault(group, control_id)
    problems = []
    for href, text in reader.links:
        if not href.startswith("#"):
            continue
        target = href[1:]
        element = reader.by_id.get(target)
        where = f"“{text}” → {href}"
        if element is None:
            problems.append(f"{where}: no element has that id")
        elif element.tag not in CONTROLS or element.attrs.get("type") in NOT_ANSWERS:
            problems.append(f"{where}: lands on a <{element.tag}>, not an input")
        elif element.group is not None and first_in_group.get(element.group) != target:
            problems.append(
                f"{where}: not the field's first input (#{first_in_group.get(element.group)})"
            )
        elif text not in whole_form_messages and not element.group_has_error:
            problems.append(f"{where}: the field it lands on shows no error")
    return [text for href, text in reader.links if href.startswith("#")], problems
