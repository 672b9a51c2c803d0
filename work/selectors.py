"""The queue: everything waiting for one person (or, for a manager, for
anyone in the service areas they manage), oldest first, and its counts.

The counts are the same querysets the items are read from, counted in one
query together (plus whatever a source can only count in Python), so the
navigation's figure, the home page's counts and the lists agree.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from contracts.selectors_due import Audience, audience_for
from work.items import QueueItem, labels, sources


@dataclass(frozen=True)
class Queue:
    audience: Audience
    items: list[QueueItem]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_kind(self) -> list[tuple[str, str, int]]:
        """Each kind with any items: its key, heading and count."""
        names = labels()
        return [(kind, names[kind], n) for kind, n in self.counts.items() if n]


def _applicable(user, audience: Audience):
    for source in sources():
        if audience.team and not source.in_team_view:
            continue
        if source.applies(user):
            yield source


def _count_together(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """Every queryset's COUNT in one round trip: SELECT (SELECT COUNT(*)
    FROM (q1)), (SELECT COUNT(*) FROM (q2)), ... Only SQL Django compiled
    from the querysets goes in; their parameters stay parameters."""
    counts, parts, params = {}, {}, []
    for kind, qs in querysets.items():
        try:
            sql, qs_params = qs.order_by().query.sql_with_params()
        except EmptyResultSet:  # .none(), or an empty IN: nothing to ask
            counts[kind] = 0
            continue
        parts[kind] = f"(SELECT COUNT(*) FROM ({sql}) AS counted)"  # noqa: S608  # nosec B608
        params.extend(qs_params)
    if parts:
        with connection.cursor() as cursor:
            # Only SQL Django compiled goes in; the parameters stay parameters.
            sql = "SELECT " + ", ".join(parts.values())
            cursor.execute(sql, params)  # nosec B608
            counts.update(zip(parts, cursor.fetchone(), strict=True))
    return counts


def audience(user, *, team: bool = False) -> Audience:
    return audience_for(user, team=team)


def queue_counts(user, *, today: date | None = None, team: bool = False, who=None) -> dict:
    today = today or timezone.localdate()
    who = who or audience(user, team=team)
    counts: dict[str, int] = {}
    querysets: dict[str, QuerySet] = {}
    for source in _applicable(user, who):
        for kind, counted in source.counts(who, today).items():
            if isinstance(counted, int):
                counts[kind] = counted
            else:
                querysets[kind] = counted
    counts.update(_count_together(querysets))
    # In the registry's order, for the home page.
    order = list(labels())
    return {kind: counts[kind] for kind in order if kind in counts}


def queue_total(user, *, today: date | None = None) -> int:
    return sum(queue_counts(user, today=today).values())


def team_of(mine: Audience) -> Audience:
    """The team view of a person's audience: their areas, whoever it waits for."""
    return replace(mine, user=None, team=True, memo={})


def queue_items(user, *, who: Audience, today: date, oldest: int | None = None):
    """The items, oldest first; with `oldest`, only that many (each kind
    reads no more than that many, so a long queue costs what a short one does)."""
    items: list[QueueItem] = []
    for source in _applicable(user, who):
        items.extend(source.items(who, today, oldest))
    items.sort(key=lambda i: (i.since, i.deadline or date.max, i.title))
    return items if oldest is None else items[:oldest]


def queue_for(
    user, *, today: date | None = None, team: bool = False, oldest: int | None = None
) -> Queue:
    """The queue, oldest first, with whole counts of each kind (from the same
    querysets counted)."""
    today = today or timezone.localdate()
    who = audience(user, team=team)
    items = queue_items(user, who=who, today=today, oldest=oldest)
    counts = queue_counts(user, today=today, who=who)
    return Queue(audience=who, items=items, counts={k: n for k, n in counts.items() if n})
