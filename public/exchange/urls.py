"""Knowledge exchange: staff pages under /exchange/, public pages under /knowledge/."""

from django.urls import path

from public.exchange import views

urlpatterns = [
    path("exchange/", views.exchange_home, name="exchange-home"),
    path("exchange/case-studies/new/", views.case_study_new, name="case-study-new"),
    path("exchange/case-studies/<int:pk>/edit/", views.case_study_edit, name="case-study-edit"),
    path(
        "exchange/case-studies/<int:pk>/images/",
        views.case_study_image_add,
        name="case-study-image-add",
    ),
    path("exchange/visits/new/", views.visit_new, name="exchange-visit-new"),
    path("exchange/visits/<int:pk>/edit/", views.visit_edit, name="exchange-visit-edit"),
    path("exchange/visits/<int:pk>/log/", views.visit_log, name="exchange-visit-log"),
    path("knowledge/", views.knowledge_index, name="knowledge"),
    path("knowledge/case-studies/<int:pk>/", views.case_study_detail, name="case-study"),
    path("knowledge/visits/<int:pk>/", views.visit_detail, name="exchange-visit"),
    path("knowledge/images/<int:pk>/", views.case_study_image, name="case-study-image"),
]
