"""Purchasing systems, their lots, windows and questions; applications and
admission decisions."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import concurrency
from procurement.constants import AdmissionStatus
from procurement.models import (
    Admission,
    Application,
    ApplicationAnswer,
    ApplicationWindow,
    Lot,
    PurchasingSystem,
    SelectionQuestion,
)
from procurement.services import ProcurementError


def system_create(
    *, by, reference, name, kind, service_area, starts_on, ends_on, description=""
) -> PurchasingSystem:
    if ends_on <= starts_on:
        raise ProcurementError("The system must end after it starts.", field="ends_on")
    if PurchasingSystem.objects.filter(reference=reference).exists():
        raise ProcurementError(f"{reference} is already in use.", field="reference")
    return PurchasingSystem.objects.create(
        reference=reference,
        name=name,
        kind=kind,
        service_area=service_area,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        created_by=by,
    )


def lot_add(*, system: PurchasingSystem, by, name, description="") -> Lot:
    if system.lots.filter(name__iexact=name).exists():
        raise ProcurementError(f"{system.reference} already has a lot called {name}.", field="name")
    return Lot.objects.create(system=system, name=name, description=description)


def window_open(
    *, system: PurchasingSystem, by, opens_on: date, closes_on: date, note=""
) -> ApplicationWindow:
    if closes_on < opens_on:
        raise ProcurementError("The window must close on or after it opens.", field="closes_on")
    if not system.starts_on <= opens_on <= system.ends_on:
        raise ProcurementError(
            f"The window must open while the system runs ({system.starts_on:%-d %B %Y} to "
            f"{system.ends_on:%-d %B %Y}).",
            field="opens_on",
        )
    overlapping = system.windows.filter(opens_on__lte=closes_on, closes_on__gte=opens_on)
    if overlapping.exists():
        raise ProcurementError(f"This overlaps the window {overlapping.first()}.", field="opens_on")
    return ApplicationWindow.objects.create(
        system=system, opens_on=opens_on, closes_on=closes_on, note=note
    )


def question_add(*, system: PurchasingSystem, by, text, guidance="") -> SelectionQuestion:
    number = system.questions.order_by("-number").values_list("number", flat=True).first() or 0
    return SelectionQuestion.objects.create(
        system=system, number=number + 1, text=text, guidance=guidance
    )


@transaction.atomic
def application_record(
    *, system: PurchasingSystem, by, provider, lots, received_on: date, answers: dict
) -> Application:
    """Record a provider's application to some lots, with a pass or fail and
    the evidence for every selection question. `answers` maps each question
    to (passed, evidence)."""
    window = system.windows.filter(opens_on__lte=received_on, closes_on__gte=received_on).first()
    if window is None:
        raise ProcurementError(
            f"{system.reference} was not open to applications on {received_on:%-d %B %Y}.",
            field="received_on",
        )
    lots = list(lots)
    if not lots:
        raise ProcurementError("Choose at least one lot.", field="lots")
    if any(lot.system_id != system.pk for lot in lots):
        raise ProcurementError("A lot chosen is not part of this system.", field="lots")
    questions = list(system.questions.all())
    missing = [q for q in questions if q not in answers]
    if missing:
        raise ProcurementError(f"Answer question {missing[0].number}.")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                system=system,
                provider=provider,
                window=window,
                received_on=received_on,
                recorded_by=by,
            )
    except IntegrityError as exc:
        raise ProcurementError(
            f"{provider} has already applied in the window {window}.", field="provider"
        ) from exc
    # With history, so an answer changed after a clarification keeps the first.
    bulk_create_with_history(
        [
            ApplicationAnswer(
                application=application, question=q, passed=answers[q][0], evidence=answers[q][1]
            )
            for q in questions
        ],
        ApplicationAnswer,
    )
    bulk_create_with_history(
        [Admission(application=application, lot=lot, provider=provider) for lot in lots],
        Admission,
    )
    return application


# Each decision and the standings it may be made from. Reinstating a
# suspended provider is admitting them again.
DECISIONS = {
    AdmissionStatus.ADMITTED: (
        AdmissionStatus.PENDING,
        AdmissionStatus.CLARIFICATION,
        AdmissionStatus.SUSPENDED,
    ),
    AdmissionStatus.REJECTED: (AdmissionStatus.PENDING, AdmissionStatus.CLARIFICATION),
    AdmissionStatus.CLARIFICATION: (AdmissionStatus.PENDING,),
    AdmissionStatus.SUSPENDED: (AdmissionStatus.ADMITTED,),
    AdmissionStatus.REMOVED: (AdmissionStatus.ADMITTED, AdmissionStatus.SUSPENDED),
}


@transaction.atomic
def admission_decide(*, admission: Admission, by, status: str, reason: str = "") -> Admission:
    """Admit, reject (with a reason), ask for clarification, suspend or
    remove (with a reason) a provider on one lot."""
    admission = Admission.objects.select_for_update().get(pk=admission.pk)
    allowed_from = DECISIONS.get(status)
    if allowed_from is None:
        raise ProcurementError("Choose a decision.", field="status")
    if admission.status not in allowed_from:
        raise ProcurementError(
            f"{admission.provider} is {admission.get_status_display().lower()} on "
            f"{admission.lot}: it cannot be {AdmissionStatus(status).label.lower()} now."
        )
    if status != AdmissionStatus.ADMITTED and not reason.strip():
        raise ProcurementError("Give the reason for this decision.", field="reason")
    if status == AdmissionStatus.ADMITTED:
        answers = admission.application.answers.all()
        failed = [a.question.number for a in answers if not a.passed]
        if failed:
            raise ProcurementError(
                "The application failed selection question "
                + ", ".join(str(n) for n in failed)
                + ": it cannot be admitted.",
                field="status",
            )
    admission.status, admission.reason = status, reason.strip()
    admission.decided_by, admission.decided_at = by, timezone.now()
    admission._change_reason = f"{AdmissionStatus(status).label} by {by}"[:100]
    try:
        with transaction.atomic():
            admission.save()
    except IntegrityError as exc:
        raise ProcurementError(f"{admission.provider} is already admitted to this lot.") from exc
    return admission


@transaction.atomic
def application_answers_update(
    *, application: Application, by, answers: dict, version: int | None = None
) -> Application:
    """Re-record answers after a clarification, while a lot is still
    undecided; the earlier answers stay in the history. `version` is the
    application's as the page showed it: answers re-recorded since by
    somebody else are not overwritten."""
    application = concurrency.lock(Application.objects, pk=application.pk, version=version)
    undecided = (AdmissionStatus.PENDING, AdmissionStatus.CLARIFICATION)
    if not application.admissions.filter(status__in=undecided).exists():
        raise ProcurementError("Every lot has been decided: the answers can no longer change.")
    for answer in application.answers.select_related("question"):
        if answer.question in answers:
            answer.passed, answer.evidence = answers[answer.question]
            answer._change_reason = f"Updated by {by} after clarification"[:100]
            answer.save()
    # The answers are the application's: a new version of it, which names
    # who re-recorded them if a page opened before is refused.
    application._history_user = by
    application._change_reason = "Answers updated after clarification"
    concurrency.save_next_version(application)
    return application
