"""The GOV.UK base form every form in the service builds on."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth import forms as auth_forms


class GovUKFormMixin:
    """Renders through crispy-forms-gds: labels, hints and errors declared on
    the form, the error summary at the top of the page (templates/includes),
    and the button text set per form."""

    submit_label = "Continue"
    label_size = None
    # Filter panels use the small checkboxes the Design System suggests there.
    small_checkboxes = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page template renders the <form> and its CSRF token.
        self.helper.disable_csrf = True
        self.helper.label_size = self.label_size
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.layout_fields(), Submit("submit", self.submit_label))

    def layout_fields(self):
        fields = []
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                fields.append(Field.checkbox(name, small=self.small_checkboxes))
            elif isinstance(field.widget, forms.Textarea):
                fields.append(Field.textarea(name, rows=3))
            elif isinstance(field.widget, forms.RadioSelect):
                fields.append(Field.radios(name, legend_size=Size.SMALL))
            elif isinstance(field.widget, forms.Select):
                fields.append(Field.select(name))
            else:
                fields.append(Field.text(name, field_width=getattr(field, "govuk_width", None)))
        return fields


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


class SignInForm(GovUKFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Sign in"
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

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.template import loader

        from core.notify import email_queue

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        email_queue(
            subject=subject,
            body=loader.render_to_string(email_template_name, context),
            to=[to_email],
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The address your council account uses."
        self.fields["email"].error_messages["required"] = "Enter your email address"


class NewPasswordForm(GovUKFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Set password"


class ChangePasswordForm(GovUKFormMixin, auth_forms.PasswordChangeForm):
    submit_label = "Change password"
