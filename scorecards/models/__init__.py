"""The plan's models, one module per sub-domain; every model and public name is re-exported
here, so the app label, the tables and the migrations stay, and the rest of the project
imports from `scorecards.models`."""

from scorecards.models.checks import (
    DEFAULT_OUTLIER_THRESHOLD,
    MIN_PEERS,
    KPIChecks,
    checks_of,
)
from scorecards.models.cluster_scorecards import (
    ClusterScorecard,
    ClusterScorecardQuerySet,
    OwnKPI,
)
from scorecards.models.components import ComponentKPI
from scorecards.models.kpis import KPI
from scorecards.models.periods import Period, PeriodQuerySet
from scorecards.models.splits import (
    FIRM_SIZE_CATEGORIES,
    KPI_FLAG,
    OWNERSHIP_CATEGORIES,
    SEX_CATEGORIES,
    AgeGroup,
    Dimension,
    categories,
)
from scorecards.models.targets import Baseline, Level, Target
from scorecards.models.templates import CSF, Perspective, Template, TemplateKPI, TemplateQuerySet
from scorecards.models.values import VALUE_DIGITS, ValueFields

__all__ = [
    "CSF",
    "DEFAULT_OUTLIER_THRESHOLD",
    "FIRM_SIZE_CATEGORIES",
    "KPI",
    "KPI_FLAG",
    "MIN_PEERS",
    "OWNERSHIP_CATEGORIES",
    "SEX_CATEGORIES",
    "VALUE_DIGITS",
    "AgeGroup",
    "Baseline",
    "ClusterScorecard",
    "ClusterScorecardQuerySet",
    "ComponentKPI",
    "Dimension",
    "KPIChecks",
    "Level",
    "OwnKPI",
    "Period",
    "PeriodQuerySet",
    "Perspective",
    "Target",
    "Template",
    "TemplateKPI",
    "TemplateQuerySet",
    "ValueFields",
    "categories",
    "checks_of",
]
