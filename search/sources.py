"""What each kind of record is searched by: its references (matched whole,
and ranked first when typed exactly), its names and its text.

The same expressions build the PostgreSQL indexes (migrations/0001) and the
queries (search.selectors), so the planner sees one expression in both and
uses the index; tests/search/test_postgres_index.py checks that it does.
Only a record's own columns are searched: a join would put the match out of
the index's reach, and would let one record be found by another's words
(a call-off by a sealed bid, say).
"""

from dataclasses import dataclass

# English stemming: "supporting" finds "supported living". References are
# codes; the English parser splits them the same way in record and query,
# and an exact reference is matched on its column besides (search.selectors).
CONFIG = "english"


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    plural: str
    model: str  # app_label.ModelName
    references: tuple[str, ...]
    names: tuple[str, ...]
    texts: tuple[str, ...]
    # The column results of equal rank are ordered by.
    sort_name: str

    @property
    def index_name(self) -> str:
        return f"search_{self.kind}_vector"

    def vector(self):
        """The record's search vector: references and names weigh most (A),
        text less (B)."""
        from django.contrib.postgres.search import SearchVector

        vector = SearchVector(*self.references, *self.names, config=CONFIG, weight="A")
        if self.texts:
            vector = vector + SearchVector(*self.texts, config=CONFIG, weight="B")
        return vector


CONTRACT = Source(
    kind="contract",
    label="Contract",
    plural="Contracts",
    model="contracts.Contract",
    references=("reference",),
    names=("title",),
    texts=("description",),
    sort_name="title",
)
PROVIDER = Source(
    kind="provider",
    label="Provider",
    plural="Providers",
    model="providers.Provider",
    # A provider's references are its registrations: what an officer copies
    # from a letter or the CQC register.
    references=("companies_house_number", "charity_number", "cqc_provider_id"),
    names=("legal_name", "trading_name"),
    texts=("town", "postcode"),
    sort_name="legal_name",
)
SYSTEM = Source(
    kind="system",
    label="Purchasing system",
    plural="Purchasing systems",
    model="procurement.PurchasingSystem",
    references=("reference",),
    names=("name",),
    texts=("description",),
    sort_name="name",
)
CALL_OFF = Source(
    kind="call_off",
    label="Call-off",
    plural="Call-offs",
    model="procurement.CallOff",
    references=("reference",),
    names=("title",),
    texts=("description",),
    sort_name="title",
)
# A package has a reference, never the person's name (procurement.models).
PACKAGE = Source(
    kind="package",
    label="Care package",
    plural="Care packages",
    model="procurement.CarePackage",
    references=("reference",),
    names=(),
    texts=("outcomes",),
    sort_name="reference",
)

SOURCES = (CONTRACT, PROVIDER, SYSTEM, CALL_OFF, PACKAGE)
BY_KIND = {source.kind: source for source in SOURCES}
