"""Care-package call-offs: advertise, record bids, panel, meet and greet,
the person's choice, award."""

from django.urls import reverse

from procurement import forms, forms_award, selectors
from procurement.models import CarePackage, PackageBid
from procurement.services import call_offs, cancel, packages
from procurement.views.base import (
    MANAGE,
    SEALED,
    VIEW,
    FormPage,
    LotFormPage,
    Page,
    load,
    refused,
)


class PackageCreateView(LotFormPage):
    form_class = forms.PackageForm
    heading = "Advertise a care package"

    def perform(self, data):
        return packages.package_advertise(lot=self.lot, by=self.request.user, **data)

    def success_message(self, package):
        return f"{package.reference} advertised to the providers admitted to {self.lot}"


class PackageDetailView(Page):
    permission_required = VIEW
    template_name = "procurement/package_detail.html"

    def load_objects(self):
        self.package = load(
            CarePackage.objects.select_related(
                "lot__system", "chosen_bid__provider", "contract", "cancelled_by"
            ),
            self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        sealed = packages.bids_sealed(self.package)
        replaced = []
        if sealed:
            # Before the deadline only arrival times are fetched, not contents.
            bids = self.package.bids.only("pk", "received_at", "package_id")
        else:
            bids, replaced = selectors.package_bids(self.package)
        return super().get_context_data(
            package=self.package,
            bids=bids,
            replaced=replaced,
            sealed=sealed,
            may_cancel=cancel.package_may_be_cancelled(self.package),
            **kwargs,
        )


class _PackageForm(FormPage):
    permission_required = MANAGE

    def load_objects(self):
        self.package = load(CarePackage.objects.select_related("lot__system"), self.kwargs["pk"])

    def caption(self):
        return self.package.reference

    def back_url(self):
        return self.package.get_absolute_url()

    def success_url_for(self, result):
        return self.package.get_absolute_url()


class PackageBidCreateView(_PackageForm):
    form_class = forms.PackageBidForm
    heading = "Record a bid"

    def get_form_kwargs(self):
        providers = call_offs.admitted_providers(self.package.lot)
        return {**super().get_form_kwargs(), "providers": providers}

    def perform(self, data):
        return packages.package_bid_record(package=self.package, by=self.request.user, **data)

    def success_message(self, bid):
        # The same words whether or not the provider had bid before: the
        # officer recording a bid learns nothing of the others.
        return f"Bid from {bid.provider} recorded"


class _PackageBidForm(_PackageForm):
    def load_objects(self):
        self.bid = load(
            PackageBid.objects.select_related("package__lot__system", "provider"), self.kwargs["pk"]
        )
        self.package = self.bid.package

    def caption(self):
        return f"{self.package.reference}: {self.bid.provider}"

    def _refusal(self):
        # Before anything is rendered: the caption names the bidder.
        if packages.bids_sealed(self.package):
            return refused(self.request, SEALED)
        return None

    def get(self, request, *args, **kwargs):
        return self._refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal() or super().post(request, *args, **kwargs)


class PanelView(_PackageBidForm):
    form_class = forms.PanelForm
    heading = "Panel evaluation"

    def perform(self, data):
        return packages.package_panel_decide(bid=self.bid, by=self.request.user, **data)

    def success_message(self, bid):
        return f"{bid.provider} {'shortlisted' if bid.shortlisted else 'not shortlisted'}"


class MeetAndGreetView(_PackageBidForm):
    form_class = forms.MeetAndGreetForm
    heading = "Meet and greet"

    def perform(self, data):
        return packages.meet_and_greet_record(bid=self.bid, by=self.request.user, **data)

    def success_message(self, bid):
        return f"Meet and greet with {bid.provider} recorded"


class ChoiceView(_PackageForm):
    form_class = forms.ChoiceForm
    heading = "Record the final choice"
    intro = "The person, their family or their advocate makes the final decision."

    def get_form_kwargs(self):
        bids = self.package.bids.filter(shortlisted=True).select_related("provider")
        return {**super().get_form_kwargs(), "bids": bids}

    def perform(self, data):
        return packages.package_choice_record(package=self.package, by=self.request.user, **data)

    def success_message(self, package):
        return f"{package.chosen_bid.provider} chosen by {package.chosen_by}"


class PackageAwardView(_PackageForm):
    form_class = forms_award.PackageAwardForm
    heading = "Award the package"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owners": call_offs.contract_owners()}

    def perform(self, data):
        return packages.package_award(package=self.package, by=self.request.user, **data)

    def success_message(self, package):
        return f"{package.reference} awarded: the contract is in the register"

    def success_url_for(self, package):
        return reverse("contracts:detail", args=[package.contract.pk])
