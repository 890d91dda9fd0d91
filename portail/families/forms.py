"""Forms of "Mes données personnelles": what a guardian may change alone.

The login e-mail (confirmed from the new address, see email_change.py), the guardian's
own phone number and the password. The household's address and quotient familial are
changed by the service, on request.
"""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.validators import MaxLengthValidator, RegexValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portail.accounts import throttling
from portail.accounts.models import User, normalise_email
from portail.accounts.services import MAX_PASSWORD_LENGTH, LoginRefused, check_current_password
from portail.families.email_change import address_taken
from portail.families.models import Guardian

PHONE_RE = r"^\+?[0-9][0-9 .()\-]{5,28}$"


class EmailChangeForm(forms.Form):
    """The new address, and the password (whoever changes the login must know it).

    The password is checked under the login throttle (check_current_password), and
    whether another account uses the address is said only once the password is right.
    """

    new_email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=throttling.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Current password"),
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, request: HttpRequest | None = None, **kwargs) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_new_email(self) -> str:
        email = normalise_email(self.cleaned_data["new_email"])
        if email == normalise_email(self.user.email):
            raise forms.ValidationError(_("This is already your e-mail address."))
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        try:
            check_current_password(self.request, self.user, password)
        except LoginRefused as refused:
            code = "throttled" if refused.code == "throttled" else "password"
            raise forms.ValidationError(refused.message, code=code) from None
        return password

    def clean(self) -> dict:
        cleaned = super().clean()
        email = cleaned.get("new_email")
        if email and "password" in cleaned and address_taken(email, self.user):
            self.add_error(
                "new_email",
                forms.ValidationError(
                    _("Another account already uses this e-mail address."), code="taken"
                ),
            )
        return cleaned


class PhoneForm(forms.ModelForm):
    phone = forms.CharField(
        label=_("My phone number"),
        required=False,
        max_length=30,
        validators=[
            RegexValidator(
                PHONE_RE, _("Enter a phone number: digits, spaces, dots or dashes, 6 at least.")
            )
        ],
        help_text=_("Leave empty to remove it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    class Meta:
        model = Guardian
        fields = ["phone"]


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password, new password twice, the password validators), with
    the portal's length limit and the old password checked under the login throttle."""

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        self.request = request
        super().__init__(*args, **kwargs)
        for name in ("old_password", "new_password1", "new_password2"):
            field = self.fields[name]
            field.max_length = MAX_PASSWORD_LENGTH
            field.validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
            field.widget.attrs["maxlength"] = str(MAX_PASSWORD_LENGTH)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        try:
            check_current_password(self.request, self.user, old_password)
        except LoginRefused as refused:
            if refused.code == "throttled":
                raise forms.ValidationError(refused.message, code="throttled") from None
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            ) from None
        return old_password
