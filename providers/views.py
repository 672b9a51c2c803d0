from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.permissions import PermissionRequired
from core.service_views import ServiceFormView
from providers import selectors, services
from providers.filters import ProviderFilter
from providers.forms import ConfirmRemoveForm, ProviderContactForm, ProviderForm
from providers.models import Provider, ProviderContact


class ProviderListView(PermissionRequired, FilterView):
    permission_required = "providers.view_provider"
    filterset_class = ProviderFilter
    template_name = "providers/provider_list.html"
    paginate_by = 25
    # An empty filter form lists everything rather than nothing.
    strict = False


class ProviderDetailView(PermissionRequired, DetailView):
    permission_required = "providers.view_provider"
    template_name = "providers/provider_detail.html"
    context_object_name = "provider"

    def get_object(self, queryset=None):
        try:
            return selectors.provider_with_contacts(self.kwargs["pk"])
        except Provider.DoesNotExist as exc:
            raise Http404("No such provider") from exc


class ProviderHistoryView(PermissionRequired, DetailView):
    permission_required = "providers.view_provider"
    template_name = "providers/provider_history.html"
    context_object_name = "provider"
    model = Provider

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=selectors.provider_history(self.object), **kwargs)


class ProviderCreateView(ServiceFormView):
    permission_required = "providers.add_provider"
    form_class = ProviderForm
    template_name = "providers/provider_form.html"

    def perform(self, data):
        return services.provider_create(by=self.request.user, **data)

    def success_message(self, provider):
        return f"{provider.legal_name} added"


class ProviderUpdateView(ServiceFormView):
    permission_required = "providers.change_provider"
    form_class = ProviderForm
    template_name = "providers/provider_form.html"

    def load_objects(self):
        self.provider = get_object_or_404(Provider, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        # The form gets its own copy: validation writes to its instance, and a
        # refused save must not show the unsaved name in the page heading.
        instance = Provider.objects.get(pk=self.provider.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(provider=self.provider, **kwargs)

    def perform(self, data):
        return services.provider_update(provider=self.provider, by=self.request.user, **data)

    def success_message(self, provider):
        return f"{provider.legal_name} updated"


class _ContactMixin:
    def load_objects(self):
        self.provider = get_object_or_404(Provider, pk=self.kwargs["pk"])
        if "contact_pk" in self.kwargs:
            self.contact = get_object_or_404(
                ProviderContact, pk=self.kwargs["contact_pk"], provider=self.provider
            )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            provider=self.provider, contact=getattr(self, "contact", None), **kwargs
        )

    def success_url_for(self, obj):
        return self.provider.get_absolute_url()


class ContactCreateView(_ContactMixin, ServiceFormView):
    permission_required = "providers.add_providercontact"
    form_class = ProviderContactForm
    template_name = "providers/contact_form.html"

    def perform(self, data):
        return services.contact_create(provider=self.provider, by=self.request.user, **data)

    def success_message(self, contact):
        main = ", and is now the main contact" if contact.is_main_contact else ""
        return f"{contact.name} added as a contact{main}"


class ContactUpdateView(_ContactMixin, ServiceFormView):
    permission_required = "providers.change_providercontact"
    form_class = ProviderContactForm
    template_name = "providers/contact_form.html"

    def get_form_kwargs(self):
        instance = ProviderContact.objects.get(pk=self.contact.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def perform(self, data):
        return services.contact_update(contact=self.contact, by=self.request.user, **data)

    def success_message(self, contact):
        main = ": now the main contact" if contact.is_main_contact else ""
        return f"{contact.name} updated{main}"


class ContactRemoveView(_ContactMixin, ServiceFormView):
    permission_required = "providers.delete_providercontact"
    form_class = ConfirmRemoveForm
    template_name = "providers/contact_remove.html"

    def perform(self, data):
        name = self.contact.name
        services.contact_remove(contact=self.contact, by=self.request.user)
        return name

    def success_message(self, name):
        return f"{name} removed as a contact"
