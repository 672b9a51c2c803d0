"""Awarding a mini-competition: the plan the check-your-answers page shows
(winner, scores, value, term, start date, owner, standstill), and the award
itself, made only from that page, which creates the contract and queues a
letter to every bidder."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from contracts import terms
from contracts.constants import ProcurementRoute
from procurement import standstill as standstill_rules
from procurement.constants import CallOffStatus
from procurement.models import Bid, CallOff
from procurement.services import ProcurementError
from procurement.services.call_offs import (
    _award_contract,
    check_admitted,
    check_not_conflicted,
    check_owner,
)


@dataclass(frozen=True)
class AwardPlan:
    """Everything an award will do, checked, before it is done."""

    call_off: CallOff
    winner: object  # selectors.ResultRow of the bid to be awarded
    results: object  # selectors.Results
    owner: object
    start_date: date
    standstill: standstill_rules.Standstill

    @property
    def term(self) -> terms.Term:
        return terms.Term.parse(self.call_off.term)

    @property
    def whole_life_value(self):
        return terms.whole_life_value(self.term, self.call_off.annual_value)

    @property
    def initial_end(self) -> date:
        return self.term.initial_end(self.start_date)

    @property
    def max_end(self) -> date:
        return self.term.max_end(self.start_date)


def award_plan(
    *,
    call_off: CallOff,
    by,
    owner,
    start_date: date,
    standstill_applies: bool,
    standstill_days: int = standstill_rules.WORKING_DAYS,
    no_standstill_reason: str = "",
    bid: Bid | None = None,
    today: date | None = None,
) -> AwardPlan:
    """Check an award without making it. The standstill begins today: the
    award notice is published, and the letters sent, when the award is made."""
    from procurement.selectors import results as results_of

    if call_off.status == CallOffStatus.AWARDED:
        raise ProcurementError(f"{call_off.reference} has already been awarded.")
    if call_off.status != CallOffStatus.APPROVED:
        raise ProcurementError("Approve the results before awarding.")
    check_not_conflicted(call_off, by)
    results = results_of(call_off)
    first = [row for row in results.rows if row.rank == 1]
    if not first:
        raise ProcurementError("No bid is ranked: there is nothing to award.")
    if bid is None:
        if len(first) > 1:
            raise ProcurementError(
                "Bids share first place: choose which one to award.", field="bid"
            )
        winner = first[0]
    else:
        winner = next((row for row in first if row.bid.pk == bid.pk), None)
        if winner is None:
            raise ProcurementError("Only a first-placed bid can be awarded.", field="bid")
    check_admitted(call_off.lot, winner.bid.provider)
    check_owner(owner)
    try:
        standstill = standstill_rules.standstill_decide(
            applies=standstill_applies,
            starts_on=today or timezone.localdate(),
            working_days=standstill_days,
            reason=no_standstill_reason,
        )
        standstill_rules.check_contract_start(standstill, start_date)
    except standstill_rules.StandstillError as exc:
        raise ProcurementError(str(exc), field=exc.field) from exc
    return AwardPlan(call_off, winner, results, owner, start_date, standstill)


@transaction.atomic
def call_off_award(*, call_off: CallOff, by, **answers) -> CallOff:
    """Award to the highest-ranked bid (the panel's choice among bids that
    share first place), with the answers the check-your-answers page showed
    (award_plan's arguments): the contract goes into the register with its
    owner and start date, the standstill is recorded, and every bidder is
    sent its letter once the award commits."""
    from procurement import letters

    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    plan = award_plan(call_off=call_off, by=by, **answers)
    provider = plan.winner.bid.provider
    call_off.contract = _award_contract(
        call_off,
        provider,
        by,
        ProcurementRoute.MINI_COMPETITION,
        owner=plan.owner,
        start_date=plan.start_date,
    )
    standstill = plan.standstill
    call_off.awarded_provider = provider
    call_off.awarded_by, call_off.awarded_at = by, timezone.now()
    call_off.standstill_applies = standstill.applies
    call_off.standstill_starts_on = standstill.starts_on if standstill.applies else None
    call_off.standstill_ends_on = standstill.ends_on
    call_off.no_standstill_reason = standstill.reason
    call_off.status = CallOffStatus.AWARDED
    call_off.save()
    letters.letters_queue(call_off)
    return call_off
