"""Report pages: a cluster's scorecard, opening and filling a report, its review, the review
queue, and the report's spreadsheet round trip."""

from django.urls import path, re_path

from monitoring.reports.services import TRANSITIONS
from monitoring.reports.views import comments, history, pages, workbook

urlpatterns = [
    path("clusters/<int:pk>/scorecard/", pages.cluster_scorecard_page, name="cluster-scorecard"),
    path("clusters/<int:pk>/reports/new/", pages.report_open_view, name="report-open"),
    path("reports/<int:pk>/", pages.report_detail, name="report-detail"),
    # Only the review actions: other /reports/<pk>/<name>/ pages (the spreadsheet) stay reachable.
    re_path(
        rf"^reports/(?P<pk>[0-9]+)/(?P<action>{'|'.join(TRANSITIONS)})/$",
        pages.report_action,
        name="report-action",
    ),
    path("reviews/", pages.review_queue, name="review-queue"),
    path("values/<int:pk>/history/", history.measurement_history, name="measurement-history"),
    path("values/<int:pk>/comments/", comments.measurement_comment, name="measurement-comment"),
    path("targets/<int:pk>/history/", history.target_history, name="target-history"),
    path("baselines/<int:pk>/history/", history.baseline_history, name="baseline-history"),
    path("reports/<int:pk>/xlsx/", workbook.report_xlsx, name="report-xlsx"),
    path("reports/<int:pk>/upload/", workbook.report_upload, name="report-upload"),
    path(
        "reports/<int:pk>/upload/annotated/<str:token>/",
        workbook.report_upload_annotated,
        name="report-upload-annotated",
    ),
]
