"""A call-off's evaluation criteria: the list with its weight check, and
changing or removing a criterion while the call-off is being prepared."""

from django.urls import reverse

from procurement import change_forms, scoring
from procurement.constants import CallOffStatus
from procurement.models import Criterion
from procurement.services import criteria as criteria_services
from procurement.views.base import MANAGE, VIEW, Page, load
from procurement.views.call_offs import _CallOffForm, _CallOffMixin


def weights_check(criteria) -> dict:
    """The weights' total and, if they cannot be used, what is wrong and
    how to put it right, for the task list and the criteria page."""
    plain = [c.for_scoring() for c in criteria]
    problem = scoring.weights_problem(plain)
    return {
        "total": scoring.weight_total(plain),
        "problem": problem,
        "fix": scoring.weights_fix(plain) if problem else "",
    }


def criteria_url(call_off) -> str:
    return reverse("procurement:criteria", args=[call_off.pk])


class CriteriaView(_CallOffMixin, Page):
    permission_required = VIEW
    template_name = "procurement/criteria.html"

    def get_context_data(self, **kwargs):
        criteria = list(self.call_off.criteria.all())
        user = self.request.user
        return super().get_context_data(
            criteria=criteria,
            weights=weights_check(criteria),
            may_change=user.has_perm(MANAGE) and self.call_off.status == CallOffStatus.DRAFT,
            **kwargs,
        )


class _CriterionForm(_CallOffForm):
    def load_objects(self):
        super().load_objects()
        self.criterion = load(Criterion, self.kwargs["criterion_pk"], call_off=self.call_off)

    def back_url(self):
        return criteria_url(self.call_off)

    def success_url_for(self, result):
        return criteria_url(self.call_off)


class CriterionEditView(_CriterionForm):
    form_class = change_forms.CriterionEditForm
    heading = "Change an evaluation criterion"

    def get_form_kwargs(self):
        c = self.criterion
        initial = {
            "name": c.name,
            "kind": c.kind,
            "weight": c.weight,
            "max_score": c.max_score,
            "descriptors": c.descriptors,
        }
        return {**super().get_form_kwargs(), "initial": initial, "version": c.version}

    def perform(self, data):
        return criteria_services.criterion_edit(
            criterion=self.criterion, by=self.request.user, **data
        )

    def success_message(self, criterion):
        return f"Criterion “{criterion.name}” saved"


class CriterionRemoveView(_CriterionForm):
    form_class = change_forms.CriterionRemoveForm

    @property
    def heading(self):
        return f"Remove “{self.criterion.name}”?"

    @property
    def intro(self):
        return (
            f"Its weight of {scoring.percent(self.criterion.weight)}% comes off the total. "
            "You can add it again while the call-off is being prepared."
        )

    def perform(self, data):
        criteria_services.criterion_remove(criterion=self.criterion, by=self.request.user)
        return self.criterion

    def success_message(self, criterion):
        return f"Criterion “{criterion.name}” removed"
