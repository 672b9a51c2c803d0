"""Reads of the contracts register, with the derived status computed in the
database so the register can filter and count by it."""

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts import terms
from contracts.constants import (
    ENDING_WITHIN_MONTHS,
    ContractStatus,
)
from contracts.models import Contract, Reminder, ReminderRecipient

CURRENT_STATUSES = (ContractStatus.LIVE, ContractStatus.IN_EXTENSION, ContractStatus.ENDING)


def _status_rules(today: date) -> list[tuple[str, Q]]:
    """Each status with its condition, in order: the first that holds wins.

    A draft is a draft; a termination that has taken effect beats expiry;
    a contract in its last months with no options left (or a termination
    still to take effect) is ending. Anything else is live.
    """
    soon = terms.add_months(today, ENDING_WITHIN_MONTHS)
    no_options_left = Q(options_closed=True) | Q(options_taken__gte=F("option_count"))
    return [
        (ContractStatus.DRAFT, Q(is_draft=True)),
        (ContractStatus.TERMINATED, Q(terminated_on__lte=today)),
        (ContractStatus.EXPIRED, Q(current_end_date__lt=today)),
        (
            ContractStatus.ENDING,
            Q(terminated_on__gt=today) | (no_options_left & Q(current_end_date__lte=soon)),
        ),
        (ContractStatus.IN_EXTENSION, Q(options_taken__gt=0, initial_end_date__lt=today)),
    ]


def status_expression(today: date):
    """The contract's status on `today`, as a database expression."""
    return Case(
        *(When(condition, then=Value(status)) for status, condition in _status_rules(today)),
        default=Value(ContractStatus.LIVE),
        output_field=CharField(),
    )


def status_filter(status: str, today: date) -> Q:
    """The contracts with this status on `today`, as a plain condition the
    database can use its indexes for (filtering on the CASE would not)."""
    earlier = Q(pk__in=[])
    for rule_status, condition in _status_rules(today):
        if rule_status == status:
            return condition & ~earlier
        earlier |= condition
    return ~earlier  # live: none of the rules holds


def contract_register(*, today: date | None = None) -> QuerySet[Contract]:
    today = today or timezone.localdate()
    shared_with = (
        Contract.additional_providers.through.objects.filter(contract_id=OuterRef("pk"))
        .order_by()
        .values("contract_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Contract.objects.select_related("provider").annotate(
        status=status_expression(today),
        # A subquery, not a prefetch: the database counts for the 50 rows shown.
        other_provider_count=Coalesce(Subquery(shared_with, output_field=IntegerField()), 0),
    )


def contract_detail(pk: int, *, today: date | None = None) -> Contract:
    """One contract with its providers and extension requests (and who made,
    decided and escalated each), for its own pages. Of the provider and the
    owner it reads only what the pages show: it is read on every view."""
    today = today or timezone.localdate()
    contract_fields = [f.attname for f in Contract._meta.concrete_fields if not f.generated]
    return (
        Contract.objects.select_related("provider", "owner")
        .only(
            *contract_fields,
            "provider__legal_name",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
        )
        .annotate(status=status_expression(today))
        # Nested, not joined: many contracts have no extension request yet,
        # and then the people are not asked for at all.
        .prefetch_related(
            "additional_providers",
            "extensions__requested_by",
            "extensions__decided_by",
            "extensions__escalated_by",
        )
        .get(pk=pk)
    )


def extension_choices(contract: Contract) -> list[tuple[int, str]]:
    """The requests an officer may raise now: the next option, or the next
    few together where the contract allows, each with the end it gives."""
    term = terms.Term.parse(contract.term)
    taken = contract.options_taken
    most = terms.most_options_per_request(
        term, options_taken=taken, may_take_together=contract.options_may_be_taken_together
    )
    choices = []
    for k in range(1, most + 1):
        end = term.end_after(contract.start_date, taken + k)
        label = f"Option {taken + 1}" if k == 1 else f"Options {taken + 1} to {taken + k}"
        choices.append((k, f"{label}: extends to {end:%-d %B %Y}"))
    return choices


def extension_refusal(contract: Contract, *, today: date | None = None) -> str:
    """Why no extension can be requested on the contract now, or "" if one
    can (contracts/extension_rules.py). Reads the prefetched requests."""
    from contracts import extension_rules

    return extension_rules.extension_refusal(
        is_draft=contract.is_draft,
        terminated_on=contract.terminated_on,
        options_closed=contract.options_closed,
        option_count=contract.option_count,
        options_taken=contract.options_taken,
        current_end_date=contract.current_end_date,
        decision_deadline=contract.decision_deadline,
        has_open_request=contract.open_extension is not None,
        today=today or timezone.localdate(),
    )


def earlier_option_choices(contract: Contract) -> list[tuple[int, str]]:
    """How many options may be recorded as taken before registration."""
    term = terms.Term.parse(contract.term)
    return [
        (n, f"{n}: ends {term.end_after(contract.start_date, n):%-d %B %Y}" if n else "None")
        for n in range(contract.options_taken, len(term.option_months) + 1)
    ]


def contract_reminders(contract: Contract) -> QuerySet[Reminder]:
    recipients = Prefetch("recipients", queryset=ReminderRecipient.objects.select_related("user"))
    return contract.reminders.prefetch_related(recipients).order_by("-due_date", "kind")
