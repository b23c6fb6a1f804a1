"""Cluster pages (the directory, which also lists BSOs, is routed by bsos.urls)."""

from django.urls import path

from clusters import views

urlpatterns = [
    path("", views.home, name="home"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
]
