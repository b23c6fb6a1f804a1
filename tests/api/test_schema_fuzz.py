"""schemathesis over the whole API schema, once per role: no answer is a 500, and every answer
matches the schema.

The app runs in-process (Django's WSGI handler, no server) on a small world seeded once for the
module. Each role signs in with an API token of its own. Path ids are mostly replaced by
ids that exist (in and out of the role's scope), so that detail, update and action routes get
past the 404; each example runs in a savepoint rolled back after it, so every example sees the
same database.
"""

import datetime
import os
from decimal import Decimal

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from accounts.tokens.services import token_issue
from config.api import router
from monitoring.models import Report
from monitoring.rollups.staleness import process_stale
from plans.services import action_activity_link, action_create, plan_create
from programs.models import Program
from programs.services import program_disburse
from scorecards.models import CSF, KPI, ClusterScorecard, Level, Template
from scorecards.services import (
    baseline_set,
    own_kpi_propose,
    scorecard_adopt,
    target_set,
    template_new_version,
)
from tests.monitoring.activity_data import make_activity
from tests.monitoring.rollup_reference import periods, report_with
from tests.surveys.helpers import answer, firms_of, make_round, make_survey
from tests.world import build_thai, build_world

ROLES = ["admin", "program_officer", "ministry", "regional", "bso_staff"]
# Every answer is documented: no 500, a body as the schema says, and a status it lists.
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]
# Deeper runs by hand: SCHEMA_FUZZ_EXAMPLES=100 SCHEMA_FUZZ_COVERAGE=1 pytest tests/api/...
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "5"))
# Random examples, valid and invalid, drawn by Hypothesis. The coverage phase (every boundary
# of every field, ~400 requests for a write) would take this suite past its time budget.
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": bool(os.environ.get("SCHEMA_FUZZ_COVERAGE"))}}}
)


def seed() -> dict[str, str]:
    """The small world of tests.world with a row behind every route: approved and draft
    reports, rollups, targets, a baseline, a draft template, a proposed own KPI, an activity, a
    disbursement, a draft competitiveness plan with an action and its activity, a survey round
    with three responses. Returns an API token per role."""
    world = build_thai(build_world())
    thai_food = Template.objects.get(code="thai-food", version=1)
    scorecard_adopt(cluster=world.outside, template=thai_food, on=datetime.date(2024, 1, 1))
    quarter = periods(2025)
    report_with(world.inside, quarter["q1"])
    report_with(world.outside, quarter["q1"])
    report_with(world.inside, quarter["q2"], state=Report.State.DRAFT)
    process_stale()
    admin, bso_staff = world.users["admin"], world.users["bso_staff"]
    csf = CSF.objects.filter(perspective__template=thai_food).first()
    kpi = KPI.objects.filter(placements__csf=csf).first()
    target_set(kpi=kpi, period=quarter["year"], level=Level.GLOBAL, unit=None, value=10, user=admin)
    target_set(
        kpi=kpi, period=quarter["q1"], level=Level.CLUSTER, unit=world.inside, value=3, user=admin
    )
    baseline_set(cluster=world.inside, kpi=kpi, data={"value": 2, "year": 2024})
    template_new_version(template=thai_food)
    own_kpi_propose(
        scorecard=ClusterScorecard.objects.get(cluster=world.inside, until__isnull=True),
        csf=csf,
        data={
            "code": "inside-fairs",
            "name": "Fairs",
            "unit": KPI.Unit.COUNT,
            "aggregation": KPI.Aggregation.SUM,
            "time_aggregation": KPI.TimeAggregation.SUM,
        },
        user=bso_staff,
    )
    activity = make_activity(world.inside, world.bso, cost_program=100)
    plan = plan_create(
        cluster=world.inside,
        data={
            "title": "Wine plan",
            "period_start": datetime.date(2025, 1, 1),
            "period_end": datetime.date(2026, 12, 31),
        },
        user=bso_staff,
    )
    action = action_create(
        plan=plan,
        data={
            "title": "Joint stand",
            "owner": "Chamber",
            "starts_on": datetime.date(2025, 3, 1),
            "ends_on": datetime.date(2025, 6, 30),
            "currency": "USD",
            "kpis": [kpi],
        },
        user=bso_staff,
    )
    action_activity_link(action=action, activity=activity, user=bso_staff)
    Program.objects.filter(pk=world.program.pk).update(
        status=Program.Status.IN_EXECUTION,
        approval_date=datetime.date(2023, 1, 15),
        currency="USD",
        total_amount=Decimal("200"),
        funder_amount=Decimal("100"),
    )
    program_disburse(
        program=world.program, data={"amount": Decimal("50"), "date": datetime.date(2024, 2, 1)}
    )
    round_ = make_round(make_survey(), world.inside)
    answer(round_, [(f, {"exports": "yes", "satisfaction": 4}) for f in firms_of(world.inside, 3)])
    return {role: token_issue(user=user)[1] for role, user in world.users.items()}


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    """seed(), once for the module, in a transaction rolled back at its end; each test's own
    transaction nests inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def in_request_transaction(tokens, db):
    with _same_connection():
        yield


@pytest.fixture
def token(tokens, role):
    return tokens[role]


class _same_connection:
    """Requests through the WSGI handler run on the test's own connection and transaction:
    Django closes "old" connections at each request's start and end, which inside a test's
    transaction would throw it away (its test client switches that off in the same way)."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


VIEWSETS = {prefix: viewset for prefix, viewset, _basename in router.registry}


def _existing_ids(path: str) -> list[int]:
    """The ids of the rows behind a route's {id}: its viewset's rows as an administrator reads
    them (every row, in any role's scope or not)."""
    prefix = path.removeprefix("/api/v1/").split("/{id}/")[0]
    request = Request(APIRequestFactory().get("/"))
    request.user = User.objects.get(username="admin")
    view = VIEWSETS[prefix](request=request, action="retrieve", args=(), kwargs={})
    return list(view.get_queryset().order_by("pk").values_list("pk", flat=True))


def _point_at_existing(case) -> None:
    """Most generated ids become an existing row's (each in turn); some stay as drawn."""
    value = (case.path_parameters or {}).get("id")
    if not isinstance(value, int) or not 0 <= value < 2**63:
        return
    ids = _existing_ids(case.operation.path)
    slot = value % (len(ids) + 1)
    if slot < len(ids):
        case.path_parameters["id"] = ids[slot]


# The schema as a client reads it, from /api/schema/ (drawn without the database).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), config=CONFIG)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.usefixtures("in_request_transaction")
def test_every_operation_answers_within_its_schema_for_every_role(case, token):
    _point_at_existing(case)
    savepoint = transaction.savepoint()
    try:
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(savepoint)
