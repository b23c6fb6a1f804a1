"""Monitoring pages, one route list per sub-package: reports, rollups, the activity log,
the steering committee's governance, the collaboration network."""

from django.urls import include, path

urlpatterns = [
    path("", include("monitoring.reports.urls")),
    path("", include("monitoring.rollups.urls")),
    path("", include("monitoring.activities.urls")),
    path("", include("monitoring.governance.urls")),
    path("", include("monitoring.networks.urls")),
]
