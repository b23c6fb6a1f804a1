"""Pages of the plan: a cluster's own KPIs (propose, decide), its scorecard adoption and
baselines, and the targets grid."""

from django.urls import path

from scorecards.views import adoption, baselines, checks, own_kpis, targets

urlpatterns = [
    path("clusters/<int:pk>/own-kpis/new/", own_kpis.own_kpi_new, name="own-kpi-new"),
    path("own-kpis/<int:pk>/", own_kpis.own_kpi_review, name="own-kpi-review"),
    path("own-kpis/<int:pk>/edit/", own_kpis.own_kpi_edit, name="own-kpi-edit"),
    path("targets/", targets.target_grid, name="target-grid"),
    path("kpis/checks/", checks.kpi_checks_list, name="kpi-checks-list"),
    path("kpis/<int:pk>/checks/", checks.kpi_checks_edit, name="kpi-checks"),
    path("clusters/<int:pk>/baselines/", baselines.baseline_grid, name="baseline-grid"),
    path(
        "clusters/<int:pk>/scorecard/adopt/", adoption.scorecard_adopt_page, name="scorecard-adopt"
    ),
]
