"""Search across the register and procurement, limited to what the user may
open: each kind of record is searched only if the user may see its pages,
and an evaluator only among the call-offs they are asked to score.

On PostgreSQL the matches come from search.Document (full-text, through a
GIN index a kind); on SQLite from the records' own columns (icontains).
One query ranks a page of matches of every kind (a UNION of one SELECT per
kind), one counts the matches of each kind, and one per kind on the page
reads what a result shows, so the query count does not grow with the
number of matches (tests/search/test_queries.py).
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from search.sources import CALL_OFF, CONFIG, CONTRACT, PACKAGE, PROVIDER, SYSTEM, Source

VIEW_PROCUREMENT = "procurement.view_purchasingsystem"


def visible(user) -> dict[Source, QuerySet]:
    """The kinds of record this user may open, each with the rows they may
    open: the same permissions the records' own pages check."""
    from procurement.models import CallOff

    scopes = {}
    if user.has_perm("contracts.view_contract"):
        scopes[CONTRACT] = _all(CONTRACT)
    if user.has_perm("providers.view_provider"):
        scopes[PROVIDER] = _all(PROVIDER)
    if user.has_perm(VIEW_PROCUREMENT):
        scopes[SYSTEM] = _all(SYSTEM)
        scopes[CALL_OFF] = _all(CALL_OFF)
        scopes[PACKAGE] = _all(PACKAGE)
    elif user.has_perm("procurement.score_bids"):
        # Evaluators see no register: only the call-offs they are asked to
        # score, which they open from their evaluation page.
        scopes[CALL_OFF] = CallOff.objects.filter(evaluators__evaluator=user)
    return scopes


def _all(source: Source) -> QuerySet:
    return apps.get_model(source.model).objects.all()


def _matching(source: Source, queryset: QuerySet, text: str) -> QuerySet:
    """The rows that match `text`, with how well each does: the kind, the
    record's pk, 1 for an exact reference, the rank and the name to order by."""
    if connection.vendor == "postgresql":
        return _documents(source, queryset, text)
    # SQLite, for development: every word in some column, any case.
    condition = Q()
    for word in text.split():
        in_any = Q()
        for field in source.searched_columns:
            in_any |= Q(**{f"{field}__icontains": word})
        condition &= in_any
    named = Q()
    for field in (*source.references, *source.names):
        named |= Q(**{f"{field}__icontains": text})
    exactly = Q()
    for field in source.references:
        exactly |= Q(**{f"{field}__iexact": text})
    rank = Case(When(named, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return queryset.filter(condition).annotate(
        # Prefixed: a model may have a field called "kind" or "name".
        found_kind=Value(source.kind),
        found_pk=F("pk"),
        found_exact=Case(When(exactly, then=Value(1)), default=Value(0)),
        found_rank=rank,
        found_name=Lower(source.sort_name),
    )


def _documents(source: Source, queryset: QuerySet, text: str) -> QuerySet:
    """PostgreSQL: the kind's search.Document rows that match, through the
    GIN index, ranked on the stored tsvector (nothing is worked out again
    per row, so a word that most records hold costs little more)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    from search.models import Document

    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    documents = Document.objects.filter(kind=source.kind, document=query)
    if queryset.query.has_filters():
        # An evaluator's call-offs: only the records in their scope.
        documents = documents.filter(record_id__in=queryset.values("pk"))
    exact = Case(
        When(references__contains=f"|{text.upper()}|", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return documents.annotate(
        found_kind=F("kind"),
        found_pk=F("record_id"),
        found_exact=exact,
        found_rank=SearchRank(F("document"), query),
        found_name=F("name"),
    )


@dataclass(frozen=True)
class Found:
    """The ranked matches of a search, to hand to a Paginator: counting costs
    nothing more (the counts are known), and a slice reads one page."""

    ranked: QuerySet | None
    counts: dict[str, int]
    total: int

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, page: slice) -> list[tuple]:
        if self.ranked is None:
            return []
        return list(self.ranked[page])


def search(*, user, text: str, kind: str | None = None) -> Found:
    """Every record the user may open that matches `text`, best first: an
    exact reference, then by rank, then by name. `kind` keeps to one kind;
    the counts are of every kind."""
    scopes = visible(user)
    ranked, counted = [], []
    for source, queryset in scopes.items():
        matching = _matching(source, queryset, text)
        counted.append(
            matching.values("found_kind")
            .annotate(found_count=Count("pk"))
            .values_list("found_kind", "found_count")
            .order_by()
        )
        if kind in (None, source.kind):
            ranked.append(
                matching.values_list(
                    "found_kind", "found_pk", "found_exact", "found_rank", "found_name"
                ).order_by()
            )
    if not counted:
        return Found(None, {}, 0)
    counts = dict(_union(counted))
    order = ("-found_exact", "-found_rank", "found_name", "found_kind", "found_pk")
    page_of = _union(ranked).order_by(*order) if ranked else None
    total = counts.get(kind, 0) if kind else sum(counts.values())
    return Found(page_of, counts, total)


def _union(querysets: list[QuerySet]) -> QuerySet:
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    reference: str
    name: str
    status: str
    colour: str
    url: str
    detail: str = ""


def results(rows: list[tuple], *, user, today: date) -> list["Result"]:
    """What the page shows of each ranked row, in rank order: one query per
    kind on the page."""
    from search import presenters

    by_kind: dict[str, list[int]] = {}
    for kind, pk, *_ in rows:
        by_kind.setdefault(kind, []).append(pk)
    shown = {}
    for kind, pks in by_kind.items():
        present = getattr(presenters, kind)
        for pk, result in present(pks, user=user, today=today).items():
            shown[(kind, pk)] = result
    return [shown[(kind, pk)] for kind, pk, *_ in rows if (kind, pk) in shown]
