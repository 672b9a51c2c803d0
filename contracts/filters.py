import django_filters
from django.db.models import Q
from django.utils import timezone

from contracts import terms
from contracts.constants import ContractStatus, ServiceArea
from contracts.forms import ContractFilterForm
from contracts.models import Contract
from contracts.selectors import status_filter
from core.models import User
from core.roles import Role
from providers.models import Provider

VALUE_BANDS = {
    "under_100k": ("Under £100,000", None, 100_000),
    "100k_500k": ("£100,000 to £500,000", 100_000, 500_000),
    "500k_1m": ("£500,000 to £1 million", 500_000, 1_000_000),
    "over_1m": ("Over £1 million", 1_000_000, None),
}


def owner_choices() -> list[tuple[str, str]]:
    # Plain pairs from one query: a model choice field would open a
    # server-side cursor on every page view.
    officers = (
        User.objects.filter(groups__name=Role.COMMISSIONING_OFFICER.label, is_active=True)
        .order_by("last_name", "first_name")
        .values_list("pk", "first_name", "last_name", "username")
    )
    return [
        (str(pk), f"{first} {last}".strip() or username) for pk, first, last, username in officers
    ]


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Reference, title or provider"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=ContractStatus.choices,
        empty_label="Any status",
        method="with_status",
    )
    service_area = django_filters.ChoiceFilter(
        label="Service area", choices=ServiceArea.choices, empty_label="Any service area"
    )
    # Text, not a list: a council's provider list runs to thousands.
    provider = django_filters.CharFilter(
        label="Provider",
        method="by_provider",
        help_text="Name or Companies House number",
    )
    owner = django_filters.ChoiceFilter(
        label="Contract owner", choices=owner_choices, empty_label="Anyone", method="by_owner"
    )
    ending_within = django_filters.ChoiceFilter(
        label="Ending within",
        choices=[("3", "3 months"), ("6", "6 months"), ("12", "12 months"), ("24", "24 months")],
        method="ending_within_months",
        empty_label="Any time",
    )
    value_band = django_filters.ChoiceFilter(
        label="Annual value",
        choices=[(k, v[0]) for k, v in VALUE_BANDS.items()],
        method="in_value_band",
        empty_label="Any value",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[
            ("reference", "Reference"),
            ("end", "Current end date (soonest first)"),
            ("-value", "Annual value (highest first)"),
            ("title", "Title"),
        ],
        empty_label=None,
        method="sort_by",
    )

    class Meta:
        model = Contract
        fields = []
        form = ContractFilterForm

    def with_status(self, queryset, name, value):
        return queryset.filter(status_filter(value, timezone.localdate()))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(provider__legal_name__icontains=value)
        )

    def by_provider(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        squashed = "".join(value.split()).upper()
        providers = Provider.objects.filter(
            Q(legal_name__icontains=value)
            | Q(trading_name__icontains=value)
            | Q(companies_house_number=squashed)
        ).values("pk")
        shared = Contract.additional_providers.through.objects.filter(
            provider__in=providers
        ).values("contract_id")
        return queryset.filter(Q(provider__in=providers) | Q(pk__in=shared))

    def by_owner(self, queryset, name, value):
        return queryset.filter(owner_id=value)

    def ending_within_months(self, queryset, name, months):
        today = timezone.localdate()
        return queryset.filter(
            current_end_date__gte=today,
            current_end_date__lte=terms.add_months(today, int(months)),
        )

    def in_value_band(self, queryset, name, band):
        _, low, high = VALUE_BANDS[band]
        if low is not None:
            queryset = queryset.filter(annual_value__gte=low)
        if high is not None:
            queryset = queryset.filter(annual_value__lt=high)
        return queryset

    def sort_by(self, queryset, name, value):
        order = {
            "reference": ["reference"],
            "end": ["current_end_date", "reference"],
            "-value": ["-annual_value", "reference"],
            "title": ["title", "reference"],
        }[value]
        return queryset.order_by(*order)
