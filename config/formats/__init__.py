"""How dates and times read on every page and e-mail, one pattern for every language.

Day, month name and year ("30 Oct 2026", "30 Oct 2026 15:44"): never a bare 10/30 or 30/10
that a reader from another country would read the other way, and times to the minute. Each
language's module (`en`, `es`, ...) takes these; Django translates the month names, and
keeps its own input formats for each language (FORMAT_MODULE_PATH in settings). Spanish
and Portuguese write the month abbreviation in lower case (es/formats.py, pt/formats.py)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
