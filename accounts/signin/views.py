"""Sign-in pages: the password, the code, enrolling an authenticator, and the admin's door."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from accounts.signin.forms import CodeForm, SignInForm
from accounts.signin.steps import pending_next, pending_start, pending_user, signin_finish
from accounts.signin.throttle import (
    SignInLocked,
    client_address,
    password_reset_request,
    password_succeeded,
)
from accounts.signin.two_factor import (
    code_verify,
    confirmed_device,
    device_confirm,
    enrolment_details,
    enrolment_device,
)

WRONG_CODE = _("That code is not right. Enter the code your app shows now.")


class SignInView(auth_views.LoginView):
    """The password step; users who need two factors go on to the code (or enrolment)."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not user.needs_two_factor:
            return super().form_valid(form)
        pending_start(self.request, user=user, next_url=self.get_success_url())
        return redirect("signin-code" if confirmed_device(user) else "two-factor")


@method_decorator(never_cache, name="dispatch")
class CodeView(FormView):
    """The second step: the code from the authenticator app."""

    template_name = "registration/signin_code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        self.user = pending_user(request)
        if self.user is None:
            messages.info(request, _("Sign in with your password first."))
            return redirect("login")
        self.device = confirmed_device(self.user)
        if self.device is None:
            return redirect("two-factor")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        code = form.cleaned_data["code"]
        try:
            right = code_verify(user=self.user, device=self.device, code=code)
        except SignInLocked as locked:
            form.add_error(None, locked.message)
            return self.form_invalid(form)
        if not right:
            form.add_error("code", WRONG_CODE)
            return self.form_invalid(form)
        next_url = pending_next(self.request)
        signin_finish(self.request, user=self.user, device=self.device)
        return HttpResponseRedirect(next_url)


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(FormView):
    """Enrol an authenticator app (during a sign-in, or once signed in), or see that one is."""

    template_name = "registration/two_factor.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        self.pending = pending_user(request)
        self.user = self.pending or (request.user if request.user.is_authenticated else None)
        if self.user is None:
            return redirect_to_login(request.get_full_path())
        if not self.user.needs_two_factor:
            raise Http404
        self.device = confirmed_device(self.user)
        if self.device is not None and self.pending is not None:
            return redirect("signin-code")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.device is not None:  # already enrolled: nothing to confirm
            return redirect("two-factor")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        context["signing_in"] = self.pending is not None
        if self.device is None:
            context.update(enrolment_details(enrolment_device(self.user)))
        return context

    def form_valid(self, form):
        device = enrolment_device(self.user)
        try:
            right = code_verify(user=self.user, device=device, code=form.cleaned_data["code"])
        except SignInLocked as locked:
            form.add_error(None, locked.message)
            return self.form_invalid(form)
        if not right:
            form.add_error("code", WRONG_CODE)
            return self.form_invalid(form)
        device_confirm(device=device)
        messages.success(self.request, _("Two-factor sign-in is on."))
        if self.pending is None:
            return redirect("two-factor")
        next_url = pending_next(self.request)
        signin_finish(self.request, user=self.user, device=device)
        return HttpResponseRedirect(next_url)


def admin_login(request):
    """The admin site's login page: the site's own sign-in (the same throttle, the same
    two-factor step), then back to the admin page asked for."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied  # signed in, but not someone the admin site lets in
    return redirect_to_login(next_url)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgot your password?", throttled per e-mail address and per client address
    (accounts.signin.throttle): past the limit the form says when to try again, sends nothing,
    and answers 429."""

    def form_valid(self, form):
        try:
            password_reset_request(
                email=form.cleaned_data["email"], address=client_address(self.request)
            )
        except SignInLocked as locked:
            form.add_error(None, locked.message)
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(locked.seconds)
            return response
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, and a new password set from the e-mail also lifts a lock on the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_succeeded(username=form.user.get_username())
        return response
