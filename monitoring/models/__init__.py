"""The monitoring models, one module per sub-domain; re-exported here so that the app label,
the tables and the migrations stay those of `monitoring.models`."""

from monitoring.models.activities import (
    COST_FIELDS,
    JOINT_ACTION_TYPES,
    TRAINING_TYPES,
    Activity,
    ActivityAttachment,
    ActivityImport,
    ActivityType,
)
from monitoring.models.checks import MAX_EXPLANATION, Flag, flag_message
from monitoring.models.comments import MAX_COMMENT, Comment
from monitoring.models.reports import (
    Measurement,
    MeasurementSplit,
    ReminderSent,
    Report,
    ReportQuerySet,
    ReportTransition,
)
from monitoring.models.rollups import (
    PARTIAL_DIGITS,
    TOTAL_DIGITS,
    ClusterRollup,
    Rollup,
    RollupPartial,
    RollupPartialsBuilt,
    RollupRun,
    RollupRunItem,
    RollupSplit,
    RollupSplitPartial,
)

__all__ = [
    "COST_FIELDS",
    "JOINT_ACTION_TYPES",
    "MAX_COMMENT",
    "MAX_EXPLANATION",
    "PARTIAL_DIGITS",
    "TOTAL_DIGITS",
    "TRAINING_TYPES",
    "Activity",
    "ActivityAttachment",
    "ActivityImport",
    "ActivityType",
    "ClusterRollup",
    "Comment",
    "Flag",
    "Measurement",
    "MeasurementSplit",
    "ReminderSent",
    "Report",
    "ReportQuerySet",
    "ReportTransition",
    "Rollup",
    "RollupPartial",
    "RollupPartialsBuilt",
    "RollupRun",
    "RollupRunItem",
    "RollupSplit",
    "RollupSplitPartial",
    "flag_message",
]
