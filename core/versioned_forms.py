"""Edit forms that carry the version of the object they showed, for the
page's form and for the admin (core/concurrency.py has the rule)."""

from crispy_forms_gds.layout import Field
from django import forms
from django.contrib import admin

from core import concurrency
from core.history import display

OUT_OF_DATE = "This page is out of date. Open it again and make your change."


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        # The user cannot change it, and a stale one must not make an
        # untouched inline row count as edited.
        return False


class VersionedFormMixin:
    """Adds a hidden `version` when the form edits an existing object: the
    instance's for a model form, or `version=` for a plain form about one
    object (a resident's budget review). Creating something adds nothing."""

    version_field = "version"

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = instance.version
        self.edits_existing = version is not None
        name = self.version_field
        if name in self.fields:  # declared, as the admin needs
            self.fields[name].initial = version
        elif self.edits_existing:
            self.fields[name] = VersionField(initial=version, required=False, min_value=1)

    def layout_fields(self):
        # Rendered as the bare hidden input, not a labelled text box.
        name = self.version_field
        return [
            Field(name) if getattr(f, "fields", [None])[0] == name else f
            for f in super().layout_fields()
        ]

    def clean(self):
        cleaned = super().clean()
        if self.edits_existing and cleaned.get(self.version_field) is None:
            # Hidden fields have no place in the error summary: say it once.
            self.errors.pop(self.version_field, None)
            raise forms.ValidationError(OUT_OF_DATE)
        return cleaned

    def show_refusal(self, refusal: concurrency.StaleEdit) -> None:
        """After a refusal the page shows what the user typed, now against
        the current version, so saving again after checking is their
        choice; each field changed meanwhile says what it now reads, linked
        from the error summary."""
        data = self.data.copy()
        data[self.add_prefix(self.version_field)] = refusal.version
        self.data = data
        for name, value in refusal.changes.items():
            if name in self.fields and name not in self.errors:
                if value == display(None):
                    self.add_error(name, "This was cleared since you opened the page")
                else:
                    self.add_error(name, f"This was changed to “{value}” since you opened the page")


class VersionedAdminForm(VersionedFormMixin, forms.ModelForm):
    """The admin's change form (and each inline row): Django's admin runs
    validation and the save in one transaction, so the row locked here stays
    locked until the admin has saved it."""

    # Declared, so the admin's fieldsets include it (as a hidden input), and
    # not named `version`, which the admin would take for the model's field.
    version_field = "seen_version"
    seen_version = VersionField(required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get(self.version_field)
        if self.instance.pk is None or seen is None or not self.changed_data:
            # New, or left as it stands now (VersionedAdminMixin saves only
            # what changed, so an inline edit does not move its parent on).
            return cleaned
        try:
            concurrency.lock(type(self.instance)._base_manager, pk=self.instance.pk, version=seen)
        except concurrency.StaleEdit as exc:
            self.show_refusal(exc)
            raise forms.ValidationError(str(exc)) from exc
        return cleaned


class VersionedAdminMixin:
    """For a ModelAdmin of a versioned model and of versioned inline rows:
    every admin save moves the version on, and a stale copy is refused with
    the same message as the service's pages."""

    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        if isinstance(obj, concurrency.Versioned):
            # What SimpleHistoryAdmin.save_model does before saving.
            obj._history_user = request.user
            concurrency.save_next_version(obj)
        else:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for gone in formset.deleted_objects:
            gone.delete()
        for obj in instances:
            if isinstance(obj, concurrency.Versioned):
                concurrency.save_next_version(obj)
            else:
                obj.save()
        formset.save_m2m()


class VersionedInline(admin.TabularInline):
    form = VersionedAdminForm
