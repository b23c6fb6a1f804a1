"""Pages of surveys (signed-in users, their scope only)."""

from django.urls import path

from surveys import views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/import/", views.survey_import, name="survey-import"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/xlsform/", views.survey_xlsform, name="survey-xlsform"),
    path("surveys/<int:pk>/scores/", views.survey_scores, name="survey-scores"),
    path("surveys/<int:pk>/versions/new/", views.version_new, name="survey-version-new"),
    path("surveys/<int:pk>/versions/import/", views.version_import, name="survey-version-import"),
    path(
        "surveys/<int:pk>/versions/<int:number>/publish/",
        views.version_publish,
        name="survey-version-publish",
    ),
    path(
        "surveys/<int:pk>/versions/<int:number>/questions/new/",
        views.question_form,
        name="survey-question-new",
    ),
    path(
        "surveys/<int:pk>/versions/<int:number>/questions/<int:question_pk>/",
        views.question_form,
        name="survey-question-edit",
    ),
    path(
        "surveys/<int:pk>/versions/<int:number>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="survey-question-delete",
    ),
    path("surveys/<int:pk>/rounds/new/", views.round_create, name="round-create"),
    path("survey-rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("survey-rounds/<int:pk>/results/", views.round_results, name="round-results"),
    path("survey-rounds/<int:pk>/responses/new/", views.response_new, name="response-new"),
    path("survey-rounds/<int:pk>/import/", views.response_import, name="response-import"),
    path("survey-responses/<int:pk>/", views.response_detail, name="response-detail"),
    path("survey-responses/<int:pk>/delete/", views.response_delete, name="response-delete"),
]
