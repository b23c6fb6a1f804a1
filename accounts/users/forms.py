"""The administrators' user forms: a new user (with a first password), and a user's role,
scope anchor and whether the account is active."""

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.users.services import ANCHOR_OF_ROLE

PROFILE_FIELDS = [
    *["first_name", "last_name", "email"],
    *["role", "bso", "programs", "country", "region"],
]


class _RoleFields(forms.ModelForm):
    """Role and anchor fields as the page shows them: the role required, programs as boxes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True
        self.fields["email"].required = True
        self.fields["programs"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["programs"].choices
        )
        self.fields["role"].help_text = _(
            "The role says what the user may do; the field that matches it (BSO, programs, "
            "country or region) says which clusters. The other fields are cleared on save."
        )
        for name in ("bso", "country", "region"):
            self.fields[name].queryset = self.fields[name].queryset.order_by("name")

    def clean(self):
        """The role's anchor is given (the error beside its field, not only the database's
        constraint in general words); a program officer looks after at least one program."""
        cleaned = super().clean()
        role = cleaned.get("role")
        anchor = {**ANCHOR_OF_ROLE, Role.PROGRAM_OFFICER: "programs"}.get(role)
        if anchor and anchor not in self.errors and not cleaned.get(anchor):
            label = self.fields[anchor].label
            self.add_error(
                anchor,
                _("A user with the role %(role)s needs a value here (%(field)s).")
                % {"role": Role(role).label, "field": label},
            )
        return cleaned


class UserCreateForm(_RoleFields, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", *PROFILE_FIELDS]


class UserChangeForm(_RoleFields):
    class Meta:
        model = User
        fields = [*PROFILE_FIELDS, "is_active"]
        help_texts = {
            "is_active": _(
                "Untick to deactivate: the user can no longer sign in and their API tokens "
                "stop working at once."
            )
        }
