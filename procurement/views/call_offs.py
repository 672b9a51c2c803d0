"""Call-offs: the procurement team's task list, criteria, invitations,
clarifications, sealed bids, moderation and results (approval and award are
in procurement.views.award)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.pdf import render_pdf
from procurement import forms, scoring, selectors
from procurement.constants import CallOffStatus
from procurement.models import Bid, CallOff, EvaluatorAssignment
from procurement.services import ProcurementError, call_offs, cancel, evaluation
from procurement.views.base import (
    APPROVE,
    MANAGE,
    SEALED,
    VIEW,
    FormPage,
    LotFormPage,
    Page,
    load,
)
from procurement.views.base import refused as _refused


def awarded_message(call_off) -> str:
    return (
        f"Awarded to {call_off.awarded_provider}: {call_off.contract.reference} is in the register"
    )


def _call_off(pk):
    return load(
        CallOff.objects.select_related(
            "lot__system", "contract", "awarded_provider", "cancelled_by"
        ),
        pk,
    )


class CallOffCreateView(LotFormPage):
    form_class = forms.CallOffForm
    heading = "Create a call-off"

    def perform(self, data):
        return call_offs.call_off_create(lot=self.lot, by=self.request.user, **data)

    def success_message(self, call_off):
        return f"{call_off.reference} created"


class _CallOffMixin:
    def load_objects(self):
        self.call_off = _call_off(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(call_off=self.call_off, **kwargs)


class CallOffDetailView(_CallOffMixin, Page):
    permission_required = VIEW
    template_name = "procurement/call_off_detail.html"

    def get_context_data(self, **kwargs):
        call_off = self.call_off
        sealed = call_offs.bids_sealed(call_off)
        criteria = list(call_off.criteria.all())
        evaluators = selectors.call_off_evaluators(call_off)
        outstanding = evaluation.outstanding_among(evaluators)
        return super().get_context_data(
            criteria=criteria,
            weight_total=sum((c.weight for c in criteria), 0),
            invitations=[
                (i, next((c.email for c in i.provider.contacts.all() if c.is_main_contact), ""))
                for i in call_off.invitations.select_related("provider").prefetch_related(
                    "provider__contacts"
                )
            ],
            clarifications=call_off.clarifications.all(),
            sealed=sealed,
            receipts=selectors.bid_receipts(call_off) if sealed else None,
            bids=None if sealed else call_off.bids.select_related("provider"),
            evaluators=evaluators,
            outstanding=outstanding,
            site_url=settings.SITE_URL.rstrip("/"),
            tasks=_tasks(call_off, self.request.user, criteria, sealed, evaluators, outstanding),
            may_cancel=cancel.call_off_may_be_cancelled(call_off),
            **kwargs,
        )


def _tasks(call_off, user, criteria, sealed, evaluators, outstanding) -> list[dict]:
    """The mini-competition as a GOV.UK task list: each step, whether it is
    done, and a link while it can be worked on by this user."""
    manage = user.has_perm(MANAGE)
    status = call_off.status
    draft, opened = status == CallOffStatus.DRAFT, status != CallOffStatus.DRAFT
    weights = sum((c.weight for c in criteria), 0)
    # Shown while preparing, with the way to fix it, not only at invitation.
    plain = [c.for_scoring() for c in criteria]
    problem = scoring.weights_problem(plain) if criteria and draft else None
    criteria_todo = "Incomplete" if criteria else "Not yet started"
    evaluating = status == CallOffStatus.EVALUATION
    has_evaluators = bool(evaluators)
    moderated = evaluating and has_evaluators and not outstanding
    url = lambda name: reverse(f"procurement:{name}", args=[call_off.pk])  # noqa: E731

    def task(name, done, *, href=None, hint="", todo="Not yet started", can=True, tag=None):
        if done:
            return {"name": name, "status": "Completed", "tag": "", "hint": hint}
        return {
            "name": name,
            "href": href if can else None,
            "hint": hint,
            "status": todo,
            "tag": tag or ("blue" if can and href else "grey"),
        }

    return [
        task(
            "Set the evaluation criteria",
            opened,
            href=url("criteria"),
            hint=f"{problem} {scoring.weights_fix(plain)}"
            if problem
            else f"Weights so far: {scoring.percent(weights)}% of 100%",
            todo="There is a problem" if problem else criteria_todo,
            tag="red" if problem else None,
            can=manage and draft,
        ),
        task(
            "Invite every admitted provider",
            opened,
            href=url("call_off_open"),
            hint="Fix the evaluation criteria first" if problem else "",
            todo="Cannot start yet" if problem else "Not yet started",
            can=manage and draft and weights == 100 and not problem,
        ),
        task(
            "Answer clarification questions",
            status not in (CallOffStatus.DRAFT, CallOffStatus.OPEN),
            href=url("clarification_create"),
            hint="Shared with every invited provider",
            todo="Optional",
            can=manage and status == CallOffStatus.OPEN,
        ),
        task(
            "Receive bids until the deadline",
            opened and not sealed,
            hint="Sealed: nobody can open them before the deadline",
            todo="Open" if status == CallOffStatus.OPEN else "Not yet started",
        ),
        task(
            "Add evaluators",
            has_evaluators,
            href=url("evaluator_add"),
            can=manage and not call_off.is_locked,
        ),
        task(
            "Start the evaluation",
            status not in (CallOffStatus.DRAFT, CallOffStatus.OPEN),
            href=url("evaluation_start"),
            can=manage and status == CallOffStatus.OPEN and not sealed,
        ),
        task(
            "Evaluators score independently",
            moderated or call_off.is_locked,
            hint=f"{len(outstanding)} still to declare or submit" if evaluating else "",
            todo="In progress" if evaluating else "Not yet started",
        ),
        task(
            "Moderate and agree consensus scores",
            call_off.is_locked,
            href=url("results"),
            can=moderated,
            todo="Ready" if moderated else "Not yet started",
        ),
        task(
            "Approve the results",
            call_off.is_locked,
            href=url("results_approve"),
            can=moderated and user.has_perm(APPROVE),
            todo="Not yet started",
        ),
        task(
            "Award the contract",
            status == CallOffStatus.AWARDED,
            href=url("award"),
            can=manage and status == CallOffStatus.APPROVED,
        ),
    ]


class _CallOffForm(_CallOffMixin, FormPage):
    permission_required = MANAGE

    def caption(self):
        return f"{self.call_off.reference} {self.call_off.title}"

    def back_url(self):
        return self.call_off.get_absolute_url()

    def success_url_for(self, result):
        return self.call_off.get_absolute_url()


class CriterionCreateView(_CallOffForm):
    form_class = forms.CriterionForm
    heading = "Add an evaluation criterion"
    intro = "Sefton weighs quality 95% and social value 5%, with the price set by the council."

    def perform(self, data):
        return call_offs.criterion_add(call_off=self.call_off, by=self.request.user, **data)

    def success_message(self, criterion):
        return f"Criterion “{criterion.name}” added"


class _ConfirmView(_CallOffForm):
    form_class = forms.ConfirmForm
    submit_label = "Continue"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": self.submit_label}


class CallOffOpenView(_ConfirmView):
    heading = "Invite bids"
    submit_label = "Invite every admitted provider"
    intro = (
        "Every provider admitted to the lot is invited and sent its link to the bid form. "
        "The criteria and deadline can no longer change."
    )

    def perform(self, data):
        invitations = call_offs.call_off_open(call_off=self.call_off, by=self.request.user)
        from core.notify import email_queue

        for invitation in invitations:
            contact = invitation.provider.contacts.filter(is_main_contact=True).first()
            if contact and contact.email:
                email_queue(
                    subject=f"Invitation to bid: {self.call_off.reference} {self.call_off.title}",
                    body=render_to_string(
                        "procurement/email/invitation.txt",
                        {
                            "invitation": invitation,
                            "call_off": self.call_off,
                            "url": settings.SITE_URL.rstrip("/")
                            + reverse("procurement:provider_bid", args=[invitation.token]),
                        },
                    ),
                    to=[contact.email],
                )
        return invitations

    def success_message(self, invitations):
        return f"{len(invitations)} providers invited to bid"


class ClarificationCreateView(_CallOffForm):
    form_class = forms.ClarificationForm
    heading = "Publish a clarification"
    intro = "Every invited provider sees the question and answer, never one provider alone."

    def perform(self, data):
        return call_offs.clarification_publish(call_off=self.call_off, by=self.request.user, **data)

    def success_message(self, clarification):
        return "Clarification published to every invited provider"


class DirectAwardView(_CallOffForm):
    form_class = forms.DirectAwardForm
    heading = "Award directly"

    def get_form_kwargs(self):
        providers = call_offs.admitted_providers(self.call_off.lot)
        owners = call_offs.contract_owners()
        return {**super().get_form_kwargs(), "providers": providers, "owners": owners}

    def perform(self, data):
        return call_offs.direct_award(call_off=self.call_off, by=self.request.user, **data)

    def success_message(self, call_off):
        return awarded_message(call_off)


class EvaluationStartView(_ConfirmView):
    heading = "Start the evaluation"
    submit_label = "Open the bids and start the evaluation"
    intro = "The deadline has passed: the bids can be opened. Every opening is logged."

    def perform(self, data):
        return call_offs.evaluation_start(call_off=self.call_off, by=self.request.user)

    def success_message(self, call_off):
        return "Evaluation started"


class EvaluatorAddView(_CallOffForm):
    form_class = forms.EvaluatorForm
    heading = "Add an evaluator"

    def perform(self, data):
        return evaluation.evaluator_assign(call_off=self.call_off, by=self.request.user, **data)

    def success_message(self, assignment):
        return f"{assignment.evaluator.get_full_name()} added as an evaluator"


class BidDetailView(_CallOffMixin, Page):
    """A bid's contents for the procurement team and approvers: after the
    deadline only, and logged. Evaluators read bids on their scoring pages."""

    template_name = "procurement/bid_detail.html"

    def has_permission(self):
        return self.request.user.has_perm(MANAGE) or self.request.user.has_perm(APPROVE)

    def get(self, request, *args, **kwargs):
        try:
            call_offs.check_not_conflicted(self.call_off, request.user)
        except ProcurementError as exc:
            return _refused(self.request, str(exc))
        try:
            self.bid = selectors.bid_contents(
                self.kwargs["bid_pk"], call_off=self.call_off, user=request.user
            )
        except selectors.BidSealed:
            response = self.render_to_response(self.get_context_data(sealed=True))
            response.status_code = 403
            return response
        except Bid.DoesNotExist as exc:
            raise Http404 from exc
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        bid = getattr(self, "bid", None)
        accesses = bid.accesses.select_related("user")[:50] if bid else []
        return super().get_context_data(bid=bid, accesses=accesses, **kwargs)


class BidDocumentView(_CallOffMixin, Page):
    """Download a bid's document: after the deadline, for the procurement
    team, approvers and the call-off's own evaluators without a conflict;
    logged like any opening of the bid."""

    def has_permission(self):
        user = self.request.user
        if user.has_perm(MANAGE) or user.has_perm(APPROVE):
            return True
        return (
            user.has_perm("procurement.score_bids")
            and EvaluatorAssignment.objects.filter(
                call_off_id=self.kwargs["pk"], evaluator=user, has_conflict=False
            ).exists()
        )

    def get(self, request, *args, **kwargs):
        from django.http import FileResponse

        try:
            call_offs.check_not_conflicted(self.call_off, request.user)
            bid = selectors.bid_contents(
                self.kwargs["bid_pk"], call_off=self.call_off, user=request.user
            )
        except ProcurementError as exc:
            return _refused(request, str(exc))
        except selectors.BidSealed:
            return _refused(request, SEALED)
        except Bid.DoesNotExist as exc:
            raise Http404 from exc
        document = next((d for d in bid.documents.all() if d.pk == self.kwargs["doc_pk"]), None)
        if document is None:
            raise Http404
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


class ModerationView(_CallOffForm):
    form_class = forms.ConsensusForm
    heading = "Moderation"
    template_name = "procurement/moderation.html"

    def load_objects(self):
        super().load_objects()
        self.bid = load(
            Bid.objects.select_related("provider"), self.kwargs["bid_pk"], call_off=self.call_off
        )

    def caption(self):
        return f"{self.call_off.reference}: {self.bid.provider}"

    def _refusal(self):
        # Checked before anything is rendered: the caption names the bidder.
        if call_offs.bids_sealed(self.call_off):
            return _refused(self.request, SEALED)
        try:
            call_offs.check_not_conflicted(self.call_off, self.request.user)
        except ProcurementError as exc:
            return _refused(self.request, str(exc))
        return None

    def get(self, request, *args, **kwargs):
        return self._refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        criteria = evaluation.scored_criteria(self.call_off)
        initial = {}
        for row in self.bid.consensus.all():
            initial[f"score_{row.criterion_id}"] = row.score
            initial[f"comment_{row.criterion_id}"] = row.rationale
        return {**super().get_form_kwargs(), "criteria": criteria, "initial": initial}

    def get_context_data(self, **kwargs):
        scores = (
            selectors.scores_visible_to(self.request.user, self.call_off)
            .filter(bid=self.bid)
            .select_related("assignment__evaluator", "criterion")
        )
        by_criterion = {}
        for score in scores:
            by_criterion.setdefault(score.criterion, []).append(score)
        return super().get_context_data(
            bid=self.bid,
            evaluator_scores=by_criterion,
            outstanding=evaluation.evaluators_outstanding(self.call_off),
            **kwargs,
        )

    def form_valid(self, form):
        self.scores = form.scores()
        return super().form_valid(form)

    def perform(self, data):
        from django.db import transaction

        with transaction.atomic():
            for criterion, (score, rationale) in self.scores.items():
                evaluation.consensus_record(
                    bid=self.bid,
                    criterion=criterion,
                    by=self.request.user,
                    score=score,
                    rationale=rationale,
                )
        return self.bid

    def success_message(self, bid):
        return f"Consensus scores for {bid.provider} saved"


def _results_refusal(request, call_off):
    if _still_scoring(call_off, request.user):
        return _refused(request, "You can see the results once you have submitted your scores.")
    # A price-only call-off is ranked without any consensus score, so its
    # results would name the bidders before the deadline. Evaluation starts
    # only after it.
    if call_off.status in (CallOffStatus.DRAFT, CallOffStatus.OPEN):
        return _refused(request, "There are no results until the evaluation starts.")
    return None


def _still_scoring(call_off, user) -> bool:
    """An evaluator who has not submitted sees no consensus or results."""
    return (
        call_off.evaluators.filter(evaluator=user, submitted_at=None)
        .exclude(has_conflict=True)
        .exists()
    )


class ResultsView(_CallOffMixin, Page):
    permission_required = VIEW
    template_name = "procurement/results.html"

    def get(self, request, *args, **kwargs):
        return _results_refusal(request, self.call_off) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(results=selectors.results(self.call_off), **kwargs)


class ResultsPdfView(_CallOffMixin, Page):
    permission_required = VIEW

    def get(self, request, *args, **kwargs):
        if refusal := _results_refusal(request, self.call_off):
            return refusal
        html = render_to_string(
            "procurement/results_pdf.html",
            {
                "call_off": self.call_off,
                "results": selectors.results(self.call_off),
                "council_name": settings.COUNCIL_NAME,
                "printed_at": timezone.localtime(),
            },
        )
        pdf = render_pdf(html)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.call_off.reference}-results.pdf"'
        )
        return response
