"""Readable change history from django-simple-history records."""

# Bookkeeping, not a change anybody made: core/concurrency.py moves it on
# every save. A contract's value schedule is shown by its contract changes.
NOT_SHOWN = ("version", "change_schedule", "schedule_version")


def display(value) -> str:
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def entry(record, previous, *, subject: str) -> dict:
    """One history entry: who, when, why, and each field that changed."""
    changes = []
    if previous is not None and record.history_type == "~":
        for change in record.diff_against(previous, excluded_fields=NOT_SHOWN).changes:
            field = record.instance_type._meta.get_field(change.field)
            changes.append(
                {
                    "field": field.verbose_name,
                    "old": display(change.old),
                    "new": display(change.new),
                }
            )
    return {
        "when": record.history_date,
        # The name as it was when they made the change (core/audit.py), not
        # as it is now: a later rename must not rewrite the record.
        "who": record.history_user_name,
        "subject": subject,
        "action": {"+": "Added", "~": "Changed", "-": "Removed"}[record.history_type],
        "reason": record.history_change_reason or "",
        "changes": changes,
    }


def entries(records, *, subject) -> list[dict]:
    """Entries for the versions of one or more objects, oldest first;
    `subject(record)` names what each record is about."""
    result, previous = [], {}
    for record in records:
        key = record.history_object.pk if hasattr(record, "history_object") else None
        result.append(entry(record, previous.get(key), subject=subject(record)))
        previous[key] = record
    return result
