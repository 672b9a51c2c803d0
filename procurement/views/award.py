"""Approving the results and awarding a mini-competition. The approve page
shows the results it approves; the award asks its questions, shows every
answer on a check-your-answers page and awards only from that page's
button; then each bidder's letter, as a PDF."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from procurement import forms_award, letters, scoring, selectors
from procurement.constants import CallOffRoute, CallOffStatus
from procurement.models import Bid
from procurement.services import ProcurementError, award, evaluation
from procurement.services.call_offs import contract_owners
from procurement.views.base import APPROVE, MANAGE, Page
from procurement.views.call_offs import (
    _CallOffForm,
    _CallOffMixin,
    _ConfirmView,
    _results_refusal,
    awarded_message,
)


def score_table(results) -> list[dict]:
    """Each ranked bid with its moderated score on every criterion (price
    shows its points: it is scored from the prices, not moderated)."""
    table = []
    for row in results.rows:
        scores = results.scores.get(row.bid.pk, {})
        cells = [
            f"{row.points[scoring.PRICE]} points"
            if criterion.kind == scoring.PRICE
            else f"{scores.get(criterion.pk)} of {criterion.max_score}"
            for criterion in results.criteria
        ]
        table.append({"row": row, "cells": cells})
    return table


def _first(results) -> list:
    return [row for row in results.rows if row.rank == 1]


class ResultsApproveView(_ConfirmView):
    permission_required = APPROVE
    heading = "Approve the results"
    submit_label = "Approve and lock the results"
    intro = "Once approved, no score or consensus can change."
    template_name = "procurement/results_approve.html"

    def get(self, request, *args, **kwargs):
        return _results_refusal(request, self.call_off) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return _results_refusal(request, self.call_off) or super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        results = selectors.results(self.call_off)
        return super().get_context_data(
            results=results, score_table=score_table(results), first=_first(results), **kwargs
        )

    def perform(self, data):
        return evaluation.results_approve(call_off=self.call_off, by=self.request.user)

    def success_message(self, call_off):
        return "Results approved and locked"

    def success_url_for(self, result):
        return reverse("procurement:results", args=[self.call_off.pk])


def _session_key(call_off) -> str:
    return f"procurement.award.{call_off.pk}"


def _stored_answers(request, call_off) -> dict | None:
    """The award's answers kept between the question page and the check
    page, as award_plan takes them."""
    stored = request.session.get(_session_key(call_off))
    if not stored:
        return None
    bid = stored["bid"] and Bid.objects.filter(pk=stored["bid"], call_off=call_off).first()
    return {
        "bid": bid or None,
        "owner": contract_owners().filter(pk=stored["owner"]).first(),
        "start_date": date.fromisoformat(stored["start_date"]),
        "standstill_applies": stored["standstill_applies"],
        "standstill_days": stored["standstill_days"],
        "no_standstill_reason": stored["no_standstill_reason"],
    }


def _store_answers(request, call_off, answers: dict) -> None:
    request.session[_session_key(call_off)] = {
        "bid": answers["bid"].pk if answers["bid"] else None,
        "owner": answers["owner"].pk,
        "start_date": answers["start_date"].isoformat(),
        "standstill_applies": answers["standstill_applies"],
        "standstill_days": answers["standstill_days"],
        "no_standstill_reason": answers["no_standstill_reason"],
    }


class AwardView(_CallOffForm):
    """The award's questions. Nothing is awarded here: valid answers go to
    the check-your-answers page."""

    form_class = forms_award.AwardForm
    heading = "Award the contract"

    def get_form_kwargs(self):
        # Bids sharing first place are named in the form: only once the
        # results are approved (so after the deadline), when one may award.
        approved = self.call_off.status == CallOffStatus.APPROVED
        first = [row.bid for row in _first(selectors.results(self.call_off))] if approved else []
        return {**super().get_form_kwargs(), "first": first, "owners": contract_owners()}

    def get_initial(self):
        stored = _stored_answers(self.request, self.call_off)
        if stored is None:
            return {"start_date": self.call_off.start_date, "standstill_days": 8}
        applies = stored["standstill_applies"]
        return {
            **stored,
            "bid": stored["bid"].pk if stored["bid"] else None,
            "standstill_applies": forms_award.YES if applies else forms_award.NO,
        }

    def form_valid(self, form):
        answers = form.answers()
        try:
            award.award_plan(call_off=self.call_off, by=self.request.user, **answers)
        except ProcurementError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        _store_answers(self.request, self.call_off, answers)
        return redirect("procurement:award_check", self.call_off.pk)


class AwardCheckView(_CallOffMixin, Page):
    """Check your answers: the winner, the scores, value, term, start date,
    owner and standstill, each with a Change link; the award is made only by
    this page's button."""

    permission_required = MANAGE
    template_name = "procurement/award_check.html"

    def _plan(self):
        answers = _stored_answers(self.request, self.call_off)
        if answers is None:
            return None, None
        return answers, award.award_plan(call_off=self.call_off, by=self.request.user, **answers)

    def _back_to_questions(self, message=None):
        if message:
            messages.warning(self.request, message)
        return redirect("procurement:award", self.call_off.pk)

    def get(self, request, *args, **kwargs):
        try:
            _answers, plan = self._plan()
        except ProcurementError as exc:
            return self._back_to_questions(str(exc))
        if plan is None:
            return self._back_to_questions()
        return self.render_to_response(self.get_context_data(plan=plan))

    def post(self, request, *args, **kwargs):
        try:
            answers, plan = self._plan()
            if plan is None:
                return self._back_to_questions()
            call_off = award.call_off_award(call_off=self.call_off, by=request.user, **answers)
        except ProcurementError as exc:
            return self._back_to_questions(str(exc))
        request.session.pop(_session_key(call_off), None)
        messages.success(request, awarded_message(call_off))
        return redirect("procurement:award_letters", call_off.pk)

    def get_context_data(self, **kwargs):
        plan = kwargs["plan"]
        return super().get_context_data(
            results=plan.results,
            score_table=score_table(plan.results),
            tied=len(_first(plan.results)) > 1,
            change_url=reverse("procurement:award", args=[self.call_off.pk]),
            **kwargs,
        )


class _LettersMixin(_CallOffMixin):
    """A mini-competition's letters exist once it is awarded: before that
    there is nothing to find."""

    def has_permission(self):
        return self.request.user.has_perm(MANAGE) or self.request.user.has_perm(APPROVE)

    def summaries(self):
        call_off = self.call_off
        awarded = call_off.status == CallOffStatus.AWARDED and call_off.awarded_at is not None
        if not awarded or call_off.route != CallOffRoute.MINI_COMPETITION:
            raise Http404("No letters: the call-off has not been awarded after a competition.")
        return letters.assessment_summaries(call_off)


class AwardLettersView(_LettersMixin, Page):
    template_name = "procurement/award_letters.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(summaries=self.summaries(), **kwargs)


class AwardLetterPdfView(_LettersMixin, Page):
    def get(self, request, *args, **kwargs):
        summary = next((s for s in self.summaries() if s.bid_pk == self.kwargs["bid_pk"]), None)
        if summary is None:
            raise Http404
        response = HttpResponse(letters.letter_pdf(summary), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.call_off.reference}-letter-{summary.bid_pk}.pdf"'
        )
        return response
