"""The award's questions: the panel's choice when bids share first place, the
contract's owner and start date, and the standstill. The answers are
checked by procurement.services.award and shown on the check-your-answers
page before anything is awarded. A care package's award asks only for the
owner: its provider, price and start date were settled by the person's
choice."""

from django import forms

from core.forms import GovUKForm
from performance.forms_failures import GovUKDateField
from procurement import standstill

YES, NO = "yes", "no"


def owner_field():
    """The mini-competition's and the care package's award ask it in the same
    words: the contract goes to whoever will manage it, not whoever awarded it."""
    return forms.ModelChoiceField(
        label="Who will own the contract?",
        help_text="Any commissioning officer. They manage the contract once it is awarded.",
        queryset=None,
        empty_label="Choose a commissioning officer",
        error_messages={"required": "Choose a commissioning officer to own the contract"},
    )


class AwardForm(GovUKForm):
    submit_label = "Continue"
    field_widths = {"standstill_days": 2}

    owner = owner_field()
    start_date = GovUKDateField(
        label="Contract start date",
        help_text="For example, 1 4 2027",
        required_message="Enter the contract start date",
    )
    standstill_applies = forms.ChoiceField(
        label="Will the council wait for a standstill period before entering into the contract?",
        help_text=(
            "The Procurement Act 2023 requires 8 working days, beginning with the day the award "
            "is made, unless the contract is exempt. Light-touch contracts, such as most adult "
            "social care, are."
        ),
        choices=[(YES, "Yes"), (NO, "No, the contract is exempt")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether there will be a standstill period"},
    )
    standstill_days = forms.IntegerField(
        label="Standstill period in working days (if there is one)",
        help_text=f"At least {standstill.WORKING_DAYS}, at most {standstill.MOST_WORKING_DAYS}.",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": "Enter the standstill period as a whole number of days"},
    )
    no_standstill_reason = forms.CharField(
        label="Why there is no standstill period (if there is none)",
        help_text=(
            "For example: a light-touch contract (Procurement Act 2023, section 51). "
            "Up to 1,000 characters."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        error_messages={
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def __init__(self, *args, owners, first, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if len(first) > 1:
            # Named only once the results are approved (after the deadline).
            self.fields = {
                "bid": forms.TypedChoiceField(
                    label="Bids share first place: which does the panel award?",
                    choices=[(b.pk, b.provider.legal_name) for b in first],
                    coerce=lambda pk: next(b for b in first if str(b.pk) == str(pk)),
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose the bid to award"},
                ),
                **self.fields,
            }

    def clean(self):
        data = super().clean()
        days_missing = data.get("standstill_days") is None and "standstill_days" not in self.errors
        if data.get("standstill_applies") == YES and days_missing:
            self.add_error("standstill_days", "Enter the standstill period in working days")
        return data

    def answers(self) -> dict:
        """The answers as procurement.services.award.award_plan takes them."""
        data = self.cleaned_data
        applies = data["standstill_applies"] == YES
        return {
            "bid": data.get("bid"),
            "owner": data["owner"],
            "start_date": data["start_date"],
            "standstill_applies": applies,
            "standstill_days": data.get("standstill_days") or standstill.WORKING_DAYS,
            "no_standstill_reason": "" if applies else data.get("no_standstill_reason", ""),
        }


class PackageAwardForm(GovUKForm):
    submit_label = "Award to the chosen provider"
    owner = owner_field()

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
