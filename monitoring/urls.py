"""Report, rollup and activity pages: scorecard, review queue, data entry, spreadsheets,
rollups, the activity log."""

from monitoring import views, views_activities, views_rollups, views_spreadsheet

urlpatterns = [
    *views.urlpatterns,
    *views_spreadsheet.urlpatterns,
    *views_rollups.urlpatterns,
    *views_activities.urlpatterns,
]
