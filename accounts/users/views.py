"""Pages of users: the administrators' list, a new user, a user's role, scope and
deactivation (accounts.users.services.user_save, which the admin site calls too); and every
user's own profile (role and scope, read-only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import is_admin
from accounts.users import selectors
from accounts.users.forms import UserChangeForm, UserCreateForm
from accounts.users.services import user_save

PAGE_SIZE = 50


def _admins_only(request) -> None:
    # Other users do not learn that these pages exist.
    if not is_admin(request.user):
        raise Http404


def _saved(request, form, *, by):
    """Save the form's user through the service; its refusals come back as form errors."""
    user = form.save(commit=False)
    try:
        return user_save(user=user, programs=form.cleaned_data["programs"], by=by)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def user_list(request):
    _admins_only(request)
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    search = request.GET.get("q", "").strip()[:100]
    users = selectors.user_list(role=role, search=search)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "roles": Role.choices, "role": role, "q": search}
    return render(request, "accounts/user_list.html", context)


@login_required
def user_new(request):
    _admins_only(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _saved(request, form, by=request.user)
        if user is not None:
            messages.success(request, _("%(user)s was created.") % {"user": user.username})
            return redirect("user-list")
    status = 400 if form.errors else 200
    return render(request, "accounts/user_form.html", {"form": form, "new": True}, status=status)


@login_required
def user_edit(request, pk: int):
    _admins_only(request)
    user = get_object_or_404(selectors.user_list(), pk=pk)
    form = UserChangeForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        saved = _saved(request, form, by=request.user)
        if saved is not None:
            messages.success(request, _("%(user)s was saved.") % {"user": saved.username})
            return redirect("user-list")
    status = 400 if form.errors else 200
    context = {"form": form, "new": False, "subject": user}
    return render(request, "accounts/user_form.html", context, status=status)
