from config.formats import (  # noqa: F401 (Django reads these names from this module)
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

# Portuguese (Brazilian conventions) writes month abbreviations in lower case: "30 out 2026",
# and groups thousands with a dot and decimals with a comma: "1.234,56".
DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y H:i"
SHORT_DATETIME_FORMAT = "j b Y H:i"
MONTH_DAY_FORMAT = "j b"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
