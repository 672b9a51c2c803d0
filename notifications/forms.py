from django import forms

from core.forms import GovUKForm
from notifications.kinds import LABELS, Delivery, choices


class PreferencesForm(GovUKForm):
    """One question per kind the person may choose for: straight away, or
    in the morning's summary."""

    submit_label = "Save your choices"

    def __init__(self, *args, kinds, current, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.value] = forms.ChoiceField(
                label=f"When {LABELS[kind]}",
                choices=choices(Delivery),
                initial=current[kind].value,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select how you want to hear when {LABELS[kind]}",
                    "invalid_choice": f"Select how you want to hear when {LABELS[kind]}",
                },
            )
