"""GOV.UK markup for GET filter forms, built in Python.

The register renders its filter panel on every request; drawn through
Django's widget templates it cost more than the 50 rows of results (see
benchmarks/register.py), so it is built here with format_html instead.
"""

from django import forms
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe


def _hint(field) -> str:
    if not field.help_text:
        return ""
    return format_html(
        '<div id="{}-hint" class="govuk-hint">{}</div>', field.id_for_label, field.help_text
    )


def _errors(field) -> str:
    return format_html_join(
        "",
        '<p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {}</p>',
        ((error,) for error in field.errors),
    )


def _described_by(field) -> str:
    return format_html(' aria-describedby="{}-hint"', field.id_for_label) if field.help_text else ""


def _checkbox(field) -> str:
    return format_html(
        '<div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item">'
        '<input class="govuk-checkboxes__input" id="{}" name="{}" type="checkbox"{}>'
        '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label></div></div>',
        field.id_for_label,
        field.html_name,
        " checked" if field.value() else "",
        field.id_for_label,
        field.label,
    )


def _select(field) -> str:
    current = "" if field.value() is None else str(field.value())
    # Plain escaping and one join: format_html per option was the costliest
    # part of the panel.
    # Reviewed for bandit: every value and label is escaped here.
    options = mark_safe(  # noqa: S308  # nosec B308, B703
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>'
            f"{escape(label)}</option>"
            for value, label in field.field.choices
        )
    )
    return format_html(
        '<label class="govuk-label" for="{}">{}</label>{}{}'
        '<select class="govuk-select{}" id="{}" name="{}"{}>{}</select>',
        field.id_for_label,
        field.label,
        _hint(field),
        _errors(field),
        " govuk-select--error" if field.errors else "",
        field.id_for_label,
        field.html_name,
        _described_by(field),
        options,
    )


def _text(field) -> str:
    value = field.value()
    return format_html(
        '<label class="govuk-label" for="{}">{}</label>{}{}'
        '<input class="govuk-input{}" id="{}" name="{}" type="text" value="{}"{}>',
        field.id_for_label,
        field.label,
        _hint(field),
        _errors(field),
        " govuk-input--error" if field.errors else "",
        field.id_for_label,
        field.html_name,
        "" if value is None else value,
        _described_by(field),
    )


def filter_fields(form) -> str:
    parts = []
    for field in form:
        widget = field.field.widget
        if isinstance(widget, forms.CheckboxInput):
            body = _checkbox(field)
        elif isinstance(widget, forms.Select):
            body = _select(field)
        else:
            body = _text(field)
        parts.append(
            format_html(
                '<div class="govuk-form-group{}">{}</div>',
                " govuk-form-group--error" if field.errors else "",
                body,
            )
        )
    return format_html_join("", "{}", ((part,) for part in parts))
