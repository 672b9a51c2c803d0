import django_filters
from django import forms
from django.db.models import Q

from providers.forms import ProviderFilterForm
from providers.models import Provider


class ProviderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text="Name, trading name, Companies House, charity or CQC number",
    )
    sme = django_filters.BooleanFilter(
        label="SME only", method="only_true", field_name="is_sme", widget=forms.CheckboxInput
    )
    vcse = django_filters.BooleanFilter(
        label="VCSE only", method="only_true", field_name="is_vcse", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[("name", "Name (A to Z)"), ("-updated", "Most recently changed")],
        empty_label=None,
        method="sort_by",
    )

    class Meta:
        model = Provider
        fields = []
        form = ProviderFilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        squashed = "".join(value.split()).upper()
        return queryset.filter(
            Q(legal_name__icontains=value)
            | Q(trading_name__icontains=value)
            | Q(companies_house_number=squashed)
            | Q(charity_number=squashed)
            | Q(cqc_provider_id=squashed)
        )

    def sort_by(self, queryset, name, value):
        return queryset.order_by("-updated_at") if value == "-updated" else queryset

    def only_true(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset
