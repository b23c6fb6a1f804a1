"""Governance pages, under the cluster they belong to."""

from django.urls import path

from monitoring.governance import views

urlpatterns = [
    path("clusters/<int:pk>/committee/", views.committee, name="committee"),
    path("clusters/<int:pk>/committee/edit/", views.committee_edit, name="committee-edit"),
    path("clusters/<int:pk>/committee/members/new/", views.member_form, name="member-new"),
    path(
        "clusters/<int:pk>/committee/members/<int:member_pk>/edit/",
        views.member_form,
        name="member-edit",
    ),
    path("clusters/<int:pk>/committee/meetings/new/", views.meeting_form, name="meeting-new"),
    path(
        "clusters/<int:pk>/committee/meetings/<int:meeting_pk>/",
        views.meeting_detail,
        name="meeting",
    ),
    path(
        "clusters/<int:pk>/committee/meetings/<int:meeting_pk>/edit/",
        views.meeting_form,
        name="meeting-edit",
    ),
    path("clusters/<int:pk>/committee/actions/new/", views.action_item_form, name="action-new"),
    path(
        "clusters/<int:pk>/committee/actions/<int:item_pk>/edit/",
        views.action_item_form,
        name="action-edit",
    ),
    path(
        "clusters/<int:pk>/committee/actions/<int:item_pk>/status/",
        views.action_item_status,
        name="action-status",
    ),
]
