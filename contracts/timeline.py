"""The contract term as segments for the detail page's timeline drawing."""

from dataclasses import dataclass
from datetime import date

from contracts import terms


@dataclass(frozen=True)
class Segment:
    label: str
    start: date
    end: date
    months: int
    state: str  # initial, taken, requested, available, not_taken, cancelled
    state_label: str

    @property
    def width_months(self) -> int:
        # The stylesheet has width classes up to 10 years a period.
        return min(self.months, 120)

    @property
    def css_class(self) -> str:
        return f"app-timeline__segment--{self.state.replace('_', '-')}"


STATE_LABELS = {
    "initial": "Committed",
    "taken": "Taken",
    "requested": "Waiting for a decision",
    "available": "Available",
    "not_recorded": "Deadline passed: decision not recorded",
    "not_taken": "Not taken",
    "cancelled": "Cancelled by early termination",
}


def for_contract(contract, *, today: date) -> list[Segment]:
    term = terms.Term.parse(contract.term)
    start = contract.start_date
    open_request = contract.open_extension
    requested = (
        range(open_request.first_option, open_request.first_option + open_request.options_requested)
        if open_request
        else range(0)
    )
    segments = [
        Segment(
            label="Initial period",
            start=start,
            end=term.initial_end(start),
            months=term.initial_months,
            state="initial",
            state_label=STATE_LABELS["initial"],
        )
    ]
    for number, ((first, last), months) in enumerate(
        zip(term.option_periods(start), term.option_months, strict=True), start=1
    ):
        if number <= contract.options_taken:
            state = "taken"
        elif contract.terminated_on:
            state = "cancelled"
        elif contract.options_closed:
            state = "not_taken"
        elif number in requested:
            state = "requested"
        elif contract.decision_deadline and today > contract.decision_deadline:
            # Imported after its deadline: whether it was taken is unknown.
            state = "not_recorded"
        else:
            state = "available"
        segments.append(
            Segment(
                label=f"Option {number}",
                start=first,
                end=last,
                months=months,
                state=state,
                state_label=STATE_LABELS[state],
            )
        )
    if contract.months_added:
        # Approved contract changes beyond the options (decision 19).
        months = term.months_after(contract.options_taken)
        segments.append(
            Segment(
                label="Extended by contract change",
                start=terms.add_months(start, months),
                end=terms.period_end(start, months + contract.months_added),
                months=contract.months_added,
                state="taken",
                state_label=STATE_LABELS["taken"],
            )
        )
    return segments
