from config.formats import (  # noqa: F401 (Django reads these names from this module)
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

# Spanish writes month abbreviations in lower case: "3 dic 2026".
DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y H:i"
SHORT_DATETIME_FORMAT = "j b Y H:i"
MONTH_DAY_FORMAT = "j b"
