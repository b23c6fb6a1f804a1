from django.urls import path

from public.opendata import views

urlpatterns = [path("open-data/", views.open_data, name="open-data")]
