"""The evaluator's pages: their evaluations, the declaration, scoring each
bid, and checking their answers before submitting."""

from django.urls import reverse

from procurement import forms, selectors
from procurement.constants import CallOffStatus
from procurement.models import Bid, EvaluatorAssignment
from procurement.services import evaluation
from procurement.views.base import SCORE, FormPage, Page, load


class MyEvaluationsView(Page):
    permission_required = SCORE
    template_name = "procurement/my_evaluations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assignments=selectors.my_evaluations(self.request.user), **kwargs
        )


class _AssignmentMixin:
    """Only the evaluator's own assignment: anyone else's is "not found"."""

    permission_required = SCORE

    def load_objects(self):
        self.assignment = load(
            EvaluatorAssignment.objects.select_related("call_off__lot__system"),
            self.kwargs["pk"],
            evaluator=self.request.user,
        )
        self.call_off = self.assignment.call_off

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assignment=self.assignment, call_off=self.call_off, **kwargs
        )


class EvaluationView(_AssignmentMixin, Page):
    """The evaluator's task list for one call-off."""

    template_name = "procurement/evaluation.html"

    def get_context_data(self, **kwargs):
        call_off = self.call_off
        bids = []
        if call_off.status != CallOffStatus.OPEN and self.assignment.has_conflict is False:
            bids = list(call_off.bids.select_related("provider"))
        scored = set(
            selectors.scores_visible_to(self.request.user, call_off)
            .filter(assignment=self.assignment)
            .values_list("bid_id", flat=True)
        )
        expected = evaluation.scored_criteria(call_off).count()
        counts = {}
        for bid_id in self.assignment.scores.values_list("bid_id", flat=True):
            counts[bid_id] = counts.get(bid_id, 0) + 1
        return super().get_context_data(
            bids=[(bid, counts.get(bid.pk, 0) == expected and bid.pk in scored) for bid in bids],
            all_scored=bool(bids) and all(counts.get(b.pk, 0) == expected for b in bids),
            **kwargs,
        )


class _AssignmentForm(_AssignmentMixin, FormPage):
    def caption(self):
        return f"{self.call_off.reference} {self.call_off.title}"

    def back_url(self):
        return reverse("procurement:evaluation", args=[self.assignment.pk])

    def success_url_for(self, result):
        return self.back_url()


class DeclarationView(_AssignmentForm):
    form_class = forms.DeclarationForm
    template_name = "procurement/declaration.html"
    heading = "Declare any conflict of interest"
    intro = "You must declare before you see the bids. If you have a conflict, you cannot score."

    def get_context_data(self, **kwargs):
        from procurement.services.call_offs import bids_sealed

        bidders = []
        if not bids_sealed(self.call_off):
            bidders = [b.provider.legal_name for b in self.call_off.bids.select_related("provider")]
        return super().get_context_data(bidders=bidders, **kwargs)

    def perform(self, data):
        return evaluation.conflict_declare(assignment=self.assignment, by=self.request.user, **data)

    def success_message(self, assignment):
        return "Declaration recorded"


class ScoreBidView(_AssignmentForm):
    form_class = forms.ScoreForm
    heading = "Score this bid"
    template_name = "procurement/score_bid.html"

    def load_objects(self):
        super().load_objects()
        self.bid = load(Bid, self.kwargs["bid_pk"], call_off=self.call_off)

    def get_form_kwargs(self):
        mine = selectors.scores_visible_to(self.request.user, self.call_off).filter(
            assignment=self.assignment, bid=self.bid
        )
        initial = {}
        for score in mine:
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"comment_{score.criterion_id}"] = score.comment
        return {
            **super().get_form_kwargs(),
            "initial": initial,
            "criteria": evaluation.scored_criteria(self.call_off),
        }

    def get_context_data(self, **kwargs):
        contents = None
        if self.assignment.has_conflict is False:
            try:
                contents = selectors.bid_contents(
                    self.bid.pk, call_off=self.call_off, user=self.request.user
                )
            except selectors.BidSealed:
                contents = None
        return super().get_context_data(bid=contents, bid_number=self._number(), **kwargs)

    def _number(self):
        ids = list(self.call_off.bids.order_by("received_at").values_list("pk", flat=True))
        return ids.index(self.bid.pk) + 1

    def form_valid(self, form):
        self.scores = form.scores()
        return super().form_valid(form)

    def perform(self, data):
        return evaluation.scores_save(
            assignment=self.assignment, by=self.request.user, bid=self.bid, scores=self.scores
        )

    def success_message(self, scores):
        return f"Scores for bid {self._number()} saved"


class CheckAnswersView(_AssignmentForm):
    form_class = forms.ConfirmForm
    heading = "Check your scores before submitting"
    template_name = "procurement/check_scores.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": "Submit my scores"}

    def get_context_data(self, **kwargs):
        scores = (
            selectors.scores_visible_to(self.request.user, self.call_off)
            .filter(assignment=self.assignment)
            .select_related("bid", "criterion")
            .order_by("bid__received_at", "criterion__number")
        )
        bid_numbers = {
            pk: n
            for n, pk in enumerate(
                self.call_off.bids.order_by("received_at").values_list("pk", flat=True), start=1
            )
        }
        rows = [(bid_numbers[s.bid_id], s) for s in scores]
        return super().get_context_data(rows=rows, **kwargs)

    def perform(self, data):
        return evaluation.scores_submit(assignment=self.assignment, by=self.request.user)

    def success_message(self, assignment):
        return "Your scores are submitted. Thank you."
