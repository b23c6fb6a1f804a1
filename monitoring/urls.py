"""Report and rollup pages: scorecard, review queue, data entry, spreadsheets, rollups."""

from monitoring import views, views_rollups, views_spreadsheet

urlpatterns = [*views.urlpatterns, *views_spreadsheet.urlpatterns, *views_rollups.urlpatterns]
