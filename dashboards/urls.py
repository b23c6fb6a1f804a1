"""Dashboard pages: /home/ sends each role to its own; national, regional, benchmarking."""

from django.urls import path

from dashboards import views, views_cluster

urlpatterns = [
    path("home/", views.home, name="dashboard-home"),
    path("dashboards/admin/", views.admin_dashboard, name="dashboard-admin"),
    path("dashboards/bso/", views.bso_dashboard, name="dashboard-bso"),
    path("dashboards/officer/", views.officer_dashboard, name="dashboard-officer"),
    path("dashboards/country/<int:pk>/", views.country_dashboard, name="dashboard-country"),
    path("dashboards/region/<int:pk>/", views.region_dashboard, name="dashboard-region"),
    path("dashboards/cluster/<int:pk>/", views_cluster.cluster_dashboard, name="dashboard-cluster"),
    path("dashboards/benchmark/", views.benchmark_dashboard, name="dashboard-benchmark"),
]
