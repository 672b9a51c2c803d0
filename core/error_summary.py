"""The error summary's links, computed from each field's widget.

crispy-forms-gds links every field to its `auto_id`, but it renders radios
and checkboxes as `id_<name>_1`, `id_<name>_2`... and a date input's parts as
`id_<name>_0`, `_1`, `_2` inside a `<div id="id_<name>">`: so `#id_kind`
matched nothing, and `#id_start_date` a div that cannot take focus. GOV.UK
Frontend's ErrorSummary focuses the link's target only when it has a label
or legend, and without JavaScript the browser only scrolls to it, so each
link here names the field's first input itself (docs/decisions/0037).
"""

from crispy_forms_gds.templatetags.crispy_forms_gds import (
    is_checkboxes,
    is_multivalue,
    is_radios,
)


def first_input_id(bound_field) -> str | None:
    """The id of the input a person answers first, or None if the field
    renders none that can take focus."""
    if not bound_field.auto_id or bound_field.field.disabled:
        return None
    if is_radios(bound_field) or is_checkboxes(bound_field):
        # gds/layout/radio_item.html and checkboxes.html number the inputs
        # from 1 and build the id from html_name, whatever auto_id is.
        if not list(bound_field.field.choices):
            return None
        return f"id_{bound_field.html_name}_1"
    if is_multivalue(bound_field):
        # The day of a date input: Django's MultiWidget numbers from 0.
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


def summary_items(form) -> list[tuple[str | None, str]]:
    """(target id or None, message) for each error, in the order the page
    asks the questions. A problem with the whole form goes to its first
    question; a form that asks none shows the message without a link."""
    fields = form.visible_fields()
    first = next((f for f in fields if first_input_id(f)), None)
    items = [
        (first_input_id(first) if first else None, str(error)) for error in form.non_field_errors()
    ]
    for field in fields:
        target = first_input_id(field)
        items.extend((target, str(error)) for error in field.errors)
    return items
