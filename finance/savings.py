"""Savings against baselines: current services and their funding in a
stated year, replaced by new services. Plain Python.

The ILSS recommissioning (2019): Sixty Plus ILSS (£357,148) and PSI HIV
ILSS (£189,301) are replaced by the Mainstream ASC ILSS (£491,804 p.a.),
saving £54,645; LD ILSS (£404,039) by the Whole Life disability ILSS
(£363,635), saving £40,404; the two Mental Health ILSS are excluded from the
totals, to be considered in the Mental Health review. Totals: current
£950,488, proposed £855,439, whole life £5,988,073, saving £95,049 p.a.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


class SavingsError(ValueError):
    pass


@dataclass(frozen=True)
class Baseline:
    name: str
    annual: Decimal
    year: str = "2018/19"
    # Why the service is left out of the totals, if it is.
    excluded_reason: str = ""

    @property
    def included(self) -> bool:
        return not self.excluded_reason


@dataclass(frozen=True)
class NewService:
    name: str
    annual: Decimal  # maximum value per year
    whole_life: Decimal
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """One new service and what it replaces, as a row of the summary."""

    service: NewService
    baselines: tuple[Baseline, ...]
    current: Decimal
    saving: Decimal


@dataclass(frozen=True)
class Summary:
    lines: tuple[Line, ...]
    excluded: tuple[Baseline, ...]
    current_total: Decimal
    proposed_total: Decimal
    whole_life_total: Decimal
    saving_total: Decimal
    unmatched: tuple[Baseline, ...] = field(default=())


def summarise(baselines: Iterable[Baseline], services: Iterable[NewService]) -> Summary:
    baselines = list(baselines)
    by_name = {b.name: b for b in baselines}
    if len(by_name) != len(baselines):
        raise SavingsError("Two baseline services have the same name.")
    used: set[str] = set()
    lines = []
    for service in services:
        replaced = []
        for name in service.replaces:
            if name not in by_name:
                raise SavingsError(f"{service.name} replaces {name}, which is not a baseline.")
            if name in used:
                raise SavingsError(f"{name} is replaced by more than one new service.")
            if not by_name[name].included:
                raise SavingsError(f"{name} is excluded from the totals, so nothing replaces it.")
            used.add(name)
            replaced.append(by_name[name])
        current = sum((b.annual for b in replaced), Decimal(0))
        lines.append(Line(service, tuple(replaced), current, current - service.annual))
    included = [b for b in baselines if b.included]
    current_total = sum((b.annual for b in included), Decimal(0))
    proposed_total = sum((line.service.annual for line in lines), Decimal(0))
    return Summary(
        lines=tuple(lines),
        excluded=tuple(b for b in baselines if not b.included),
        current_total=current_total,
        proposed_total=proposed_total,
        whole_life_total=sum((line.service.whole_life for line in lines), Decimal(0)),
        saving_total=current_total - proposed_total,
        unmatched=tuple(b for b in included if b.name not in used),
    )
