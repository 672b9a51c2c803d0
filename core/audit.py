"""The audit trail: django-simple-history, made permanent.

Every model with a history declares `history = AuditTrail()` instead of
simple-history's `HistoricalRecords()`. The historical records it makes:

- are append-only in PostgreSQL: a trigger refuses UPDATE and DELETE on
  every historical table, whatever issues them (the ORM, a cascade, raw SQL);
- keep their author: the reference to the user is PROTECT, so a user who has
  changed anything cannot be deleted, only deactivated; and each record
  keeps the author's name as it was when they made the change.

`manage.py check` fails (core.E001) if a historical model lacks either, so a
model given a plain `HistoricalRecords()` later cannot slip through
(docs/decisions/0012-append-only-audit-trail.md).
"""

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from simple_history.models import HistoricalChanges, HistoricalRecords

TRIGGER_NAME = "append_only"
AUTHOR_NAME_FIELD = "history_user_name"


class AuthorNameField(models.CharField):
    """The author's display name, taken once, when the record is inserted.

    Filled in `pre_save` (as `auto_now_add` fills a date) rather than in a
    `pre_create_historical_record` signal: simple-history sends that signal
    for one record at a time but not from `bulk_create_with_history`, while
    Django calls `pre_save` for every insert, bulk or not. It only fills a
    field of the record being written, never anything else.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("verbose_name", "changed by (name at the time)")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        if add and not getattr(model_instance, self.attname):
            user = model_instance.history_user if model_instance.history_user_id else None
            setattr(model_instance, self.attname, str(user)[: self.max_length] if user else "")
        return super().pre_save(model_instance, add)


class AuditTrail(HistoricalRecords):
    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra["history_user"] = models.ForeignKey(
            self.user_model or settings.AUTH_USER_MODEL,
            null=True,
            related_name="+",
            # simple-history's default is SET_NULL: deleting a user would
            # turn every change they made into "by the system".
            on_delete=models.PROTECT,
            db_constraint=self.user_db_constraint,
        )
        extra[AUTHOR_NAME_FIELD] = AuthorNameField()
        return extra

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        # Refuses UPDATE and DELETE row by row. TRUNCATE is left alone: it
        # needs the table owner, and test databases are emptied with it.
        options["triggers"] = [
            pgtrigger.Protect(name=TRIGGER_NAME, operation=pgtrigger.Update | pgtrigger.Delete)
        ]
        return options

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= set(self.excluded_fields):
            # A save of fields the history leaves out (a user's last_login at
            # every sign-in) would record a change with nothing in it.
            return
        super().post_save(instance, created, using=using, **kwargs)


def historical_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]


def user_has_history(user) -> bool:
    """True if the user is the author of any historical record."""
    return any(m.objects.filter(history_user=user).exists() for m in historical_models())


def _has_trigger(model) -> bool:
    return any(
        isinstance(t, pgtrigger.Protect) and t.name == TRIGGER_NAME
        for t in getattr(model._meta, "triggers", [])
    )


def _protects_author(model) -> bool:
    try:
        user = model._meta.get_field("history_user")
        model._meta.get_field(AUTHOR_NAME_FIELD)
    except FieldDoesNotExist:
        return False
    return user.remote_field.on_delete is models.PROTECT


def check_audit_trail(app_configs=None, models_to_check=None, **kwargs) -> list[checks.Error]:
    errors = []
    for model in models_to_check if models_to_check is not None else historical_models():
        if not (_has_trigger(model) and _protects_author(model)):
            errors.append(
                checks.Error(
                    f"{model._meta.label} is not an append-only audit trail.",
                    hint="Declare the history as `history = AuditTrail()` from core.audit, "
                    "not simple-history's HistoricalRecords().",
                    obj=model,
                    id="core.E001",
                )
            )
    return errors
