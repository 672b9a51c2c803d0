"""What each kind of record is searched by: its references (matched whole,
and ranked first when typed exactly), its names and its text.

Only a record's own columns are searched: a record is never found by
another's words (a call-off by a sealed bid, say). On PostgreSQL these
columns are copied, as a tsvector, into search.Document by triggers
(migrations/0001); on SQLite they are searched where they are.
"""

from dataclasses import dataclass

# English stemming: "supporting" finds "supported living". References are
# codes; the English parser splits them the same way in record and query.
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

    def columns_sql(self, row: str = "") -> dict[str, str]:
        """SQL for a search.Document's columns from a row of this record's
        table: `row` is "NEW." in the trigger, "" when filling the table.
        References and names weigh most (A), text less (B)."""

        def joined(columns):
            parts = [f"coalesce({row}{column}::text, '')" for column in columns]
            return " || ' ' || ".join(parts) or "''"

        references = " || '|' || ".join(
            f"upper(coalesce({row}{column}::text, ''))" for column in self.references
        )
        named = joined((*self.references, *self.names))
        return {
            "references": f"'|' || {references} || '|'",
            "name": f"lower(coalesce({row}{self.sort_name}::text, ''))",
            "document": (
                f"setweight(to_tsvector('{CONFIG}', {named}), 'A') || "
                f"setweight(to_tsvector('{CONFIG}', {joined(self.texts)}), 'B')"
            ),
        }

    @property
    def searched_columns(self) -> tuple[str, ...]:
        return (*self.references, *self.names, *self.texts)


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
