import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from core.models import User
from core.roles import Role
from providers.models import Provider, ProviderContact
from tests.randomness import decorated

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            role = Role(extracted)
            self.groups.add(Group.objects.get(name=role.label))
            if role is Role.ADMINISTRATOR:
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    legal_name = factory.Sequence(lambda n: decorated(f"Supported Living Provider {n} Ltd"))
    town = "Bootle"
    postcode = "L20 7AE"


class ProviderContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderContact

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Faker("email")


class ContractFactory(factory.django.DjangoModelFactory):
    """Contracts made through the service, so derived dates and values are set."""

    class Meta:
        model = "contracts.Contract"

    reference = factory.Sequence(lambda n: f"CON-{n:05d}")
    title = factory.LazyFunction(lambda: decorated("Supported living services"))
    service_area = "supported_living"
    provider = factory.SubFactory(ProviderFactory)
    start_date = datetime.date(2024, 4, 1)
    term = "3+1+1"
    annual_value = Decimal("100000.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from contracts.services import contract_create

        return contract_create(by=None, **kwargs)


def add_approved_changes(contract, n: int = 10, *, raised_by=None, decided_by=None):
    """Approve `n` contract changes on a live contract through the services
    (so its value schedule, derived values and history are a real one's):
    +£1,000 on the annual value a month from its second month. `decided_by`
    must be an approving manager with enough delegated authority; by default
    one is made with £10m (a benchmark removes it with remove_users)."""
    from contracts import terms
    from contracts.services import changes

    if decided_by is None:
        decided_by = UserFactory(
            role=Role.APPROVING_MANAGER, delegated_authority_limit=Decimal("10000000")
        )
    value = contract.annual_value
    for month in range(1, n + 1):
        value += Decimal("1000.00")
        change = changes.change_raise(
            contract=contract,
            by=raised_by,
            reason="price_review",
            explanation=f"Price review {month}",
            effective_from=terms.add_months(contract.start_date, month),
            new_annual_value=value,
        )
        changes.change_approve(change=change, by=decided_by, reason="Within the budget")
    contract.refresh_from_db()
    return contract


def contract_with_changes(n: int = 10, *, raised_by=None, decided_by=None, **contract_fields):
    """A live contract (ContractFactory) with `n` approved contract changes."""
    contract = ContractFactory(**contract_fields)
    return add_approved_changes(contract, n, raised_by=raised_by, decided_by=decided_by)


# The smallest file a PDF reader opens: what core.filetypes takes for a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document uploaded through the service, so its file is checked,
    hashed and stored as a real upload is: DocumentFactory(contract=c,
    by=officer, attached_to=a_return, filename="letter.pdf", content=...)."""

    class Meta:
        model = "documents.Document"

    contract = factory.SubFactory(ContractFactory)
    by = None
    kind = "evidence"
    title = factory.Sequence(lambda n: decorated(f"Evidence {n}"))
    attached_to = None
    filename = "evidence.pdf"
    content = PDF_BYTES

    @classmethod
    def _create(cls, model_class, *args, filename, content, **kwargs):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from documents.services import document_upload

        return document_upload(upload=SimpleUploadedFile(filename, content), **kwargs)
