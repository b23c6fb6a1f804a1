"""National and regional results pages published by their owners (ministry, regional body)."""
