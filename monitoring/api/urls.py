"""The monitoring endpoints under /api/v1/: routes for config/api.py's router, and plain paths."""

from django.urls import path

from monitoring.api.activities import ActivityAttachmentViewSet, ActivityViewSet
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
]

urlpatterns = [
    path("scores/", ScoreView.as_view(), name="scores"),
]
