import calendar
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contracts import terms
from contracts.constants import OPEN_EXTENSION_STATUSES, ExtensionStatus
from contracts.models import Contract, ExtensionRequest
from core.models import Organisation, User
from core.roles import Role
from finance.years import FinancialYear
from providers.models import Provider


def monthrange(day):
    return calendar.monthrange(day.year, day.month)[1]


def test_demo_data_loads_one_user_per_role_and_is_idempotent(db, capsys):
    call_command("load_demo_data", allow_production=True)
    first = capsys.readouterr().out
    from contracts.models import ExtensionRequest

    counts = (
        User.objects.count(),
        Provider.objects.count(),
        Organisation.objects.count(),
        ExtensionRequest.objects.count(),
    )
    call_command("load_demo_data", allow_production=True)
    assert (
        User.objects.count(),
        Provider.objects.count(),
        Organisation.objects.count(),
        ExtensionRequest.objects.count(),
    ) == counts

    for role in Role:
        assert User.objects.filter(groups__name=role.label).count() == 1, role
    manager = User.objects.get(groups__name=Role.APPROVING_MANAGER.label)
    assert manager.delegated_authority_limit > 0
    assert "password: " in first
    assert Organisation.objects.filter(name="Sefton Council").exists()
    assert Provider.objects.filter(companies_house_number="03229746").exists()
    mainstream = Contract.objects.get(reference="ILSS-2019-01")
    assert mainstream.whole_life_value == 3442628
    assert Contract.objects.get(reference="ILSS-2019-02").whole_life_value == 2545445


def test_demo_password_signs_in(db, client):
    from core.demo import DEMO_PASSWORD

    call_command("load_demo_data", allow_production=True)
    response = client.post(
        "/sign-in/", {"username": "commissioning.officer", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_demo_data_is_refused_with_debug_off(db):
    with pytest.raises(CommandError, match="published password"):
        call_command("load_demo_data")
    assert not User.objects.exists()


# Two days the demo is loaded on, in different months, seasons and years.
DEMO_DAYS = ["2026-12-02 09:00 +00:00", "2029-06-17 09:00 +01:00"]


def _load(time_machine, day):
    time_machine.move_to(day, tick=False)
    call_command("load_demo_data", allow_production=True, stdout=StringIO())
    return timezone.localdate()


def _live(today):
    from contracts.selectors import status_expression

    return set(
        Contract.objects.annotate(status=status_expression(today))
        .filter(status__in=["live", "in_extension", "ending"])
        .values_list("reference", flat=True)
    )


@pytest.mark.parametrize("day", DEMO_DAYS)
def test_the_demo_looks_like_a_register_on_the_day_it_is_loaded(db, time_machine, day):
    from contracts.selectors_due import audience_for, decisions_due
    from performance.models import MonitoringReturn
    from procurement.models import EvaluatorAssignment

    today = _load(time_machine, day)
    papers = {"ILSS-2019-01", "ILSS-2019-02", "SEFTON-SL-2020-01"}
    assert papers <= _live(today)

    # An extension decision due this month, that nobody has asked for yet,
    # on its owner's Decisions due.
    due = Contract.objects.get(reference="ILSS-2019-02")
    assert today <= due.decision_deadline <= today.replace(day=monthrange(today)), due
    assert not due.extensions.filter(status__in=OPEN_EXTENSION_STATUSES).exists()
    decisions = decisions_due(audience_for(due.owner), today=today)["decisions"]
    assert "ILSS-2019-02" in [row["contract__reference"] for row in decisions]

    # A request a week old, waiting for the approving manager.
    [waiting] = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
    assert waiting.contract.reference == "ILSS-2019-01"
    assert timezone.localdate(waiting.requested_at) == today - timedelta(days=7)
    manager = User.objects.get(username="approving.manager")
    assert manager.has_perm("contracts.decide_extension")
    assert waiting.contract.service_area in set(
        manager.managed_service_areas.values_list("service_area", flat=True)
    )

    # A monitoring return overdue, on its owner's Decisions due.
    overdue = MonitoringReturn.objects.filter(status="due", due_date__lt=today)
    assert overdue.filter(contract=due).exists()
    returns = decisions_due(audience_for(due.owner), today=today)["returns"]
    assert [r["contract__reference"] for r in returns if r["is_overdue"]] == ["ILSS-2019-02"]

    # An evaluation in progress, with the evaluator's scores to enter.
    [assignment] = EvaluatorAssignment.objects.filter(
        evaluator__username="evaluator", submitted_at=None, has_conflict=False
    )
    assert assignment.declared_at is not None
    assert assignment.call_off.status == "evaluation"
    assert assignment.call_off.bids.count() == 3
    assert not assignment.scores.exists()


@pytest.mark.parametrize("day", DEMO_DAYS)
def test_the_papers_figures_stay_exact_whatever_the_day(db, time_machine, day):
    from finance.models import Recommissioning
    from finance.selectors import recommissioning_summary

    today = _load(time_machine, day)
    mainstream = Contract.objects.get(reference="ILSS-2019-01")
    whole_life = Contract.objects.get(reference="ILSS-2019-02")
    for contract, annual, total in (
        (mainstream, "491804.00", 3442628),
        (whole_life, "363635.00", 2545445),
    ):
        assert contract.term == "3+2+2"
        assert contract.annual_value == Decimal(annual)
        assert contract.whole_life_value == total
        assert contract.start_date.day == 1
        assert contract.options_taken == 1
        assert terms.period_end(contract.start_date, 84) == contract.max_end_date
    sefton = Contract.objects.get(reference="SEFTON-SL-2020-01")
    assert (sefton.term, sefton.options_taken) == ("3+1+1", 1)

    summary = recommissioning_summary(Recommissioning.objects.get(slug="ilss-2019"))
    assert summary.summary.current_total == Decimal("950488")
    assert summary.summary.proposed_total == Decimal("855439")
    assert summary.summary.whole_life_total == Decimal("5988073")
    assert summary.summary.saving_total == Decimal("95049")
    # The baseline is the financial year before the contracts start, as
    # 2018/19 was before 1 July 2019.
    start_year = FinancialYear.of(mainstream.start_date).start_year
    assert summary.recommissioning.baseline_year == FinancialYear(start_year - 1).label
    assert summary.recommissioning.start_date == mainstream.start_date
    assert mainstream.start_date <= today <= mainstream.current_end_date


@pytest.mark.parametrize("day", DEMO_DAYS[:1])
def test_every_demo_contract_has_its_provider(db, time_machine, day):
    _load(time_machine, day)
    assert Contract.objects.exists()
    assert list(Contract.objects.filter(provider=None).values_list("reference", flat=True)) == []
    papers = Contract.objects.filter(reference__regex=r"^(ILSS|SEFTON)-")
    assert {c.provider.legal_name.split()[0] for c in papers} == {"Demonstration"}


@pytest.mark.parametrize("day", DEMO_DAYS[1:])
def test_history_entries_carry_the_dates_of_the_decisions_they_record(db, time_machine, day):
    from performance.models import Review

    today = _load(time_machine, day)
    approved = ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED)
    assert approved.count() == 3
    for request in approved:
        decided_on = timezone.localdate(request.decided_at)
        assert decided_on < today - timedelta(days=180)
        # The first option's deadline less a week, as the story has it.
        contract = request.contract
        end = terms.period_end(contract.start_date, 36)
        assert decided_on == terms.months_before(end, 3) - timedelta(weeks=1)
        records = request.history.order_by("history_date", "history_id")
        assert timezone.localdate(records.first().history_date) == decided_on - timedelta(weeks=5)
        assert records.last().history_date == request.decided_at
        [exercised] = contract.history.filter(
            history_change_reason__startswith="Extension approved"
        )
        assert exercised.history_date == request.decided_at
        added = contract.history.get(history_type="+")
        assert timezone.localdate(added.history_date) == contract.start_date - timedelta(days=30)
    for review in Review.objects.all():
        [record] = review.history.filter(history_type="+")
        assert timezone.localdate(record.history_date) == review.reviewed_on
    # Nothing in a contract's history is dated after the day it was loaded.
    assert not Contract.history.filter(history_date__date__gt=today).exists()


def test_loading_again_on_a_later_day_adds_nothing_keeps_the_dates_and_says_so(db, time_machine):
    _load(time_machine, DEMO_DAYS[0])
    before = list(Contract.objects.order_by("pk").values_list("reference", "start_date"))
    requests = ExtensionRequest.objects.count()
    time_machine.move_to("2027-09-20 09:00 +01:00", tick=False)
    out = StringIO()
    call_command("load_demo_data", allow_production=True, stdout=out)
    assert "loaded for another day" in out.getvalue()
    assert list(Contract.objects.order_by("pk").values_list("reference", "start_date")) == before
    assert ExtensionRequest.objects.count() == requests


def test_the_demo_loads_on_sqlite_as_scripts_run_loads_it_with_links_to_its_address(tmp_path):
    """scripts/run's path: the local settings, SQLite, emails printed with
    links to the address it serves (SITE_URL, which scripts/run sets)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SITE_URL": "http://127.0.0.1:8123",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    manage("migrate", "--noinput", "--verbosity", "0")
    out = manage("load_demo_data")
    assert "Demo data loaded" in out
    # The demo's waiting extension request emails its approving manager.
    assert "Open it: http://127.0.0.1:8123/contracts/" in out
