"""The account page: one's role and scope (read-only: administrators set them), links to
one's password, two-factor sign-in and API tokens; and a user's history."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from accounts.forms import NotificationEmailForm
from accounts.models import User
from accounts.scopes import users_in_scope
from accounts.signin.two_factor import confirmed_device
from accounts.tokens.selectors import tokens_of
from accounts.users.selectors import scope_anchors, scope_clusters
from core.history.views import history_page

PROFILE_CLUSTERS = 50


def language_set(request):
    """Django's language switcher, which also keeps a signed-in user's choice on their row, so
    that their e-mails are written in it (notifications.services)."""
    response = set_language(request)
    chosen = request.POST.get("language")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and chosen in dict(settings.LANGUAGES)
        and user.language != chosen
    ):
        User.objects.filter(pk=user.pk).update(language=chosen)
    return response  # the profile lists this many clusters of the scope, then counts the rest


@login_required
def account(request):
    """The profile; POST sets how notifications are e-mailed (the page's one form)."""
    user = request.user
    form = NotificationEmailForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail choice for notifications is saved."))
        return redirect("account")
    clusters = scope_clusters(user)
    shown = list(clusters[: PROFILE_CLUSTERS + 1])
    return render(
        request,
        "accounts/account.html",
        {
            "token_count": tokens_of(user=user).count(),
            "two_factor": confirmed_device(user) if user.needs_two_factor else None,
            "anchors": scope_anchors(user),
            "clusters": shown[:PROFILE_CLUSTERS],
            "more_clusters": clusters.count() - PROFILE_CLUSTERS
            if len(shown) > PROFILE_CLUSTERS
            else 0,
            "notification_form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def user_history(request, pk: int):
    """Who changed a user's role, scope and details, and when: any user's for administrators,
    one's own for everyone else (404 otherwise)."""
    person = get_object_or_404(users_in_scope(request.user), pk=pk)
    back = reverse("account") if person.pk == request.user.pk else None
    return history_page(request, person, back_url=back)
