"""The GOV.UK base form every form in the service builds on."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.html import conditional_escape

from core.form_fields import prepare_field
from core.form_messages import govuk_messages
from core.uploads import limit_form_uploads
from core.validators import plain_text_form


class EscapedBoundField(forms.BoundField):
    """crispy-forms-gds prints labels, legends and hints with `|safe`, and many
    are built from stored data (a criterion's name, a selection question), so
    they are escaped here, once, for every form. A label already marked safe
    (format_html) is left as it is, so nothing is escaped twice."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.label = conditional_escape(self.label)
        self.help_text = conditional_escape(self.help_text)


class GovUKFormMixin:
    """Renders through crispy-forms-gds: labels, hints and errors declared on
    the form, the error summary at the top of the page (templates/includes),
    and the button text set per form. Error messages Django would write
    are replaced with GOV.UK ones named from each field's label
    (core.form_messages); `message_names` names a field whose label cannot
    be used in a sentence: {"council_share_percent": "Council share"}."""

    submit_label = "Continue"
    message_names: dict = {}
    # Each text field's hint says how long it may be ("200 characters or fewer").
    length_hints = True
    bound_field_class = EscapedBoundField
    label_size = None
    # Input widths that hint at the expected answer: {"postcode": 10}.
    field_widths: dict = {}

    @property
    def helper(self) -> FormHelper:
        """Built when the form is rendered, so fields a form adds in its
        __init__ (one per criterion, one per question) are laid out too."""
        helper = FormHelper()
        helper.form_tag = False
        # The page template renders the <form> and its CSRF token.
        helper.disable_csrf = True
        helper.label_size = self.label_size
        helper.legend_size = Size.SMALL
        # The button is a <button> rendered by the page (includes/form.html),
        # so GET forms such as filters do not put it in the query string.
        helper.layout = Layout(*self.layout_fields())
        for item in helper.layout.fields:
            # Legends are printed with `|safe` too.
            if isinstance(item, Fieldset) and "legend" in item.context:
                item.context["legend"] = conditional_escape(item.context["legend"])
        return helper

    def layout_fields(self):
        fields = []
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                fields.append(Field.checkbox(name))
            elif isinstance(field.widget, forms.CheckboxSelectMultiple):
                fields.append(Field.checkboxes(name, legend_size=Size.SMALL))
            elif isinstance(field.widget, forms.ClearableFileInput | forms.FileInput):
                fields.append(Field(name))
            elif isinstance(field.widget, forms.Textarea):
                fields.append(Field.textarea(name, rows=3))
            elif isinstance(field.widget, forms.RadioSelect):
                fields.append(Field.radios(name, legend_size=Size.SMALL))
            elif isinstance(field.widget, forms.Select):
                fields.append(Field.select(name))
            else:
                fields.append(Field.text(name, field_width=self.field_widths.get(name)))
        return fields

    def prepare_fields(self):
        for name, field in self.fields.items():
            if name in self.message_names:
                field.message_name = self.message_names[name]
            prepare_field(field, length_hints=self.length_hints)

    def __getitem__(self, name):
        # Before the first BoundField reads the field's label and hint: the
        # hint states the length limit, the widget is the GOV.UK one.
        self.prepare_fields()
        return super().__getitem__(name)

    def full_clean(self):
        # Here rather than in __init__, so fields a form adds after calling
        # super().__init__() are covered too.
        self.prepare_fields()
        plain_text_form(self)
        limit_form_uploads(self)
        super().full_clean()
        govuk_messages(self)


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


class SignInForm(GovUKFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Sign in"
    # A username's or password's length is not the user's to choose.
    length_hints = False
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Contact your service administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class PasswordResetRequestForm(GovUKFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Send reset link"
    length_hints = False

    def save(self, **kwargs):
        """Django's form would look the address up and send here, which
        makes a known address answer more slowly than an unknown one: the
        worker does both (core.services.password_reset_deliver)."""
        from core.services import password_reset_request

        password_reset_request(email=self.cleaned_data["email"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The address your council account uses."
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address like name@example.gov.uk"
        )


# S105: guidance text, not a password.
NEW_PASSWORD_HINT = (
    "At least 12 characters. Do not use a common word, only numbers, "  # noqa: S105
    "or something like your name or email address."
)


def _govuk_password_fields(form) -> None:
    """Plain-English labels and messages for Django's password forms."""
    form.error_messages = {
        **form.error_messages,
        "password_mismatch": "The new passwords do not match",
        "password_incorrect": "Your current password is wrong",
    }
    wording = {
        "old_password": ("Current password", "Enter your current password"),
        "new_password1": ("New password", "Enter a new password"),
        "new_password2": ("Confirm new password", "Enter the new password again"),
    }
    for name, (label, required) in wording.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].error_messages["required"] = required
            form.fields[name].help_text = NEW_PASSWORD_HINT if name == "new_password1" else ""


class NewPasswordForm(GovUKFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Set password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_password_fields(self)


class ChangePasswordForm(GovUKFormMixin, auth_forms.PasswordChangeForm):
    submit_label = "Change password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_password_fields(self)
