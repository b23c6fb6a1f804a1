"""Public pages: the directory of clusters and BSOs, and BSO profiles."""

from django.urls import path

from bsos import views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("bsos/<int:pk>/", views.bso_detail, name="bso-detail"),
    path("supports/<int:pk>/history/", views.support_history, name="support-history"),
]
