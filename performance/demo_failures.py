"""Demo: the illustrative supported living call-off (contracts/demo.py) has
had a performance failure, and the provider has been warned, so the
contract page and its extension decision show an open improvement plan.
Dated from the contract's start, which contracts/demo.py sets about 31
months before the demo is loaded: the plan's improve-by date is always
about a month ahead, beside the extension decision. Each is recorded on
the day the failure ended."""

from decimal import Decimal

from contracts import terms
from contracts.constants import ServiceArea
from contracts.models import Contract
from core.demo import recorded_on
from core.models import User
from performance.constants import FailureOutcome
from performance.services import failures, improvement

CALL_OFF_TITLE = "Supported living call-off (illustrative)"


def load(stdout) -> None:
    officer = User.objects.filter(username="commissioning.officer").first()
    contract = (
        Contract.objects.filter(service_area=ServiceArea.SUPPORTED_LIVING, title=CALL_OFF_TITLE)
        .order_by("-start_date")
        .first()
    )
    if officer is None or contract is None:
        stdout.write("  (no demo officer or call-off: no performance failures)")
        return
    if contract.performance_failures.exists():
        stdout.write(f"  performance failure and improvement plan on {contract.reference}")
        return
    start = contract.start_date
    warned_on = terms.add_months(start, 28)
    # Both entered when the failure ended, the warning a month after it was given.
    with recorded_on(terms.add_months(start, 29)):
        _record_failure(contract, officer, start)
        improvement.improvement_plan_warn(
            contract=contract,
            by=officer,
            warned_on=warned_on,
            must_improve=(
                "Every tenant's support plan reviewed with them at least every six months, "
                "evidenced in the quarterly return."
            ),
            improve_by=terms.add_months(start, 32),
        )
    stdout.write(f"  performance failure and open improvement plan on {contract.reference}")


def _record_failure(contract, officer, start) -> None:
    failures.failure_record(
        contract=contract,
        by=officer,
        obligation=(
            "Service specification 4.2: each tenant's support plan is reviewed with them "
            "every six months."
        ),
        what_happened=(
            "At the quarterly monitoring visit, 5 of the 12 tenants' support plans had not "
            "been reviewed for more than nine months."
        ),
        impact=(
            "Two tenants' support no longer matched their needs: one had not been supported "
            "to attend health appointments."
        ),
        started_on=terms.add_months(start, 27),
        ended_on=terms.add_months(start, 29),
        is_ongoing=False,
        provider_mitigation=(
            "A senior support worker reviewed every overdue plan within six weeks; reviews "
            "are now scheduled in the rota."
        ),
        warning_notices=(
            f"{terms.add_months(start, 28):%-d %B %Y}: warning notice under clause 19.1, "
            "requiring all overdue reviews within 30 days."
        ),
        outcome=FailureOutcome.DAMAGES,
        damages_amount=Decimal("2500.00"),
        outcome_notes="Service credit deducted from the next payment, as clause 19.4 provides.",
    )
