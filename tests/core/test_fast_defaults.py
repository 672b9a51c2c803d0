"""No table keeps a column's default as a PostgreSQL "fast default": every
scan of the table then reads rows on a slow path (the register's COUNT(*)
took four times as long). A migration that adds a column with a default must
be followed by a step running
core.fast_defaults.rewrite_columns_with_fast_defaults, as
core/migrations/0004_rewrite_fast_defaults.py does."""

from core.fast_defaults import columns_with_fast_defaults

OUR_APPS = ("contracts_", "core_", "finance_", "procurement_", "providers_")


def test_no_table_of_ours_keeps_a_fast_default_after_migrating(postgresql):
    ours = [c for c in columns_with_fast_defaults(postgresql) if c[0].startswith(OUR_APPS)]
    assert ours == []
