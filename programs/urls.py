"""Program pages: the portfolio (with its downloads), one program, the forms that write it, and
the exchange rates."""

from django.urls import include, path

from programs import views

urlpatterns = [
    path("programs/", views.portfolio, name="program-portfolio"),
    path("programs/new/", views.program_create, name="program-create"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("programs/<int:pk>/status/", views.program_status, name="program-status"),
    path("programs/<int:pk>/components/new/", views.component_form, name="component-create"),
    path(
        "programs/<int:pk>/components/<int:component_pk>/edit/",
        views.component_form,
        name="component-edit",
    ),
    path("programs/<int:pk>/enrolments/new/", views.enrolment_form, name="enrolment-create"),
    path(
        "programs/<int:pk>/enrolments/<int:enrolment_pk>/edit/",
        views.enrolment_form,
        name="enrolment-edit",
    ),
    path(
        "programs/<int:pk>/committee/new/",
        views.strategic_member_form,
        name="strategic-member-create",
    ),
    path(
        "programs/<int:pk>/committee/<int:member_pk>/edit/",
        views.strategic_member_form,
        name="strategic-member-edit",
    ),
    path(
        "programs/<int:pk>/disbursements/new/",
        views.disbursement_create,
        name="disbursement-create",
    ),
    path("programs/<int:pk>/history/", views.program_history, name="program-history"),
    path(
        "disbursements/<int:pk>/history/",
        views.disbursement_history,
        name="disbursement-history",
    ),
    path("", include("programs.rates.urls")),
]
