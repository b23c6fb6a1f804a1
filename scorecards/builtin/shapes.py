"""The shapes a published scorecard is written in, and the shorthand for our choices.

Names are exactly as published, with Spanish and Portuguese translations. Units, directions and
aggregations are not in the sources; the choices are ours, written beside each KPI:
counts of companies doing something are flows (summed over the year) when they count new
events and stocks (last quarter) when they count a state; percentage KPIs are entered as a
numerator and a denominator and roll up as a ratio of sums.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class K:
    code: str
    en: str
    es: str
    pt: str
    unit: str = "count"
    direction: str = "higher"
    aggregation: str = "sum"
    time_aggregation: str = "sum"
    frequency: str = "quarterly"
    results_level: str = "output"
    by_sex: bool = False
    description_en: str = ""
    description_es: str = ""
    description_pt: str = ""


@dataclass(frozen=True)
class CSF:
    en: str
    es: str
    pt: str
    kpis: list[K] = field(default_factory=list)


@dataclass(frozen=True)
class Perspective:
    en: str
    es: str
    pt: str
    csfs: list[CSF]


@dataclass(frozen=True)
class Scorecard:
    code: str
    en: str
    es: str
    pt: str
    source: str
    description_en: str
    description_es: str
    description_pt: str
    perspectives: list[Perspective]


STOCK = {"time_aggregation": "last"}
RATE = {"unit": "percent", "aggregation": "ratio", "results_level": "outcome"}
