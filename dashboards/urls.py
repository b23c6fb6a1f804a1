"""Dashboard pages: /home/ sends each role to its own; national, regional, cluster, benchmarking."""

from django.urls import path

from dashboards.views import cluster, home, rollups

urlpatterns = [
    path("home/", home.home, name="dashboard-home"),
    path("dashboards/admin/", home.admin_dashboard, name="dashboard-admin"),
    path("dashboards/bso/", home.bso_dashboard, name="dashboard-bso"),
    path("dashboards/officer/", home.officer_dashboard, name="dashboard-officer"),
    path("dashboards/country/<int:pk>/", rollups.country_dashboard, name="dashboard-country"),
    path("dashboards/region/<int:pk>/", rollups.region_dashboard, name="dashboard-region"),
    path("dashboards/cluster/<int:pk>/", cluster.cluster_dashboard, name="dashboard-cluster"),
    path("dashboards/benchmark/", rollups.benchmark_dashboard, name="dashboard-benchmark"),
]
