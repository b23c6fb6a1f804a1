"""Exchange-rate pages: the table, its import and the import's template."""

from django.urls import path

from programs.rates import views

urlpatterns = [
    path("exchange-rates/", views.exchange_rate_list, name="exchange-rate-list"),
    path("exchange-rates/import/", views.exchange_rate_import, name="exchange-rate-import"),
    path(
        "exchange-rates/import/template.csv",
        views.exchange_rate_template,
        name="exchange-rate-template",
    ),
]
