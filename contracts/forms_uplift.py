"""An annual uplift outside -20% to +20% is refused unless the user
confirms it: councils' uplifts run from a freeze to the National Living
Wage's largest rises (9.8% in 2024), so 25 is more likely a slip for 2.5
than a decision. The checkbox appears with the error, not before."""

from decimal import Decimal

from django import forms

from core.form_messages import subject

LOWEST, HIGHEST = Decimal(-20), Decimal(20)
CONFIRM = "confirm_uplift"
CONFIRM_LABEL = "I confirm this uplift is correct"


class UpliftCheckMixin:
    uplift_field = "uplift_percent"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[CONFIRM] = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def asks_to_confirm_uplift(self) -> bool:
        if not self.is_bound:
            return False
        ticked = self.fields[CONFIRM].widget.value_from_datadict(
            self.data, self.files, self.add_prefix(CONFIRM)
        )
        return bool(ticked) or (self.errors and getattr(self, "_unusual_uplift", False))

    def layout_fields(self):
        fields = [f for f in super().layout_fields() if f.fields[0] != CONFIRM]
        if not self.asks_to_confirm_uplift():
            return fields
        confirm = next(f for f in super().layout_fields() if f.fields[0] == CONFIRM)
        at = next(i for i, f in enumerate(fields) if f.fields[0] == self.uplift_field)
        return [*fields[: at + 1], confirm, *fields[at + 1 :]]

    def clean(self):
        data = super().clean()
        confirmed = data.pop(CONFIRM, False)
        field = self.fields[self.uplift_field]
        uplift = data.get(self.uplift_field)
        if (
            uplift is not None
            and not field.disabled
            and self.uplift_field in self.changed_data
            and not LOWEST <= uplift <= HIGHEST
            and not confirmed
        ):
            self._unusual_uplift = True
            self.add_error(
                self.uplift_field,
                f"{subject(field)} must be between −20% and 20%. If {uplift:g}% is correct, "
                f"select “{CONFIRM_LABEL}”",
            )
        return data
