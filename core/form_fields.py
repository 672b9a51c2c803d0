"""GOV.UK inputs every form gets without asking: the date input whose
messages name the date, money as a text box with a £ prefix, numbers as
text boxes with a numeric keyboard, and every text field's length limit
stated in its hint and checked by the server."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html

from core.form_messages import is_default, is_money, is_percent, object_, subject

# Nothing this service records happened before 1990 (the oldest contract on
# any council register it has read started in 1993), nor will be after 2099:
# a date outside is a typing slip, like 1019 for 2019.
EARLIEST = date(1990, 1, 1)
LATEST = date(2099, 12, 31)
# A limit on every text field (the issue: "every text field has a length
# limit stated in its hint"); a model's own max_length wins.
LINE_LIMIT = 200
TEXT_LIMIT = 10_000
_PARTS = ("day", "month", "year")


def _when(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class GovUKDateField(DateInputField):
    """The Design System's date input and its messages: "Enter the start
    date", "Start date must include a month", "Start date must be a real
    date", and a year of 4 numbers between 1990 and 2099. Each crispy-forms-gds
    DateInputField on a GOV.UK form becomes one of these (core.forms)."""

    earliest = EARLIEST
    latest = LATEST

    def __init__(self, *, earliest=EARLIEST, latest=LATEST, **kwargs):
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest

    def _message(self, code: str, default: str) -> str:
        # A message the form's author wrote for the code wins.
        written = self.error_messages.get(code)
        return default if written is None or is_default(written) else str(written)

    def clean(self, value):
        if self.disabled and not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        parts = [str(v).strip() if v is not None else "" for v in (value or ("", "", ""))]
        parts = [*parts, "", "", ""][:3]
        if not any(parts):
            if self.required:
                raise ValidationError(
                    self._message("required", f"Enter {object_(self)}"), code="required"
                )
            return None
        missing = [name for name, part in zip(_PARTS, parts, strict=True) if not part]
        if missing:
            needed = " and ".join(missing)
            raise ValidationError(
                self._message("incomplete", f"{subject(self)} must include a {needed}"),
                code="incomplete",
            )
        real_date = self._message("invalid", f"{subject(self)} must be a real date")
        if not all(part.isdigit() for part in parts):
            raise ValidationError(real_date, code="invalid")
        if len(parts[2]) != 4:
            raise ValidationError(
                f"{subject(self)} must include a year with 4 numbers, like 2019", code="invalid"
            )
        try:
            day = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError as exc:  # 31 2 2019: "day is out of range for month"
            raise ValidationError(real_date, code="invalid") from exc
        if self.earliest and day < self.earliest:
            raise ValidationError(
                f"{subject(self)} must be the same as or after {_when(self.earliest)}",
                code="min_value",
            )
        if self.latest and day > self.latest:
            raise ValidationError(
                f"{subject(self)} must be the same as or before {_when(self.latest)}",
                code="max_value",
            )
        self.validate(day)
        self.run_validators(day)
        return day


class NumericInput(forms.TextInput):
    """GOV.UK: a text input with a numeric keyboard, never type=number, which
    browsers round, scroll and refuse in ways users cannot see. Pasted "£1,250"
    and "2.5%" are read as the numbers they are."""

    prefix = suffix = ""
    strip = ""

    def __init__(self, attrs=None, *, decimal=True):
        attrs = {"inputmode": "decimal" if decimal else "numeric", "spellcheck": "false"} | (
            attrs or {}
        )
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str) and self.strip:
            for character in self.strip:
                value = value.replace(character, "")
            value = value.strip()
        return value

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not (self.prefix or self.suffix):
            return html
        prefix = (
            format_html('<div class="govuk-input__prefix" aria-hidden="true">{}</div>', self.prefix)
            if self.prefix
            else ""
        )
        suffix = (
            format_html('<div class="govuk-input__suffix" aria-hidden="true">{}</div>', self.suffix)
            if self.suffix
            else ""
        )
        return format_html('<div class="govuk-input__wrapper">{}{}{}</div>', prefix, html, suffix)


class MoneyInput(NumericInput):
    prefix = "£"
    strip = "£, "


class PercentInput(NumericInput):
    suffix = "%"
    strip = "% "


def _number_widget(field, old: forms.Widget) -> forms.Widget:
    if is_money(field):
        widget = MoneyInput()
    elif is_percent(field):
        widget = PercentInput()
    else:
        # A DecimalField is an IntegerField to Django.
        whole = isinstance(field, forms.IntegerField) and not isinstance(
            field, forms.DecimalField | forms.FloatField
        )
        widget = NumericInput(decimal=not whole)
    # The NumberInput's min, max and step belong to type=number only.
    kept = {k: v for k, v in old.attrs.items() if k not in ("min", "max", "step")}
    widget.attrs = {**kept, **widget.attrs}
    widget.is_required = old.is_required
    return widget


def _state_limit(field) -> None:
    limit = f"{field.max_length:,} characters or fewer."
    hint = field.help_text or ""
    if "character" in str(hint):
        # The hint already says how long ("8 characters, for example 01068186").
        return
    if not hint:
        field.help_text = limit
        return
    text = str(hint).rstrip()
    joiner = " " if text.endswith((".", "!", "?", ":")) else ". "
    # format_html keeps a hint already marked safe (a link) and escapes any other.
    field.help_text = format_html("{}{}{}", hint, joiner, limit)


def _limit_text(field, *, state: bool) -> None:
    if type(field) is not forms.CharField and not isinstance(
        field, forms.EmailField | forms.URLField
    ):
        return
    widget = field.widget
    if widget.is_hidden or isinstance(widget, forms.PasswordInput):
        return
    if field.max_length is None:
        field.max_length = TEXT_LIMIT if isinstance(widget, forms.Textarea) else LINE_LIMIT
        field.validators.append(MaxLengthValidator(field.max_length))
    # The browser would cut a longer paste short without a word; the server
    # says what is wrong instead.
    widget.attrs.pop("maxlength", None)
    if state and not field.disabled:
        _state_limit(field)


def prepare_field(field: forms.Field, *, length_hints: bool = True) -> None:
    """Once per field, before it is rendered or cleaned."""
    if getattr(field, "_govuk_prepared", False):
        return
    field._govuk_prepared = True
    if type(field) is DateInputField:
        # The same field with GOV.UK messages and plausible years; it sets
        # nothing in __init__ that the crispy one did not, so it is safe to
        # swap the class of a field already built.
        field.__class__ = GovUKDateField
    if isinstance(field, DateInputField):
        for part in field.widget.widgets:
            part.attrs.setdefault("inputmode", "numeric")
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField) and isinstance(
        field.widget, forms.NumberInput
    ):
        field.widget = _number_widget(field, field.widget)
    _limit_text(field, state=length_hints)
