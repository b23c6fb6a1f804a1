"""Every write that names another object (a cluster, a KPI, a program, a committee...) refuses
one outside the writer's scope with 404, exactly as it answers an id that names nothing, and
writes nothing: a different answer would tell the writer which ids exist.

Each case posts, as each role but the administrator, a body that is valid but for one reference,
once with an object outside the role's scope and once with an id that names nothing. Roles an
endpoint refuses whatever the body (403 before the body is read) answer 403 to both.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from clusters.models import ActionItem, CommitteeMember, Meeting, SteeringCommittee
from monitoring.models import Activity, Report
from programs.models import Component, Disbursement
from scorecards.models import CSF, KPI, Baseline, ClusterScorecard, Period, Target, Template
from scorecards.services import own_kpi_propose, periods_generate, scorecard_adopt
from tests.factories import ClusterFactory

ROLES = ["bso_staff", "program_officer", "ministry", "regional"]
MISSING = 2**31 - 1  # an id that names no row
FIELD_WRITERS = {"bso_staff"}  # besides administrators
PROGRAM_WRITERS = {"program_officer"}


@pytest.fixture
def refs(world):
    """The world with the plan, an own KPI on each side and a component of each program."""
    periods_generate(first_year=2025, last_year=2025)
    template = Template.objects.get(code="thai-food")
    on = Period.objects.order_by("starts_on").first().starts_on
    world.scorecard = scorecard_adopt(cluster=world.inside, template=template, on=on)
    world.outside_scorecard = scorecard_adopt(cluster=world.outside, template=template, on=on)
    world.csf = CSF.objects.filter(perspective__template=template).first()
    world.year = Period.objects.get(year=2025, quarter=0)
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.kpi = KPI.objects.get(code="thai-lean")
    own = {"unit": "count", "aggregation": "sum", "time_aggregation": "sum"}
    world.outside_kpi = own_kpi_propose(
        scorecard=world.outside_scorecard,
        csf=world.csf,
        data={"code": "atuntaqui-looms", "name": "Looms", **own},
        user=world.users["admin"],
    )
    world.component = Component.objects.create(
        program=world.program, name="Training", budget=Decimal(0)
    )
    world.other_component = Component.objects.create(
        program=world.other_program, name="Fairs", budget=Decimal(0)
    )
    # A cluster of the inside BSO without a committee, to create one for.
    world.spare = ClusterFactory(country=world.argentina)
    return world


def _inside(w):
    return w.committees["inside"]


def _outside(w):
    return w.committees["outside"]


# name -> (url, model written, the body with `ref` in the reference under test, what to put
# there from outside the scope, roles the endpoint lets past its role check)
CASES = {
    "committee.cluster": (
        lambda w: reverse("api:committee-list"),
        SteeringCommittee,
        lambda w, ref: {"cluster": ref, "name": "Steering", "established_on": "2025-01-01"},
        lambda w: w.outside.pk,
        FIELD_WRITERS,
    ),
    "committeemember.committee": (
        lambda w: reverse("api:committeemember-list"),
        CommitteeMember,
        lambda w, ref: {
            "committee": ref,
            "name": "Ana Pérez",
            "organisation": "UNCuyo",
            "stakeholder_type": "academia",
            "sex": "female",
            "since": "2024-01-01",
        },
        lambda w: _outside(w).committee.pk,
        FIELD_WRITERS,
    ),
    "meeting.committee": (
        lambda w: reverse("api:meeting-list"),
        Meeting,
        lambda w, ref: {"committee": ref, "held_on": "2025-06-01"},
        lambda w: _outside(w).committee.pk,
        FIELD_WRITERS,
    ),
    "meeting.attendees": (
        lambda w: reverse("api:meeting-list"),
        Meeting,
        lambda w, ref: {
            "committee": _inside(w).committee.pk,
            "held_on": "2025-06-01",
            "attendees": [ref],
        },
        lambda w: _outside(w).member.pk,
        FIELD_WRITERS,
    ),
    "actionitem.meeting": (
        lambda w: reverse("api:actionitem-list"),
        ActionItem,
        lambda w, ref: {
            "committee": _inside(w).committee.pk,
            "meeting": ref,
            "title": "Book the stand",
            "due_on": "2025-09-01",
        },
        lambda w: _outside(w).meeting.pk,
        FIELD_WRITERS,
    ),
    "actionitem.owner": (
        lambda w: reverse("api:actionitem-list"),
        ActionItem,
        lambda w, ref: {
            "committee": _inside(w).committee.pk,
            "owner": ref,
            "title": "Book the stand",
            "due_on": "2025-09-01",
        },
        lambda w: _outside(w).member.pk,
        FIELD_WRITERS,
    ),
    "baseline.cluster": (
        lambda w: reverse("api:baseline-list"),
        Baseline,
        lambda w, ref: {"cluster": ref, "kpi": w.kpi.pk, "year": 2024, "value": "3"},
        lambda w: w.outside.pk,
        set(ROLES),
    ),
    "baseline.kpi": (
        lambda w: reverse("api:baseline-list"),
        Baseline,
        lambda w, ref: {"cluster": w.inside.pk, "kpi": ref, "year": 2024, "value": "3"},
        lambda w: w.outside_kpi.pk,
        set(ROLES),
    ),
    "target.kpi": (
        lambda w: reverse("api:target-list"),
        Target,
        lambda w, ref: {
            "kpi": ref,
            "period": w.year.pk,
            "level": "cluster",
            "cluster": w.inside.pk,
            "value": "12",
        },
        lambda w: w.outside_kpi.pk,
        set(ROLES),
    ),
    "target.cluster": (
        lambda w: reverse("api:target-list"),
        Target,
        lambda w, ref: {
            "kpi": w.kpi.pk,
            "period": w.year.pk,
            "level": "cluster",
            "cluster": ref,
            "value": "12",
        },
        lambda w: w.outside.pk,
        set(ROLES),
    ),
    "target.program": (
        lambda w: reverse("api:target-list"),
        Target,
        lambda w, ref: {
            "kpi": w.kpi.pk,
            "period": w.year.pk,
            "level": "program",
            "program": ref,
            "value": "12",
        },
        lambda w: w.other_program.pk,
        set(ROLES),
    ),
    "clusterscorecard.cluster": (
        lambda w: reverse("api:clusterscorecard-list"),
        ClusterScorecard,
        lambda w, ref: {
            "cluster": ref,
            "template": Template.objects.get(code="thai-food").pk,
            "adopted_on": "2025-06-01",
        },
        lambda w: w.outside.pk,
        set(ROLES),
    ),
    "kpi.scorecard": (
        lambda w: reverse("api:kpi-list"),
        KPI,
        lambda w, ref: {
            "code": "new-own-kpi",
            "name": "New own KPI",
            "unit": "count",
            "aggregation": "sum",
            "time_aggregation": "sum",
            "scorecard": ref,
            "csf": w.csf.pk,
        },
        lambda w: w.outside_scorecard.pk,
        set(ROLES),
    ),
    "report.cluster": (
        lambda w: reverse("api:report-list"),
        Report,
        lambda w, ref: {"cluster": ref, "period": w.q1.pk},
        lambda w: w.outside.pk,
        set(ROLES),
    ),
    **{
        f"activity.{field}": (
            lambda w: reverse("api:activity-list"),
            Activity,
            lambda w, ref, field=field: {
                "cluster": w.inside.pk,
                "date": "2025-04-01",
                "type": "trade_fair",
                "title": "Vinexpo stand",
                "cost_program": "10",
                "currency": "ARS",
                field: ref,
            },
            outside,
            FIELD_WRITERS,
        )
        for field, outside in [
            ("cluster", lambda w: w.outside.pk),
            ("action_item", lambda w: _outside(w).item.pk),
            ("component", lambda w: w.other_component.pk),
        ]
    },
    "disbursement.component": (
        lambda w: reverse("api:program-disbursements", args=[w.program.pk]),
        Disbursement,
        lambda w, ref: {"date": "2025-06-01", "amount": "1.00", "component": ref},
        lambda w: w.other_component.pk,
        PROGRAM_WRITERS,
    ),
}


def _post(api_client, refs, role, case, ref):
    url, _model, body, _outside_ref, _writers = CASES[case]
    api_client.force_authenticate(refs.users[role])
    return api_client.post(url(refs), body(refs, ref), format="json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_reference_outside_the_scope_answers_as_one_that_names_nothing(
    api_client, refs, role, case
):
    _url, model, _body, outside_ref, writers = CASES[case]
    before = model.objects.count()

    outside = _post(api_client, refs, role, case, outside_ref(refs))
    missing = _post(api_client, refs, role, case, MISSING)

    expected = 404 if role in writers else 403
    assert (outside.status_code, missing.status_code) == (expected, expected), outside.json()
    assert outside.json() == missing.json()
    assert model.objects.count() == before


# (a disbursement's component must be one of the program's, for administrators too:
# tests/programs/test_api_programs.py)
@pytest.mark.parametrize("case", sorted(set(CASES) - {"disbursement.component"}))
def test_the_same_write_with_the_reference_in_scope_is_accepted_by_an_administrator(
    api_client, refs, case
):
    """The bodies are valid but for the reference under test: an administrator, whose scope
    holds everything, gets past the reference (the test above proves the scope, not a typo)."""
    response = _post(api_client, refs, "admin", case, CASES[case][3](refs))
    assert response.status_code != 404, response.json()


# --- Pages ------------------------------------------------------------------------------------

PAGE_REFERENCES = {
    "cluster": lambda w: w.outside.pk,
    "action_item": lambda w: _outside(w).item.pk,
    "component": lambda w: w.other_component.pk,
}


def _activity_form(refs, **fields):
    return {
        "cluster": refs.inside.pk,
        "date": "2025-03-03",
        "type": "training",
        "title": "Pruning course",
        "cost_program": "100",
        "currency": "ARS",
        **fields,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("field", sorted(PAGE_REFERENCES))
@pytest.mark.parametrize("page", ["new", "edit"])
def test_the_activity_form_answers_404_for_a_reference_outside_the_scope(
    client, refs, role, field, page
):
    from tests.monitoring.activity_data import make_activity

    activity = make_activity(refs.inside, refs.bso, title="Inside training")
    client.force_login(refs.users[role])
    url = reverse("activity-new") if page == "new" else reverse("activity-edit", args=[activity.pk])

    outside = client.post(url, _activity_form(refs, **{field: PAGE_REFERENCES[field](refs)}))
    missing = client.post(url, _activity_form(refs, **{field: MISSING}))

    expected = 404 if role in FIELD_WRITERS else 403
    assert (outside.status_code, missing.status_code) == (expected, expected)
    assert Activity.objects.count() == 1
    activity.refresh_from_db()
    assert (activity.title, activity.cluster_id) == ("Inside training", refs.inside.pk)


def test_the_activity_form_still_saves_a_reference_in_scope(client, refs):
    client.force_login(refs.users["bso_staff"])
    item = _inside(refs).item
    response = client.post(reverse("activity-new"), _activity_form(refs, action_item=item.pk))
    assert response.status_code == 302
    assert Activity.objects.get().action_item == item


@pytest.mark.parametrize("name", ["baseline", "target"])
def test_an_own_kpi_takes_baselines_and_targets_for_its_own_cluster_only(api_client, refs, name):
    """Both clusters in an administrator's scope: the answer is a 400 naming the KPI."""
    api_client.force_authenticate(refs.users["admin"])
    body = {"cluster": refs.inside.pk, "kpi": refs.outside_kpi.pk, "value": "3"}
    body |= {"year": 2024} if name == "baseline" else {"period": refs.year.pk, "level": "cluster"}
    response = api_client.post(reverse(f"api:{name}-list"), body, format="json")
    assert response.status_code == 400
    assert "kpi" in response.json()
    body["cluster"] = refs.outside.pk
    assert api_client.post(reverse(f"api:{name}-list"), body, format="json").status_code == 201


def test_the_activity_import_reads_an_action_item_outside_the_scope_as_unknown(client, refs):
    """Through the import page: the same problem for an item outside the scope and for an id
    that names nothing (an item of another cluster in scope would say so instead)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.activities.template import KEYS

    def line(item) -> str:
        cells = {"cluster": "mendoza-wine", "date": "2025-02-03", "type": "training"}
        cells |= {"title": "Course", "currency": "ARS", "action_item": str(item)}
        return ",".join(cells.get(key, "") for key in KEYS)

    client.force_login(refs.users["bso_staff"])
    text = "\n".join([",".join(KEYS), line(_outside(refs).item.pk), line(MISSING)])
    upload = SimpleUploadedFile("activities.csv", text.encode(), "text/csv")
    response = client.post(reverse("activity-import"), {"file": upload})

    assert response.status_code == 400
    problems = [str(p).split(":", 1)[1] for p in response.context["errors"]]
    assert problems[0].replace(str(_outside(refs).item.pk), "N") == problems[1].replace(
        str(MISSING), "N"
    )
    assert not Activity.objects.exists()
