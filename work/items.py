"""What a queue item is, and the registry of the places items come from.

A source is a function of the audience (whose work) and the day that
returns plain items, with a count of each kind that agrees with them. A new
kind of work (notices due, say) is a new source registered here; the page,
the home counts and the navigation pick it up.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet


@dataclass(frozen=True)
class QueueItem:
    kind: str
    title: str
    href: str
    since: date  # when it started waiting: the queue is oldest first
    deadline: date | None
    reason: str  # why it is this person's
    waiting_for: str = ""  # whose it is, in the team view
    is_overdue: bool = False


@dataclass(frozen=True)
class Source:
    """`kinds`: each kind's key and its heading. `applies`: whether the user
    can have any of these at all, from their role alone (no query), so an
    evaluator's page never asks about the register. `items` and `counts`
    take the audience and the day; `counts` returns querysets to count (the
    queue counts them all in one query) or plain numbers."""

    name: str
    kinds: dict[str, str]
    applies: Callable[[object], bool]
    items: Callable[..., list[QueueItem]]
    counts: Callable[..., dict[str, "QuerySet | int"]]
    in_team_view: bool = True
    order: int = field(default=0)


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.name] = source
    return source


def sources() -> list[Source]:
    return sorted(SOURCES.values(), key=lambda s: s.order)


def labels() -> dict[str, str]:
    return {kind: label for s in sources() for kind, label in s.kinds.items()}
