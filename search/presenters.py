"""What a search result shows of each kind of record: its reference, name,
status and where it opens. Each reads only the records on the page, in one
query, and nothing of a record's bids, scores or contacts."""

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from search.selectors import VIEW_PROCUREMENT, Result
from search.sources import CALL_OFF, CONTRACT, PACKAGE, PROVIDER, SYSTEM

# GOV.UK tag colours, as the records' own pages use them.
_CONTRACT_COLOURS = {
    "draft": "yellow",
    "live": "green",
    "in_extension": "turquoise",
    "ending": "orange",
    "expired": "grey",
    "terminated": "red",
}
_CALL_OFF_COLOURS = {
    "draft": "yellow",
    "open": "blue",
    "evaluation": "purple",
    "approved": "turquoise",
    "awarded": "green",
    "cancelled": "red",
}
_PACKAGE_COLOURS = {
    "advertised": "blue",
    "panel": "purple",
    "meet_and_greet": "purple",
    "chosen": "turquoise",
    "awarded": "green",
    "withdrawn": "red",
}


def contract(pks, *, user, today: date) -> dict[int, Result]:
    from contracts.constants import ContractStatus
    from contracts.models import Contract
    from contracts.selectors import status_expression

    rows = (
        Contract.objects.filter(pk__in=pks)
        .annotate(status=status_expression(today))
        .values("pk", "reference", "title", "status", "provider__legal_name")
    )
    return {
        row["pk"]: Result(
            kind=CONTRACT.kind,
            kind_label=CONTRACT.label,
            reference=row["reference"],
            name=row["title"],
            status=ContractStatus(row["status"]).label,
            colour=_CONTRACT_COLOURS[row["status"]],
            url=reverse("contracts:detail", args=[row["pk"]]),
            detail=row["provider__legal_name"] or "",
        )
        for row in rows
    }


def provider(pks, *, user, today: date) -> dict[int, Result]:
    from contracts.models import Contract
    from providers.models import Provider

    # A contract that is neither a draft, nor ended, nor terminated: live,
    # in extension or ending, as the register counts "current".
    current = Contract.objects.filter(
        Q(terminated_on=None) | Q(terminated_on__gt=today),
        provider=OuterRef("pk"),
        is_draft=False,
        current_end_date__gte=today,
    )
    rows = (
        Provider.objects.filter(pk__in=pks)
        .annotate(has_current=Exists(current))
        .values("pk", "legal_name", "trading_name", "companies_house_number", "has_current")
    )
    return {
        row["pk"]: Result(
            kind=PROVIDER.kind,
            kind_label=PROVIDER.label,
            reference=row["companies_house_number"] or "",
            name=row["legal_name"],
            status="Current contracts" if row["has_current"] else "No current contracts",
            colour="green" if row["has_current"] else "grey",
            url=reverse("providers:detail", args=[row["pk"]]),
            detail=f"Trading as {row['trading_name']}"
            if row["trading_name"] and row["trading_name"] != row["legal_name"]
            else "",
        )
        for row in rows
    }


def _system_status(starts_on: date, ends_on: date, today: date) -> tuple[str, str]:
    if today < starts_on:
        return "Not yet in operation", "blue"
    if today > ends_on:
        return "Ended", "grey"
    return "In operation", "green"


def system(pks, *, user, today: date) -> dict[int, Result]:
    from procurement.constants import SystemKind
    from procurement.models import PurchasingSystem

    rows = PurchasingSystem.objects.filter(pk__in=pks).values(
        "pk", "reference", "name", "kind", "starts_on", "ends_on"
    )
    shown = {}
    for row in rows:
        status, colour = _system_status(row["starts_on"], row["ends_on"], today)
        shown[row["pk"]] = Result(
            kind=SYSTEM.kind,
            kind_label=SYSTEM.label,
            reference=row["reference"],
            name=row["name"],
            status=status,
            colour=colour,
            url=reverse("procurement:system_detail", args=[row["pk"]]),
            detail=SystemKind(row["kind"]).label,
        )
    return shown


def call_off(pks, *, user, today: date) -> dict[int, Result]:
    from procurement.constants import CallOffStatus
    from procurement.models import CallOff, EvaluatorAssignment

    rows = CallOff.objects.filter(pk__in=pks).values(
        "pk", "reference", "title", "status", "lot__name", "lot__system__reference"
    )
    # An evaluator opens a call-off from their evaluation page, the only one
    # they may see; everyone else from the call-off's own page.
    assignments = None
    if not user.has_perm(VIEW_PROCUREMENT):
        assignments = dict(
            EvaluatorAssignment.objects.filter(evaluator=user, call_off_id__in=pks).values_list(
                "call_off_id", "pk"
            )
        )
    shown = {}
    for row in rows:
        if assignments is None:
            url = reverse("procurement:call_off_detail", args=[row["pk"]])
        elif row["pk"] in assignments:
            url = reverse("procurement:evaluation", args=[assignments[row["pk"]]])
        else:
            continue
        shown[row["pk"]] = Result(
            kind=CALL_OFF.kind,
            kind_label=CALL_OFF.label,
            reference=row["reference"],
            name=row["title"],
            status=CallOffStatus(row["status"]).label,
            colour=_CALL_OFF_COLOURS[row["status"]],
            url=url,
            detail=f"{row['lot__system__reference']} – {row['lot__name']}",
        )
    return shown


def package(pks, *, user, today: date) -> dict[int, Result]:
    from procurement.constants import PackageKind, PackageStatus
    from procurement.models import CarePackage

    rows = CarePackage.objects.filter(pk__in=pks).values(
        "pk", "reference", "kind", "status", "lot__name", "lot__system__reference"
    )
    return {
        row["pk"]: Result(
            kind=PACKAGE.kind,
            kind_label=PACKAGE.label,
            reference=row["reference"],
            name=PackageKind(row["kind"]).label,
            status=PackageStatus(row["status"]).label,
            colour=_PACKAGE_COLOURS[row["status"]],
            url=reverse("procurement:package_detail", args=[row["pk"]]),
            detail=f"{row['lot__system__reference']} – {row['lot__name']}",
        )
        for row in rows
    }
