"""Dashboard pages: /home/ sends each role to its own; national, regional, cluster, benchmarking.

The dashboards only read, and may lag a few seconds: with a read replica configured they read
the domain's tables there (core.routers.replica_reads)."""

from django.urls import path

from core.routers import replica_reads
from dashboards.views import cluster, home, rollups

urlpatterns = [
    path("home/", home.home, name="dashboard-home"),
    path("dashboards/admin/", replica_reads(home.admin_dashboard), name="dashboard-admin"),
    path("dashboards/bso/", replica_reads(home.bso_dashboard), name="dashboard-bso"),
    path("dashboards/officer/", replica_reads(home.officer_dashboard), name="dashboard-officer"),
    path(
        "dashboards/country/<int:pk>/",
        replica_reads(rollups.country_dashboard),
        name="dashboard-country",
    ),
    path(
        "dashboards/region/<int:pk>/",
        replica_reads(rollups.region_dashboard),
        name="dashboard-region",
    ),
    path(
        "dashboards/cluster/<int:pk>/",
        replica_reads(cluster.cluster_dashboard),
        name="dashboard-cluster",
    ),
    path(
        "dashboards/benchmark/",
        replica_reads(rollups.benchmark_dashboard),
        name="dashboard-benchmark",
    ),
]
