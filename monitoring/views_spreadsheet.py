"""Spreadsheet download and upload of a report (filled in by the spreadsheet work)."""

urlpatterns: list = []
