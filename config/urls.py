"""Root URLs: pages (translated), admin, the API and its schema and docs."""

from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from accounts.signin.views import admin_login
from core.offline import service_worker


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, API answers)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# The admin's name in its header and the browser's title bar, in the user's language.
admin.site.site_header = _("Clusterboard administration")
admin.site.site_title = _("Clusterboard administration")

urlpatterns = [
    path("", include("clusters.urls")),
    path("", include("bsos.urls")),
    path("", include("monitoring.urls")),
    path("", include("scorecards.urls")),
    path("", include("programs.urls")),
    path("", include("firms.urls")),
    path("", include("calls.urls")),
    path("", include("plans.urls")),
    path("", include("surveys.urls")),
    path("", include("dashboards.urls")),
    path("", include("public.urls")),
    path("", include("public.exchange.urls")),
    path("", include("notifications.urls")),
    path("accounts/", include("accounts.urls")),
    # Django's switcher (django.conf.urls.i18n), keeping a signed-in user's choice too.
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    # The admin's login is the site's sign-in (throttled, two factors for administrators).
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    # The offline pages' service worker: at the root, so that its scope is the whole site.
    path("sw.js", service_worker, name="service-worker"),
    path("api/v1/", include(("config.api", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from /api/docs/?script= instead of
    # inline: the Content-Security-Policy allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler404 = "core.http_errors.page_not_found"
handler500 = "core.http_errors.server_error"
