"""Pages of competitiveness plans."""

from django.urls import path

from plans import views

urlpatterns = [
    path("clusters/<int:pk>/plan/", views.cluster_plan, name="cluster-plan"),
    path("clusters/<int:pk>/plan/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan-revise"),
    path("plans/<int:pk>/changes/", views.plan_changes, name="plan-changes"),
    path("plans/<int:pk>/studies/", views.study_add, name="plan-study-add"),
    path("plans/<int:pk>/actions/new/", views.action_new, name="plan-action-new"),
    path("plan-studies/<int:pk>/", views.study_download, name="plan-study"),
    path("plan-studies/<int:pk>/delete/", views.study_remove, name="plan-study-delete"),
    path("plan-actions/<int:pk>/edit/", views.action_edit, name="plan-action-edit"),
    path("plan-actions/<int:pk>/delete/", views.action_remove, name="plan-action-delete"),
    path("plan-actions/<int:pk>/link/", views.action_link, name="plan-action-link"),
    path("plan-actions/<int:pk>/log/", views.action_log, name="plan-action-log"),
    path("plan-links/<int:pk>/delete/", views.link_remove, name="plan-link-delete"),
]
