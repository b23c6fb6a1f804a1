"""The cluster scorecard for a period, worked by hand."""

from decimal import Decimal as D

from monitoring.reports.scores import cluster_scorecard
from monitoring.reports.services import report_record_values
from scorecards.models import KPI, Baseline, Level, Target


def kpi(code):
    return KPI.objects.get(code=code)


def target(world, code, value):
    Target.objects.create(
        kpi=kpi(code), period=world.q1, level=Level.CLUSTER, cluster=world.inside, value=value
    )


def find(card, code):
    for p in card.perspectives:
        for c in p.csfs:
            for k in c.kpis:
                if k.kpi.code == code:
                    return k, c, p
    raise AssertionError(code)


def test_scorecard_scores_worked_by_hand(thai):
    # Cost control CSF: buying consortia 3 of target 4 (0.75); lean 6 of 4 (1.5 -> capped 1);
    # new technology has no target (grey, left out) -> CSF score (0.75 + 1) / 2 = 0.875.
    target(thai, "thai-buying-consortia", 4)
    target(thai, "thai-lean", 4)
    # Staff turnover (lower is better, ratio): 12 / 80 x 100 = 15%; baseline 20 / 100 = 20%;
    # target 10% -> (20 - 15) / (20 - 10) = 0.5 -> red.
    target(thai, "thai-staff-turnover", 10)
    Baseline.objects.create(
        cluster=thai.inside,
        kpi=kpi("thai-staff-turnover"),
        year=2024,
        numerator=20,
        denominator=100,
    )
    report_record_values(
        report=thai.report,
        rows={
            kpi("thai-buying-consortia").pk: {"value": "3"},
            kpi("thai-lean").pk: {"value": "6"},
            kpi("thai-new-technology").pk: {"value": "2"},
            kpi("thai-staff-turnover").pk: {"numerator": "12", "denominator": "80"},
        },
        user=thai.users["bso_staff"],
    )
    card = cluster_scorecard(cluster=thai.inside, period=thai.q1)

    consortia, cost_control, financial = find(card, "thai-buying-consortia")
    assert (consortia.actual, consortia.achievement, consortia.status) == (D(3), D("0.75"), "amber")
    lean, _, _ = find(card, "thai-lean")
    assert (lean.achievement, lean.status) == (D("1.5"), "green")
    tech, _, _ = find(card, "thai-new-technology")
    assert (tech.achievement, tech.status) == (None, "grey")
    assert cost_control.score == D("0.875")
    assert cost_control.status == "amber"

    turnover, skills, _ = find(card, "thai-staff-turnover")
    assert skills.csf.name_en == "Availability of skills and labour"
    assert (turnover.actual, turnover.baseline) == (D(15), D(20))
    assert (turnover.achievement, turnover.status) == (D("0.5"), "red")

    # Financial perspective: only Cost control has scores -> 0.875. Internal process: skills CSF
    # 0.5 -> perspective 0.5. Scorecard: (0.875 + 0.5) / 2 = 0.6875.
    assert financial.score == D("0.875")
    assert card.score == D("0.6875")
    assert card.report == thai.report


def test_an_empty_report_scores_grey(thai):
    card = cluster_scorecard(cluster=thai.inside, period=thai.q1)
    assert card.score is None
    assert card.status == "grey"
