from django import forms

from core.forms import GovUKForm

MAX_LENGTH = 100


class SearchForm(GovUKForm):
    q = forms.CharField(
        label="Search by reference, name or word",
        help_text=(
            "For example a contract reference such as ILSS-2019-01, a provider's name "
            f"or a word from a description. Up to {MAX_LENGTH} characters."
        ),
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Enter a reference, name or word to search for",
            "max_length": f"Search must be {MAX_LENGTH} characters or fewer",
        },
    )

    def clean_q(self):
        # Spaces alone are no search; several in a row are one.
        text = " ".join(self.cleaned_data["q"].split())
        if not text:
            raise forms.ValidationError(self.fields["q"].error_messages["required"])
        return text
