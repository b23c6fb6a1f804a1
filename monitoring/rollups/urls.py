"""Rollup pages: the table of rolled-up values, one value explained, and full recompute runs."""

from django.urls import path

from monitoring.rollups import views

urlpatterns = [
    path("rollups/", views.rollup_list, name="rollup-list"),
    path(
        "rollups/<int:kpi>/<int:period>/<slug:level>/<int:unit>/",
        views.rollup_detail,
        name="rollup-detail",
    ),
    path("rollups/runs/", views.rollup_runs, name="rollup-runs"),
    path("rollups/runs/<int:pk>/", views.rollup_run_detail, name="rollup-run-detail"),
]
