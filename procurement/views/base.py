from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from core.permissions import PermissionRequired
from core.service_views import ServiceFormView

VIEW = "procurement.view_purchasingsystem"
MANAGE = "procurement.manage_procurement"
SCORE = "procurement.score_bids"
APPROVE = "procurement.approve_results"
SEALED = "Nobody can open a bid before the deadline."


def refused(request, message):
    """403 with the reason, and nothing of what is refused."""
    from django.shortcuts import render

    return render(request, "403.html", {"reason": message}, status=403)


class Page(PermissionRequired, TemplateView):
    """A page about objects named in the URL (`load_objects`)."""


class FormPage(ServiceFormView):
    """A form handed to a service, on the shared procurement form page.
    Subclasses set `heading` and may set `caption`, `intro` and `back_url`."""

    template_name = "procurement/form.html"
    heading = ""
    intro = ""

    def caption(self):
        return ""

    def back_url(self):
        return ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            caption=self.caption(),
            intro=self.intro,
            back_url=self.back_url(),
            **kwargs,
        )


def load(model, pk, **filters):
    return get_object_or_404(model, pk=pk, **filters)


class LotFormPage(FormPage):
    """A form about one lot of a purchasing system (a call-off, a package)."""

    permission_required = MANAGE

    def load_objects(self):
        from procurement.models import Lot

        self.lot = load(Lot.objects.select_related("system"), self.kwargs["pk"])

    def caption(self):
        return f"{self.lot.system.reference} – {self.lot}"

    def back_url(self):
        return self.lot.system.get_absolute_url()
