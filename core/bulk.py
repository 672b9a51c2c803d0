"""Adding many rows at once with PostgreSQL's COPY, for imports.

Django's bulk_create spends most of an import preparing each value and
PostgreSQL parsing them back out of arrays; COPY streams the rows in
PostgreSQL's own format. Primary keys are taken from the table's sequence
first, so history rows can point at the new rows. Other databases fall back
to bulk_create.
"""

from operator import attrgetter, itemgetter

from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from core.audit import AuthorNameField

# Fields whose Python value psycopg sends as the column takes it: for these,
# get_db_prep_save (most of the time of a bulk insert) changes nothing.
_PLAIN = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.EmailField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
}


def _sequence_values(connection, model, count: int) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _is_plain(field) -> bool:
    if field.is_relation:
        return type(field.target_field) in _PLAIN
    return type(field) in _PLAIN


def _copy(connection, model, fields, rows) -> None:
    """COPY rows whose values are in the order of `fields`."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # wrap_database_errors: a duplicate key is Django's IntegrityError, as
    # from bulk_create.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_insert(model, objs: list) -> list:
    """Insert unsaved instances of `model`, setting their primary keys, as
    bulk_create does (no save(), no signals). Call inside a transaction."""
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objs, batch_size=1000)
    for obj, pk in zip(objs, _sequence_values(connection, model, len(objs)), strict=True):
        obj.pk = pk
        # As bulk_create does: a foreign key to a row saved since it was
        # assigned takes that row's new id.
        obj._prepare_related_fields_for_save(operation_name="copy_insert")
    plain, prepared = [], []
    for field in model._meta.concrete_fields:
        if field.generated:
            continue  # the database writes it
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        (plain if _is_plain(field) and not auto else prepared).append(field)
    # One C call for the plain values, in the order of their columns.
    get_plain = _tuple_getter(attrgetter, [f.attname for f in plain])

    def row(obj):
        # pre_save fills auto_now fields, as an INSERT by Django would.
        return [
            *get_plain(obj),
            *(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in prepared),
        ]

    _copy(connection, model, plain + prepared, map(row, objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def copy_insert_history(model, objs: list, *, by, reason: str, when=None) -> None:
    """One history record per saved row, as simple-history's
    bulk_create_with_history writes them (a per-object _change_reason wins).
    `objs` may be instances or dicts of their field values."""
    if not objs:
        return
    history = get_history_manager_for_model(model).model
    connection = connections[router.db_for_write(history)]
    when = when or timezone.now()
    if connection.vendor != "postgresql":
        records = [
            history(
                history_date=when,
                history_user=by,
                history_change_reason=_values(obj).get("_change_reason") or reason,
                history_type="+",
                **{f.attname: _values(obj)[f.attname] for f in history.tracked_fields},
            )
            for obj in objs
        ]
        history.objects.bulk_create(records, batch_size=1000)
        return
    names = {f.attname for f in history.tracked_fields}
    tracked = [f for f in history._meta.concrete_fields if f.attname in names]
    own = ["history_id", "history_date", "history_change_reason", "history_type"]
    own += ["history_user_id"]
    by_name = {f.attname: f for f in history._meta.concrete_fields}
    # Any field added to the history model besides simple-history's own
    # takes its default.
    others = [f for f in history._meta.concrete_fields if f not in tracked and f.attname not in own]
    get_tracked = _tuple_getter(itemgetter, [f.attname for f in tracked])
    ids = iter(_sequence_values(connection, history, len(objs)))
    user = by.pk if by is not None else None
    # COPY skips pre_save, so the author's name at the time (decision 12) is
    # filled here, once for every record.
    other_values = [
        (str(by)[: f.max_length] if by is not None else "")
        if isinstance(f, AuthorNameField)
        else f.get_default()
        for f in others
    ]

    def row(obj):
        values = _values(obj)
        return [
            *get_tracked(values),
            next(ids),
            when,
            values.get("_change_reason") or reason,
            "+",
            user,
            *other_values,
        ]

    fields = [*tracked, *(by_name[name] for name in own), *others]
    _copy(connection, history, fields, map(row, objs))


def _tuple_getter(getter, names):
    """attrgetter or itemgetter that always gives a tuple, even of one."""
    if len(names) == 1:
        one = getter(names[0])
        return lambda obj: (one(obj),)
    return getter(*names) if names else lambda obj: ()


def _values(obj) -> dict:
    return obj if isinstance(obj, dict) else obj.__dict__


def copy_insert_with_history(model, objs: list, *, by, reason: str) -> list:
    """copy_insert, then one history record per row."""
    copy_insert(model, objs)
    copy_insert_history(model, objs, by=by, reason=reason)
    return objs
