"""Pages of calls for proposals (the list and a published call's page are public)."""

from django.urls import path

from calls import views

urlpatterns = [
    path("calls/", views.call_list, name="call-list"),
    path("calls/new/", views.call_create, name="call-create"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/state/", views.call_transition, name="call-transition"),
    path("calls/<int:pk>/ranking/", views.call_ranking, name="call-ranking"),
    path("calls/<int:pk>/apply/", views.application_new, name="application-new"),
    path(
        "applications/<int:pk>/evaluate/", views.application_evaluate, name="application-evaluate"
    ),
    path("applications/<int:pk>/select/", views.application_select, name="application-select"),
]
