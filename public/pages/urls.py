from django.urls import path, register_converter

from public.pages import views


class KindConverter:
    regex = "clusters|countries|regions|programs"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "public_kind")

urlpatterns = [
    path("results/", views.index, name="public-index"),
    path("results/clusters.<str:fmt>", views.index_data, name="public-index-data"),
    path("results/clusters/<slug:code>/", views.page, {"kind": "clusters"}, name="public-cluster"),
    path(
        "results/countries/<slug:code>/", views.page, {"kind": "countries"}, name="public-country"
    ),
    path("results/regions/<slug:code>/", views.page, {"kind": "regions"}, name="public-region"),
    path("results/programs/<slug:code>/", views.page, {"kind": "programs"}, name="public-program"),
    path(
        "results/<public_kind:kind>/<slug:code>/<slug:table>.<str:fmt>",
        views.page_data,
        name="public-data",
    ),
]
