"""The two published cluster scorecards that ship with Clusterboard (shared/domain/scorecards.md),
one module each, and the loader that a data migration runs."""

from scorecards.builtin.loader import (
    BUILTIN_SCORECARDS,
    fill_builtin_translations,
    load_builtin_templates,
)

__all__ = ["BUILTIN_SCORECARDS", "fill_builtin_translations", "load_builtin_templates"]
