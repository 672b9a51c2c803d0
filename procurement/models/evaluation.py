"""Evaluation: evaluators' independent scores, their conflict declarations,
and the moderated consensus the results are built from."""

from django.conf import settings
from django.db import models

from core.audit import AuditTrail


class EvaluatorAssignment(models.Model):
    call_off = models.ForeignKey(
        "procurement.CallOff", on_delete=models.CASCADE, related_name="evaluators"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    # None until declared; an evaluator with a conflict cannot score.
    has_conflict = models.BooleanField(null=True)
    conflict_statement = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["call_off", "evaluator__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "evaluator"], name="evaluator_once")
        ]

    def __str__(self):
        return f"{self.evaluator} on {self.call_off.reference}"

    @property
    def may_score(self) -> bool:
        return self.has_conflict is False and self.submitted_at is None


class Score(models.Model):
    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    bid = models.ForeignKey("procurement.Bid", on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(
        "procurement.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    history = AuditTrail()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "bid", "criterion"], name="one_score_per_evaluator"
            )
        ]

    def __str__(self):
        return f"{self.score} on criterion {self.criterion_id}"


class ConsensusScore(models.Model):
    """The moderated score for a bid on a criterion, with the rationale."""

    bid = models.ForeignKey("procurement.Bid", on_delete=models.PROTECT, related_name="consensus")
    criterion = models.ForeignKey(
        "procurement.Criterion", on_delete=models.PROTECT, related_name="consensus"
    )
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(auto_now=True)

    history = AuditTrail()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_consensus_score")
        ]

    def __str__(self):
        return f"Consensus {self.score} on criterion {self.criterion_id}"
