"""Everything a contract's value over time is worked out from, in one text
the database keeps (Contract.value_inputs, decision 26).

Finance stores each contract's commitment by year with the inputs it was
worked out from, and the budget page compares them for every contract it
adds up, so that a change made any way at all (a service, an import, the
admin, raw SQL) is noticed. Compared column by column, that check cost the
page more than the sums it guards; one text kept by the database as the
columns change costs a fraction of that, and still sees every change,
including to the value schedule contract changes write.
"""

from django.db.models import F, Func, TextField

# The contract's own columns the value over time depends on (contracts.terms
# and contracts.changes): its term, dates and decisions, its value and
# uplift, its funding split, and what approved changes did to them.
VALUE_INPUTS = (
    "start_date",
    "term",
    "options_taken",
    "terminated_on",
    "decision_deadline",
    "annual_value",
    "uplift_percent",
    "council_share_percent",
    "icb_share_percent",
    "other_share_percent",
    "change_schedule",
    "months_added",
)
_DATES = {"start_date", "terminated_on", "decision_deadline"}


class ValueInputs(Func):
    """The inputs joined with "|" into one text. On PostgreSQL a generated
    column may use only immutable functions, so dates are written as days
    since 2000 (a date's text depends on the DateStyle setting), and what is
    kept is the 64-bit hash of that text, in hexadecimal: every page that
    reads the register reads this column's width. A change whose hash came
    out the same would go unnoticed; the odds are one in 2**64 a change. A
    different hash for the same inputs (a new PostgreSQL version hashing
    differently, say) only works those commitments out again. SQLite, for
    development, keeps the text itself: it has no hash function."""

    def __init__(self):
        super().__init__(*(F(name) for name in VALUE_INPUTS), output_field=TextField())

    def _join(self, compiler, connection, as_text):
        parts, params = [], []
        for name, expression in zip(VALUE_INPUTS, self.source_expressions, strict=True):
            sql, more = compiler.compile(expression)
            parts.append(f"COALESCE({as_text(name, sql)}, '')")
            params.extend(more)
        return "(" + " || '|' || ".join(parts) + ")", params

    def as_sql(self, compiler, connection, **extra_context):
        return self._join(compiler, connection, lambda name, sql: f"CAST({sql} AS TEXT)")

    def as_postgresql(self, compiler, connection, **extra_context):
        def as_text(name, sql):
            if name in _DATES:
                return f"({sql} - DATE '2000-01-01')::text"
            if name == "change_schedule":
                return f"md5({sql})"
            return f"({sql})::text"

        sql, params = self._join(compiler, connection, as_text)
        return f"to_hex(hashtextextended({sql}, 0))", params
