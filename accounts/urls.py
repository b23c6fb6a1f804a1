"""Account pages: signing in and out (two steps for administrators), passwords, the profile,
API tokens, and the administrators' user pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.signin import views as signin
from accounts.tokens import views as tokens
from accounts.users import views as users
from accounts.views import account, user_history

urlpatterns = [
    path("", account, name="account"),
    path("users/<int:pk>/history/", user_history, name="user-history"),
    path("login/", signin.SignInView.as_view(), name="login"),
    path("login/code/", signin.CodeView.as_view(), name="signin-code"),
    path("two-factor/", signin.TwoFactorView.as_view(), name="two-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's password views with the project's templates (templates/registration/)
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", signin.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        signin.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_new, name="user-new"),
    path("users/<int:pk>/", users.user_edit, name="user-edit"),
    path("tokens/", tokens.token_list, name="api-tokens"),
    path("tokens/new/", tokens.token_new, name="api-token-new"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke_one, name="api-token-revoke"),
    path("tokens/revoke-all/", tokens.token_revoke_every, name="api-tokens-revoke-all"),
]
