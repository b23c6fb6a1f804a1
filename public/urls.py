from django.urls import include, path

from public import views

urlpatterns = [
    path("clusters/<int:pk>/publication/", views.cluster_publication, name="cluster-publication"),
    path(
        "clusters/<int:pk>/publication/history/",
        views.cluster_publication_history,
        name="cluster-publication-history",
    ),
    path("programs/<int:pk>/iati.xml", views.program_iati, name="program-iati"),
]

urlpatterns += [
    path("", include("public.areas.urls")),
    path("", include("public.pages.urls")),
    path("", include("public.opendata.urls")),
]
