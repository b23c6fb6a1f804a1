"""Monitoring pages, one route list per sub-package: reports, rollups, the activity log."""

from django.urls import include, path

urlpatterns = [
    path("", include("monitoring.reports.urls")),
    path("", include("monitoring.rollups.urls")),
    path("", include("monitoring.activities.urls")),
]
