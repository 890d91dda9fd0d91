"""Users in Django's admin, by e-mail; staff send activation links from the list."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portail.accounts.activation import send_activation_link
from portail.accounts.models import LoginFailure, PasswordResetRequest, User, normalise_email


class UserCreationAdminForm(forms.ModelForm):
    """Staff create accounts without a password: the person sets it from the activation link."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "language", "is_staff")

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(gettext("An account with this e-mail address exists."))
        return email

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserChangeAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "language")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "language", "is_staff"),
            },
        ),
    )
    actions = ["send_activation"]

    @admin.action(description=_("Send the activation link"))
    def send_activation(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = skipped = 0
        for user in queryset.order_by("pk"):
            if not user.is_active:
                skipped += 1
                continue
            send_activation_link(user, request=request)
            sent += 1
        self.message_user(
            request,
            gettext("Activation links sent: %(count)s.") % {"count": sent},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                gettext("Skipped (disabled accounts): %(count)s.") % {"count": skipped},
                messages.WARNING,
            )


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Read-only; deleting an e-mail's rows lifts its login throttle at once."""

    list_display = ("email", "user", "ip", "created_at")
    list_select_related = ("user",)
    search_fields = ("email", "ip")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    """Read-only; deleting an account's rows lets it receive reset e-mails again at once."""

    list_display = ("user", "ip", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "ip")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
