"""Pages of the firm registry (signed-in users, their scope only)."""

from django.urls import path

from firms import views

urlpatterns = [
    path("firms/", views.firm_list, name="firm-list"),
    path("firms/new/", views.firm_create, name="firm-create"),
    path("firms/import/", views.firm_import, name="firm-import"),
    path("firms/duplicates/", views.duplicates, name="firm-duplicates"),
    path("firms/merge/<int:first>/<int:second>/", views.merge, name="firm-merge"),
    path("firms/<int:pk>/", views.firm_detail, name="firm-detail"),
    path("firms/<int:pk>/edit/", views.firm_edit, name="firm-edit"),
    path("firms/<int:pk>/history/", views.firm_history, name="firm-history"),
    path("firms/<int:pk>/memberships/new/", views.membership_form, name="firm-membership-add"),
    path(
        "firms/<int:pk>/memberships/<int:membership_pk>/",
        views.membership_form,
        name="firm-membership-edit",
    ),
]
