"""Pages of one's own API tokens: the list, a new token (its key shown once), revoking."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.tokens.selectors import tokens_of
from accounts.tokens.services import token_issue, token_revoke, tokens_revoke_all


@login_required
@never_cache
def token_list(request, *, new_key: str = ""):
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": tokens_of(user=request.user),
            "new_key": new_key,
            "days": settings.API_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
@never_cache
def token_new(request):
    _token, key = token_issue(user=request.user)
    return token_list(request, new_key=key)


@login_required
@require_POST
def token_revoke_one(request, pk: int):
    token = get_object_or_404(tokens_of(user=request.user), pk=pk)
    token_revoke(token=token)
    messages.success(
        request, _("The token %(prefix)s… no longer works.") % {"prefix": token.prefix}
    )
    return redirect("api-tokens")


@login_required
@require_POST
def token_revoke_every(request):
    count = tokens_revoke_all(user=request.user)
    messages.success(request, _("Revoked tokens: %(count)d.") % {"count": count})
    return redirect("api-tokens")
