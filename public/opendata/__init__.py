"""Open data: every public page's tables as CSV and JSON, with a stable documented column set
(docs/open-data.md) and a licence line, and the list of datasets at /open-data/."""
