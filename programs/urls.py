"""Program pages: the portfolio (with its downloads) and one program."""

from django.urls import path

from programs import views

urlpatterns = [
    path("programs/", views.portfolio, name="program-portfolio"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
]
