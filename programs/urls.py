"""Program pages: the portfolio (with its downloads), one program, and the exchange rates."""

from django.urls import include, path

from programs import views

urlpatterns = [
    path("programs/", views.portfolio, name="program-portfolio"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/history/", views.program_history, name="program-history"),
    path(
        "disbursements/<int:pk>/history/",
        views.disbursement_history,
        name="disbursement-history",
    ),
    path("", include("programs.rates.urls")),
]
