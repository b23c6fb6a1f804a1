"""The monitoring endpoints under /api/v1/: routes for config/api.py's router, and plain paths."""

from django.urls import path

from monitoring.api.activities import ActivityAttachmentViewSet, ActivityViewSet
from monitoring.api.meetings import SteeringMeetingViewSet
from monitoring.api.networks import NetworkView
from monitoring.api.reports import MeasurementViewSet, ReportViewSet, ScoreView
from monitoring.api.rollups import RollupRunViewSet, RollupViewSet

# (prefix, viewset, basename), registered on the one /api/v1/ router.
ROUTES = [
    ("reports", ReportViewSet, "report"),
    ("measurements", MeasurementViewSet, "measurement"),
    ("rollups", RollupViewSet, "rollup"),
    ("rollup-runs", RollupRunViewSet, "rolluprun"),
    ("activities", ActivityViewSet, "activity"),
    ("activity-attachments", ActivityAttachmentViewSet, "activityattachment"),
    # A committee's meetings are clusters' data, written here so that each is logged as its
    # activity (monitoring.governance.services).
    ("meetings", SteeringMeetingViewSet, "meeting"),
]

urlpatterns = [
    path("scores/", ScoreView.as_view(), name="scores"),
    path("networks/", NetworkView.as_view(), name="networks"),
]
