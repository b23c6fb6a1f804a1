"""Report pages: scorecard, review queue, data entry, and the spreadsheet round trip."""

from monitoring import views, views_spreadsheet

urlpatterns = [*views.urlpatterns, *views_spreadsheet.urlpatterns]
