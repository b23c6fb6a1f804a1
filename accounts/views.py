"""The account page: one's role and scope (read-only: administrators set them), links to
one's password, two-factor sign-in and API tokens; and a user's history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.scopes import users_in_scope
from accounts.signin.two_factor import confirmed_device
from accounts.tokens.selectors import tokens_of
from accounts.users.selectors import scope_anchors, scope_clusters
from core.history.views import history_page

PROFILE_CLUSTERS = 50  # the profile lists this many clusters of the scope, then counts the rest


@login_required
def account(request):
    user = request.user
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
        },
    )


@login_required
def user_history(request, pk: int):
    """Who changed a user's role, scope and details, and when: any user's for administrators,
    one's own for everyone else (404 otherwise)."""
    person = get_object_or_404(users_in_scope(request.user), pk=pk)
    back = reverse("account") if person.pk == request.user.pk else None
    return history_page(request, person, back_url=back)
