from django.urls import path

from public.areas import views

urlpatterns = [
    path(
        "countries/<int:pk>/publication/",
        views.area_publication,
        {"kind": "country"},
        name="country-publication",
    ),
    path(
        "countries/<int:pk>/publication/history/",
        views.area_publication_history,
        {"kind": "country"},
        name="country-publication-history",
    ),
    path(
        "regions/<int:pk>/publication/",
        views.area_publication,
        {"kind": "region"},
        name="region-publication",
    ),
    path(
        "regions/<int:pk>/publication/history/",
        views.area_publication_history,
        {"kind": "region"},
        name="region-publication-history",
    ),
]
