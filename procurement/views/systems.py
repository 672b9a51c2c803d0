"""Purchasing systems, lots, windows, questions, applications and admission."""

from django.urls import reverse

from procurement import forms, selectors
from procurement.models import Admission, Application, PurchasingSystem
from procurement.services import systems
from procurement.views.base import MANAGE, VIEW, FormPage, Page, load


class SystemListView(Page):
    permission_required = VIEW
    template_name = "procurement/system_list.html"

    def get_context_data(self, **kwargs):
        from procurement.models import CarePackage

        recent = CarePackage.objects.select_related("lot").order_by("-created_at")[:10]
        return super().get_context_data(systems=selectors.system_list(), packages=recent, **kwargs)


class SystemCreateView(FormPage):
    permission_required = MANAGE
    form_class = forms.SystemForm
    heading = "Add a purchasing system"

    def back_url(self):
        return reverse("procurement:system_list")

    def perform(self, data):
        return systems.system_create(by=self.request.user, **data)

    def success_message(self, system):
        return f"{system.reference} added"


REPROCURE_PAGE_SIZE = 50


class SystemDetailView(Page):
    permission_required = VIEW
    template_name = "procurement/system_detail.html"

    def load_objects(self):
        from django.http import Http404

        try:
            self.system = selectors.system_detail(self.kwargs["pk"])
        except PurchasingSystem.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        # A large council has hundreds of contracts in a service area: a page
        # of them at a time, like the register.
        paginator = Paginator(selectors.for_reprocurement(self.system), REPROCURE_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            system=self.system,
            reprocure=page.object_list,
            reprocure_count=paginator.count,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            **kwargs,
        )


class _SystemForm(FormPage):
    permission_required = MANAGE

    def load_objects(self):
        self.system = load(PurchasingSystem, self.kwargs["pk"])

    def caption(self):
        return str(self.system)

    def back_url(self):
        return self.system.get_absolute_url()

    def success_url_for(self, result):
        return self.system.get_absolute_url()


class LotCreateView(_SystemForm):
    form_class = forms.LotForm
    heading = "Add a lot"

    def perform(self, data):
        return systems.lot_add(system=self.system, by=self.request.user, **data)

    def success_message(self, lot):
        return f"Lot “{lot.name}” added"


class WindowCreateView(_SystemForm):
    form_class = forms.WindowForm
    heading = "Open the system for applications"
    intro = "Purchasing systems are reopened from time to time for new providers to apply."

    def perform(self, data):
        return systems.window_open(system=self.system, by=self.request.user, **data)

    def success_message(self, window):
        return f"Open for applications {window}"


class QuestionCreateView(_SystemForm):
    form_class = forms.QuestionForm
    heading = "Add a selection question"
    intro = "Selection questions are pass or fail: an application that fails one is not admitted."

    def perform(self, data):
        return systems.question_add(system=self.system, by=self.request.user, **data)

    def success_message(self, question):
        return f"Question {question.number} added"


class ApplicationCreateView(_SystemForm):
    form_class = forms.ApplicationForm
    heading = "Record an application"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "system": self.system}

    def form_valid(self, form):
        self.answers = form.answers()
        return super().form_valid(form)

    def perform(self, data):
        return systems.application_record(
            system=self.system,
            by=self.request.user,
            provider=data["provider"],
            lots=data["lots"],
            received_on=data["received_on"],
            answers=self.answers,
        )

    def success_message(self, application):
        return f"Application from {application.provider} recorded"

    def success_url_for(self, application):
        return application.get_absolute_url()


class ApplicationDetailView(Page):
    permission_required = VIEW
    template_name = "procurement/application_detail.html"

    def load_objects(self):
        self.application = load(
            Application.objects.select_related("system", "provider", "window"),
            self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        application = self.application
        return super().get_context_data(
            application=application,
            answers=application.answers.select_related("question"),
            admissions=application.admissions.select_related("lot", "decided_by"),
            **kwargs,
        )


class ApplicationAnswersView(FormPage):
    permission_required = MANAGE
    form_class = forms.AnswersForm
    heading = "Update the answers after clarification"

    def load_objects(self):
        self.application = load(
            Application.objects.select_related("provider", "system"), self.kwargs["pk"]
        )

    def caption(self):
        return f"Application from {self.application.provider}"

    def back_url(self):
        return self.application.get_absolute_url()

    def get_form_kwargs(self):
        application = self.application
        return {
            **super().get_form_kwargs(),
            "application": application,
            "version": application.version,
        }

    def form_valid(self, form):
        self.answers = form.answers()
        return super().form_valid(form)

    def perform(self, data):
        return systems.application_answers_update(
            application=self.application,
            by=self.request.user,
            answers=self.answers,
            version=data["version"],
        )

    def success_message(self, application):
        return "Answers updated"


class AdmissionDecideView(FormPage):
    permission_required = MANAGE
    form_class = forms.AdmissionForm
    heading = "Decide on admission"

    def load_objects(self):
        self.admission = load(
            Admission.objects.select_related("lot", "provider", "application"), self.kwargs["pk"]
        )

    def caption(self):
        return f"{self.admission.provider} – {self.admission.lot}"

    def back_url(self):
        return self.admission.application.get_absolute_url()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "admission": self.admission}

    def perform(self, data):
        return systems.admission_decide(admission=self.admission, by=self.request.user, **data)

    def success_message(self, admission):
        return f"{admission.provider}: {admission.get_status_display().lower()} on {admission.lot}"

    def success_url_for(self, admission):
        return admission.application.get_absolute_url()
