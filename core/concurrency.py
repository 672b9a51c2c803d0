"""No lost update: a save based on a copy somebody else has changed since is
refused (docs/decisions/0011-no-lost-update.md).

Each model people edit carries an integer `version`. An edit page sends the
version it showed in a hidden field; the service locks the row, compares,
and writes the next version with `UPDATE … WHERE pk = … AND version = n`, so
of two saves made from one copy exactly one succeeds, whatever the order in
which the two transactions run. Timestamps compared in Python would miss
two saves in the same clock tick and any clock that steps back.
"""

from datetime import date

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from core.errors import ServiceError
from core.history import NOT_SHOWN, display


class Versioned(models.Model):
    """A model whose edit pages refuse saves from a stale copy. Every write
    to an existing row goes through `save_next_version`."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one with every change, so a save from an older copy is refused.",
    )

    class Meta:
        abstract = True


class StaleEdit(ServiceError):
    """The object changed after the page the user saved from was opened.
    `version` is the current one, so the page can offer the user's input
    again against it once they have checked the new details; `changes`
    says what each changed field now reads."""

    def __init__(self, message: str, *, version: int, changes: dict | None = None):
        super().__init__(message)
        self.version = version
        self.changes = changes or {}


def noun(obj) -> str:
    return getattr(obj, "stale_noun", None) or obj._meta.verbose_name


def stale_message(obj) -> str:
    """Who changed the object last and when, from its history, in the words
    of the GOV.UK error pattern: what happened and what to do."""
    who = when = ""
    history = getattr(obj, "history", None)
    record = None
    if history is not None:
        # The record written with the version now stored is the change the
        # user missed; its clock time says nothing about order.
        records = history.select_related("history_user").order_by("-pk")
        record = records.filter(version=obj.version).first() or records.first()
    if record is not None:
        user = record.history_user
        if user is not None:
            who = f" by {user.get_full_name() or user.get_username()}"
        at = timezone.localtime(record.history_date)
        when = f" at {at:%H:%M}"
        if at.date() != timezone.localdate():
            when += f" on {at:%-d %B %Y}"
    return (
        f"This {noun(obj)} was changed{who}{when} since you opened it. "
        "Check the new details and make your change again."
    )


def changed_since(obj, version: int) -> dict[str, str]:
    """Each field changed since `version`, with what it now reads, from the
    history records written at that version and at the current one."""
    history = getattr(obj, "history", None)
    if history is None:
        return {}
    then = history.filter(version=version).order_by("-pk").first()
    now = history.filter(version=obj.version).order_by("-pk").first()
    if then is None or now is None:
        return {}
    delta = now.diff_against(then, excluded_fields=NOT_SHOWN, foreign_keys_are_objs=True)
    changes = {}
    for change in delta.changes:
        field, value = obj._meta.get_field(change.field), change.new
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        elif isinstance(value, date):
            value = f"{value:%-d %B %Y}"
        changes[change.field] = display(value)
    return changes


def refusal(obj, *, seen: int) -> StaleEdit:
    return StaleEdit(stale_message(obj), version=obj.version, changes=changed_since(obj, seen))


def lock(queryset: QuerySet, *, pk, version: int | None):
    """The row as it stands now, locked until the transaction ends. With
    `version` (the one the user's page showed), refused if anybody has
    changed it since; None is for writers not working from a page (imports,
    the reminder sweep), which always act on the current row."""
    obj = queryset.select_for_update(of=("self",)).get(pk=pk)
    if version is not None and obj.version != version:
        raise refusal(obj, seen=version)
    return obj


def save_next_version(obj, **save_kwargs) -> None:
    """Save `obj` as its next version. The version moves in one conditional
    UPDATE, so a copy that was not locked and has gone stale since it was
    read is refused here rather than written over a newer row."""
    if obj.pk is not None and not obj._state.adding:
        moved = (
            type(obj)
            ._base_manager.filter(pk=obj.pk, version=obj.version)
            .update(version=obj.version + 1)
        )
        if not moved:
            current = type(obj)._base_manager.get(pk=obj.pk)
            raise refusal(current, seen=obj.version)
        obj.version += 1
        if "update_fields" in save_kwargs:
            save_kwargs["update_fields"] = [*save_kwargs["update_fields"], "version"]
    obj.save(**save_kwargs)
