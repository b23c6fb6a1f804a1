"""The collaboration network page, under the cluster it belongs to."""

from django.urls import path

from monitoring.networks import views

urlpatterns = [
    path("clusters/<int:pk>/network/", views.cluster_network, name="cluster-network"),
]
