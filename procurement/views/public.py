"""The one page a provider sees: its bid form, reached by the private link
in its invitation. No account: the unguessable token is the key."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views.generic import FormView

from procurement import forms
from procurement.models import Bid, Invitation
from procurement.services import ProcurementError, call_offs


@method_decorator(login_not_required, name="dispatch")
class ProviderBidView(FormView):
    form_class = forms.ProviderBidForm
    template_name = "procurement/provider_bid.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("call_off", "provider"), token=kwargs["token"]
        )
        self.call_off = self.invitation.call_off
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "criteria": self.call_off.criteria.all()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invitation=self.invitation,
            call_off=self.call_off,
            clarifications=self.call_off.clarifications.all(),
            open=call_offs.bids_sealed(self.call_off) and self.call_off.status == "open",
            submitted=Bid.objects.filter(invitation=self.invitation).first(),
            **kwargs,
        )

    def form_valid(self, form):
        document = form.cleaned_data.get("document")
        try:
            call_offs.bid_submit(
                invitation=self.invitation,
                answers=form.answers(),
                price=form.cleaned_data.get("price"),
                documents=[document] if document else [],
            )
        except ProcurementError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request, "Your bid has been received. You can replace it until the deadline."
        )
        return redirect(self.request.path)
