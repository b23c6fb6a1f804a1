"""Activity log pages: the list and its exports, entry, import, attachments, a cluster's
timeline."""

from django.urls import path

from monitoring.activities import views

urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/export/<str:fmt>/", views.activity_export, name="activity-export"),
    path("activities/new/", views.activity_new, name="activity-new"),
    path("activities/import/", views.activity_import, name="activity-import"),
    path("activities/import/<int:pk>/", views.activity_import_job, name="activity-import-job"),
    path(
        "activities/import/<int:pk>/progress/",
        views.activity_import_progress,
        name="activity-import-progress",
    ),
    path(
        "activities/import/template.<str:fmt>",
        views.activity_import_template,
        name="activity-import-template",
    ),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/history/", views.activity_history, name="activity-history"),
    path("activities/<int:pk>/delete/", views.activity_remove, name="activity-delete"),
    path("activities/<int:pk>/attachments/", views.attachment_upload, name="activity-attach"),
    path("activities/files/<int:pk>/", views.attachment_download, name="activity-attachment"),
    path(
        "activities/files/<int:pk>/delete/",
        views.attachment_remove,
        name="activity-attachment-delete",
    ),
    path("clusters/<int:pk>/activities/", views.cluster_activities, name="cluster-activities"),
]
