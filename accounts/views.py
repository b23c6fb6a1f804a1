"""The account page: links to one's password, two-factor sign-in and API tokens."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.signin.two_factor import confirmed_device
from accounts.tokens.selectors import tokens_of


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "token_count": tokens_of(user=user).count(),
            "two_factor": confirmed_device(user) if user.needs_two_factor else None,
        },
    )
