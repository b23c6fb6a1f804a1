"""Demo surveys: the two shipped questionnaires, a 2026 self-assessment round answered by the
lead organisations of the three Argentine clusters (so that the peer mean shows), and a
training participant round of Mendoza wine with six participants. Rounds are found by title, so
a second run writes nothing."""

import datetime

from bsos.models import ClusterSupport
from clusters.models import Cluster
from demo.seed.rows import CREATED, UNCHANGED, SeedReport
from surveys.models import Response, Round
from surveys.services import ResponseInput, responses_create, round_create
from surveys.shipped import shipped_surveys_install

# Lead organisation's ratings per cluster, statement by statement (self-assessment order).
ASSESSMENTS = {
    "mendoza-wine": [5, 4, 4, 4, 4, 5, 3, 3, 4, 3],
    "cordoba-software": [4, 4, 5, 4, 5, 4, 4, 4, 3, 3],
    "rafaela-machinery": [3, 3, 3, 2, 4, 3, 2, 2, 3, 2],
}
# (person, sex, five agreement ratings, organisation type) of Mendoza wine's training.
PARTICIPANTS = [
    ("Lucía Fernández", "female", [5, 4, 5, 5, 3], "firm"),
    ("Martín Gómez", "male", [4, 4, 3, 4, 4], "firm"),
    ("Carla Ruiz", "female", [4, 5, 5, 4, 2], "bso"),
    ("Pablo Moreno", "male", [3, 3, 4, 5, 4], "public"),
    ("Sofía Castro", "female", [5, 4, 4, 4, 3], "firm"),
    ("Diego Ortiz", "male", [4, 3, 3, 4, 5], "academia"),
]


def _round(report: SeedReport, version, title, cluster, audience, starts: datetime.date):
    existing = Round.objects.filter(version=version, title=title).first()
    if existing is not None:
        report.count(Round, UNCHANGED)
        return None
    report.count(Round, CREATED)
    return round_create(
        data={
            "version": version,
            "title": title,
            "cluster": cluster,
            "audience": audience,
            "starts_on": starts,
            "ends_on": starts + datetime.timedelta(days=45),
        }
    )


def _save(report: SeedReport, round_, items) -> None:
    _saved, errors = responses_create(round_=round_, items=items, source=Response.Source.PAGE)
    if errors:
        raise ValueError(f"demo survey responses refused: {errors}")
    for _item in items:
        report.count(Response, CREATED)


def seed_surveys(report: SeedReport) -> None:
    assessment, training = shipped_surveys_install()
    clusters = {c.code: c for c in Cluster.objects.filter(code__in=[*ASSESSMENTS, "mendoza-wine"])}
    version = assessment.versions.get(number=1)
    names = [q.name for q in version.questions.order_by("position")]
    round_ = _round(
        report,
        version,
        "Self-assessment 2026",
        None,
        Round.Audience.ORGANISATIONS,
        datetime.date(2026, 3, 1),
    )
    if round_ is not None:
        items = []
        for code, ratings in ASSESSMENTS.items():
            lead = ClusterSupport.objects.current().filter(
                cluster=clusters[code], role=ClusterSupport.Role.LEAD
            )
            support = lead.select_related("bso").first()
            items.append(
                ResponseInput(
                    answers=dict(zip(names, ratings, strict=True)),
                    bso=support.bso if support else None,
                    cluster=clusters[code],
                    answered_on=datetime.date(2026, 3, 20),
                )
            )
        _save(report, round_, items)
    version = training.versions.get(number=1)
    names = [q.name for q in version.questions.order_by("position")]
    round_ = _round(
        report,
        version,
        "Mendoza wine training 2026",
        clusters["mendoza-wine"],
        Round.Audience.PARTICIPANTS,
        datetime.date(2026, 5, 4),
    )
    if round_ is not None:
        items = [
            ResponseInput(
                answers={**dict(zip(names[:5], ratings, strict=True)), "organisation_type": kind},
                person=person,
                sex=sex,
                answered_on=datetime.date(2026, 5, 8),
            )
            for person, sex, ratings, kind in PARTICIPANTS
        ]
        _save(report, round_, items)
