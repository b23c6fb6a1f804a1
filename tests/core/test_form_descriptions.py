"""Every form page, as each role opens it: every visible input, select and textarea has a label,
every id that an aria-describedby (or aria-labelledby) names is on the page, and a form posted
empty or wrong comes back with a summary that links each field in error and keeps what was
typed (issue 15, item 6).

The pages come from the URL conf: each named route is either in PAGES (how to open it, and
whether to post its form) or in NOT_FORM_PAGES (why not), so that a new page fails
test_every_page_of_the_url_conf_is_listed until it is listed. The world is seeded once for the
module (tests.world), each test in a savepoint rolled back after it.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from calls.services import application_create
from clusters.models import Sex, StakeholderType
from monitoring.models import Report
from monitoring.reports.services import report_open
from plans.services import action_create, plan_create
from programs.models import Component, Enrolment, StrategicCommitteeMember
from scorecards.models import CSF, KPI, ClusterScorecard, Period, Template
from scorecards.services import own_kpi_propose
from tests.calls.helpers import build_call, eligible, supported_cluster
from tests.factories import MembershipFactory
from tests.monitoring.activity_data import make_activity
from tests.public.exchange.seed import published_exchange
from tests.world import build_thai, build_world

ROLES = ["anonymous", "bso_staff", "program_officer", "ministry", "regional", "admin"]


@dataclass(frozen=True)
class Page:
    """A page to open: its route, its arguments and query from the world; `post`: its main
    form is posted "empty" (every visible field blank) or "wrong" (every text input given a
    value no field takes), or not at all (None)."""

    name: str
    args: Callable[[SimpleNamespace], list] = lambda w: []
    query: Callable[[SimpleNamespace], dict] = lambda w: {}
    post: str | None = None
    label: str = ""
    follow: bool = False  # the route redirects to the form's own address (a reset link)

    @property
    def id(self) -> str:
        return self.label or self.name

    def url(self, world: SimpleNamespace) -> str:
        query = self.query(world)
        return reverse(self.name, args=self.args(world)) + (f"?{urlencode(query)}" if query else "")


def _committee(w, part):
    return [w.inside.pk, getattr(w.committees["inside"], part).pk]


def _reset_link(w):
    user = w.users["bso_staff"]
    return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]


# The one list of pages to check: add a page here when it is added to the URL conf.
PAGES = [
    Page("home"),
    Page("directory"),
    Page("cluster-detail", lambda w: [w.inside.pk]),
    Page("bso-detail", lambda w: [w.bso.pk]),
    Page("cluster-scorecard", lambda w: [w.inside.pk]),
    Page("report-detail", lambda w: [w.report.pk], post="wrong", label="report-entry"),
    Page("report-detail", lambda w: [w.submitted.pk], post="empty", label="report-review"),
    Page("report-upload", lambda w: [w.report.pk], post="empty"),
    Page("review-queue"),
    Page("rollup-list"),
    Page("rollup-runs"),
    Page("activity-list"),
    Page("activity-new", post="empty"),
    Page("activity-import", post="empty"),
    Page("activity-detail", lambda w: [w.activity.pk]),
    Page("activity-edit", lambda w: [w.activity.pk], post="wrong"),
    Page("cluster-activities", lambda w: [w.inside.pk]),
    Page("committee", lambda w: [w.inside.pk]),
    Page("cluster-network", lambda w: [w.inside.pk]),
    Page("committee-edit", lambda w: [w.inside.pk], post="empty"),
    Page("member-new", lambda w: [w.inside.pk], post="empty"),
    Page("member-edit", lambda w: _committee(w, "member"), post="empty"),
    Page("meeting-new", lambda w: [w.inside.pk], post="empty"),
    Page("meeting", lambda w: _committee(w, "meeting")),
    Page("meeting-edit", lambda w: _committee(w, "meeting"), post="wrong"),
    Page("action-new", lambda w: [w.inside.pk], post="empty"),
    Page("action-edit", lambda w: _committee(w, "item"), post="wrong"),
    Page("own-kpi-new", lambda w: [w.inside.pk], post="empty"),
    Page("own-kpi-review", lambda w: [w.own_kpi.pk], post="empty"),
    Page("own-kpi-edit", lambda w: [w.own_kpi.pk], post="empty"),
    Page("kpi-checks-list"),
    Page("kpi-checks", lambda w: [w.own_kpi.pk], post="wrong"),
    Page("target-grid"),
    *[
        Page("target-grid", query=query, post="wrong", label=f"target-grid-{level}")
        for level, query in [
            ("cluster", lambda w: {"unit": f"cluster-{w.inside.pk}", "year": 2025}),
            ("program", lambda w: {"unit": f"program-{w.program.pk}", "year": 2025}),
            ("country", lambda w: {"unit": f"country-{w.argentina.pk}", "year": 2025}),
            ("region", lambda w: {"unit": f"region-{w.southern_cone.pk}", "year": 2025}),
            ("global", lambda w: {"unit": "global", "year": 2025}),
        ]
    ],
    Page("baseline-grid", lambda w: [w.inside.pk], post="wrong"),
    Page("scorecard-adopt", lambda w: [w.inside.pk], post="empty"),
    Page("program-portfolio"),
    Page("program-detail", lambda w: [w.program.pk]),
    Page("program-create", post="empty"),
    Page("program-edit", lambda w: [w.program.pk], post="empty"),
    Page("program-status", lambda w: [w.program.pk], post="empty"),
    Page("component-create", lambda w: [w.program.pk], post="empty"),
    Page("component-edit", lambda w: [w.program.pk, w.component.pk], post="wrong"),
    Page("enrolment-create", lambda w: [w.program.pk], post="empty"),
    Page("enrolment-edit", lambda w: [w.program.pk, w.enrolment.pk], post="wrong"),
    Page("strategic-member-create", lambda w: [w.program.pk], post="empty"),
    Page("strategic-member-edit", lambda w: [w.program.pk, w.member.pk], post="wrong"),
    Page("disbursement-create", lambda w: [w.program.pk], post="wrong"),
    Page("exchange-rate-list"),
    Page("exchange-rate-import", post="empty"),
    Page("cluster-publication", lambda w: [w.inside.pk], post="wrong"),
    Page("country-publication", lambda w: [w.argentina.pk], post="empty"),
    Page("region-publication", lambda w: [w.southern_cone.pk], post="empty"),
    Page("public-index", query=lambda w: {"q": "wine"}),
    Page("exchange-home"),
    Page("case-study-new", post="empty"),
    Page("case-study-edit", lambda w: [w.case_study.pk], post="empty"),
    Page("exchange-visit-new", post="empty"),
    Page("exchange-visit-edit", lambda w: [w.visit.pk], post="empty"),
    Page("knowledge"),
    Page("case-study", lambda w: [w.case_study.pk]),
    Page("exchange-visit", lambda w: [w.visit.pk]),
    Page("notification-list"),
    Page("firm-list"),
    Page("firm-create", post="empty"),
    Page("firm-import", post="empty"),
    Page("firm-duplicates"),
    Page("firm-merge", lambda w: [w.firm.pk, w.twin.pk]),
    Page("firm-detail", lambda w: [w.firm.pk]),
    Page("firm-edit", lambda w: [w.firm.pk], post="wrong"),
    Page("firm-membership-add", lambda w: [w.firm.pk], post="empty"),
    Page("firm-membership-edit", lambda w: [w.firm.pk, w.membership.pk], post="wrong"),
    Page("call-list"),
    Page("call-detail", lambda w: [w.call.pk]),
    Page("call-create", post="empty"),
    Page("call-ranking", lambda w: [w.call.pk]),
    Page("survey-list"),
    Page("survey-create", post="empty"),
    Page("survey-import", post="empty"),
    Page("survey-detail", lambda w: [w.survey.pk]),
    Page("survey-scores", lambda w: [w.survey.pk]),
    Page("survey-version-import", lambda w: [w.draft.pk], post="empty"),
    Page("survey-question-new", lambda w: [w.draft.pk, 1], post="empty"),
    Page("survey-question-edit", lambda w: [w.draft.pk, 1, w.draft_question.pk], post="wrong"),
    Page("round-create", lambda w: [w.survey.pk], post="empty"),
    Page("round-detail", lambda w: [w.round.pk]),
    Page("round-results", lambda w: [w.round.pk]),
    Page("response-new", lambda w: [w.round.pk], post="wrong"),
    Page("response-import", lambda w: [w.round.pk], post="empty"),
    Page("response-detail", lambda w: [w.response.pk]),
    Page("application-new", lambda w: [w.call.pk], post="wrong"),
    Page("application-evaluate", lambda w: [w.application.pk], post="empty"),
    Page("application-select", lambda w: [w.application.pk], post="empty"),
    Page("cluster-plan", lambda w: [w.inside.pk]),
    Page("plan-create", lambda w: [w.inside.pk], post="empty"),
    Page("plan-detail", lambda w: [w.plan.pk]),
    Page("plan-edit", lambda w: [w.plan.pk], post="wrong"),
    Page("plan-approve", lambda w: [w.plan.pk], post="empty"),
    Page("plan-changes", lambda w: [w.plan.pk]),
    Page("plan-action-new", lambda w: [w.plan.pk], post="wrong"),
    Page("plan-action-edit", lambda w: [w.plan_action.pk], post="wrong"),
    Page("plan-action-link", lambda w: [w.plan_action.pk], post="empty"),
    Page("plan-action-log", lambda w: [w.plan_action.pk], post="wrong"),
    Page("dashboard-home"),
    Page("dashboard-admin"),
    Page("dashboard-bso"),
    Page("dashboard-officer"),
    Page("dashboard-country", lambda w: [w.argentina.pk]),
    Page("dashboard-region", lambda w: [w.southern_cone.pk]),
    Page("dashboard-cluster", lambda w: [w.inside.pk]),
    Page("dashboard-benchmark"),
    Page("account"),
    Page("login", post="empty"),
    Page("two-factor", post="empty"),
    Page("password_change", post="empty"),
    Page("password_reset", post="empty"),
    Page("password_reset_confirm", _reset_link, post="empty", follow=True),
    Page("user-list"),
    Page("user-new", post="empty"),
    Page("user-edit", lambda w: [w.users["bso_staff"].pk], post="empty"),
    Page("api-tokens"),
]

# Routes that are not form pages, and why.
NOT_FORM_PAGES = {
    "report-open": "a POST-only action (a button on the scorecard)",
    "report-action": "a POST-only action; its forms are on the report page (report-review)",
    "action-status": "a POST-only action; its form is on the committee page",
    "report-xlsx": "a download",
    "report-upload-annotated": "a download",
    "activity-export": "a download",
    "activity-import-template": "a download",
    "exchange-rate-template": "a download",
    "activity-attachment": "a download",
    "activity-import-progress": "JSON for the progress bar",
    "activity-import-job": "a job's progress and result: no form",
    "activity-delete": "a POST-only action; its form is on the activity's page",
    "activity-attach": "a POST-only action; its form is on the activity's page",
    "activity-attachment-delete": "a POST-only action; its form is on the activity's page",
    "rollup-detail": "a rolled-up value's explanation: no form",
    "rollup-run-detail": "a recompute's progress: no form",
    "support-history": "a history page: no form",
    "measurement-history": "a history page: no form",
    "measurement-comment": "a POST-only action; its forms are beside each value on the report "
    "page (report-entry, report-review)",
    "target-history": "a history page: no form",
    "baseline-history": "a history page: no form",
    "activity-history": "a history page: no form",
    "program-history": "a history page: no form",
    "firm-history": "a history page: no form",
    "cluster-publication-history": "a history page: no form",
    "program-iati": "a download (the program's IATI file)",
    "country-publication-history": "a history page: no form",
    "region-publication-history": "a history page: no form",
    "public-index-data": "an open-data download (CSV, JSON)",
    "public-data": "an open-data download (CSV, JSON)",
    "public-cluster": "a public results page: no form",
    "public-country": "a public results page: no form",
    "public-region": "a public results page: no form",
    "public-program": "a public results page: no form",
    "open-data": "the list of open datasets: no form",
    "case-study-image": "a download (an image of a case study)",
    "case-study-image-add": "a POST-only action; its form is on the case study's page",
    "exchange-visit-log": "a POST-only action; its button is on the visit's page",
    "notification-read": "a POST-only action; its form is on the notification list",
    "notification-read-all": "a POST-only action; its form is on the notification list",
    "call-transition": "a POST-only action; its buttons are on the call's page",
    "survey-xlsform": "a download (the XLSForm workbook)",
    "survey-version-new": "a POST-only action; its button is on the survey's page",
    "survey-version-publish": "a POST-only action; its button is on the survey's page",
    "survey-question-delete": "a POST-only action; its button is on the survey's page",
    "response-delete": "a POST-only action; its button is on the response's page",
    "disbursement-history": "a history page: no form",
    "plan-revise": "a POST-only action; its button is on the plan's page",
    "plan-study-add": "a POST-only action; its form is on the plan's page (plan-detail)",
    "plan-study": "a download",
    "plan-study-delete": "a POST-only action; its button is on the plan's page",
    "plan-action-delete": "a POST-only action; its button is on the plan's page",
    "plan-link-delete": "a POST-only action; its button is on the plan's page",
    "user-history": "a history page: no form",
    "signin-code": "reached only between the password and the code (its form is the shared "
    "include, as two-factor's)",
    "logout": "a POST-only action (the header's button)",
    "service-worker": "the offline pages' service worker script (core.offline): no page",
    "password_change_done": "a message: no form",
    "password_reset_done": "a message: no form",
    "password_reset_complete": "a message: no form",
    "api-token-new": "a POST-only action; its form is on the tokens page",
    "api-token-revoke": "a POST-only action; its form is on the tokens page",
    "api-tokens-revoke-all": "a POST-only action; its form is on the tokens page",
    "set_language": "the header's language buttons (on every page)",
    "schema": "the API's schema (JSON)",
    "api-docs": "Swagger UI, drawn by its own script",
}
OUTSIDE = {"admin", "api"}  # namespaces of the Django admin and the REST API: not our pages


def _route_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _route_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace not in OUTSIDE:
            yield pattern.name


def test_every_page_of_the_url_conf_is_listed():
    names = set(_route_names(get_resolver().url_patterns))
    listed = {page.name for page in PAGES}
    missing = names - listed - set(NOT_FORM_PAGES)
    assert not missing, f"add these routes to PAGES or NOT_FORM_PAGES: {sorted(missing)}"
    assert not (listed | set(NOT_FORM_PAGES)) - names, "listed routes that no longer exist"
    assert not listed & set(NOT_FORM_PAGES)


# --- the page, as an HTML parser reads it ------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
NOT_VISIBLE_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Control:
    tag: str
    attrs: dict
    in_label: bool
    hidden: bool
    form: int | None  # the index of its form on the page

    @property
    def type(self) -> str:
        return (self.attrs.get("type") or "text").lower() if self.tag == "input" else self.tag


@dataclass
class FormTag:
    attrs: dict
    controls: list[Control] = field(default_factory=list)
    textarea_text: dict = field(default_factory=dict)


class PageReader(HTMLParser):
    """The ids, labels, controls, forms and error-summary links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[Control] = []
        self.forms: list[FormTag] = []
        self.summary_links: list[str] = []
        self.in_summary = 0
        self.textarea: Control | None = None
        self.option_selected: dict[int, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value if value is not None else "") for name, value in attrs}
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and "for" in attrs:
            self.label_for.add(attrs["for"])
        if tag == "form":
            self.forms.append(FormTag(attrs))
        if "data-error-summary" in attrs:
            self.in_summary += 1
        if tag == "a" and self.in_summary and attrs.get("href", "").startswith("#"):
            self.summary_links.append(attrs["href"][1:])
        if tag in {"input", "select", "textarea"}:
            control = Control(
                tag,
                attrs,
                in_label=any(t == "label" for t, _a in self.stack),
                hidden="hidden" in attrs
                or any("hidden" in a or t == "template" for t, a in self.stack),
                form=len(self.forms) - 1 if any(t == "form" for t, _a in self.stack) else None,
            )
            self.controls.append(control)
            if control.form is not None:
                self.forms[control.form].controls.append(control)
            if tag == "textarea":
                self.textarea = control
                control.attrs["value"] = ""
        if tag == "option" and self.stack and "selected" in attrs:
            select = next((c for c in reversed(self.controls) if c.tag == "select"), None)
            if select is not None:
                select.attrs["value"] = attrs.get("value", "")
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _tag, attrs in self.stack[index:]:
                    if "data-error-summary" in attrs:
                        self.in_summary -= 1
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.textarea is not None:
            value = self.textarea.attrs["value"] + data
            # a newline just after <textarea> is not part of the value (HTML's parsing rules)
            self.textarea.attrs["value"] = (
                value.removeprefix("\n") if not self.textarea.attrs["value"] else value
            )


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    # A control with a `form` attribute belongs to the form of that id, wherever it sits (a
    # value's comment box inside the report's entry form posts with its own form).
    by_id = {f.attrs["id"]: i for i, f in enumerate(reader.forms) if "id" in f.attrs}
    for control in reader.controls:
        owner = by_id.get(control.attrs.get("form", ""))
        if owner is None or owner == control.form:
            continue
        if control.form is not None:
            reader.forms[control.form].controls.remove(control)
        control.form = owner
        reader.forms[owner].controls.append(control)
    return reader


def visible_controls(page: PageReader) -> list[Control]:
    return [c for c in page.controls if c.type not in NOT_VISIBLE_TYPES and not c.hidden]


def problems_of(html: str) -> list[str]:
    """What a screen reader would miss: a control without a label, an id named by
    aria-describedby or aria-labelledby that is not on the page, a summary link to nowhere."""
    page = read_page(html)
    ids = set(page.ids)
    problems = []
    for control in visible_controls(page):
        name = f"<{control.tag} name={control.attrs.get('name')!r} id={control.attrs.get('id')!r}>"
        labelled = (
            control.in_label
            or control.attrs.get("id") in page.label_for
            or control.attrs.get("aria-label", "").strip()
            or control.attrs.get("aria-labelledby", "").strip()
        )
        if not labelled:
            problems.append(f"{name} has no label")
        for attr in ("aria-describedby", "aria-labelledby"):
            for named in control.attrs.get(attr, "").split():
                if named not in ids:
                    problems.append(f"{name}: {attr} names #{named}, which is not on the page")
    for anchor in page.summary_links:
        if anchor not in ids:
            problems.append(f"the error summary links #{anchor}, which is not on the page")
    duplicated = {i for i in page.ids if page.ids.count(i) > 1}
    if duplicated:
        problems.append(f"ids used more than once: {sorted(duplicated)}")
    return problems


def main_post_form(page: PageReader) -> FormTag | None:
    """The page's form that posts the most visible fields (not the header's language or sign-out
    buttons)."""
    posting = [f for f in page.forms if f.attrs.get("method", "get").lower() == "post"]
    posting = [f for f in posting if any(c.type not in NOT_VISIBLE_TYPES for c in f.controls)]
    return max(posting, key=lambda f: len(f.controls), default=None)


WRONG = "not-a-number?"


def form_data(form: FormTag, mode: str) -> dict[str, str]:
    """The form's fields as a browser sends them, every visible one blank ("empty") or every
    text input given a value no number, date or choice takes ("wrong")."""
    data = {}
    for control in form.controls:
        name = control.attrs.get("name")
        if not name or control.type in {"submit", "button", "reset", "image", "file"}:
            continue
        if control.type in {"checkbox", "radio"}:
            continue  # unchecked: not sent
        if control.type == "hidden":
            data[name] = control.attrs.get("value", "")
        elif mode == "wrong" and control.type not in {"select", "password"}:
            data[name] = WRONG
        elif mode == "wrong":
            data[name] = control.attrs.get("value", "")
        else:
            data[name] = ""
    return data


def _group(input_id: str) -> str:
    return re.sub(r"_\d+$", "", input_id)


def comeback_problems(html: str, sent: dict[str, str]) -> list[str]:
    """A form shown back after errors: every field in error is linked from the summary at the
    top, and every text typed is in its input again."""
    page = read_page(html)
    problems = []
    invalid = [c for c in visible_controls(page) if c.attrs.get("aria-invalid") == "true"]
    if invalid and not page.summary_links:
        problems.append("fields in error but no error summary linking them")
    for control in invalid:
        own_id = control.attrs.get("id", "")
        # a group of radios, boxes or dates is linked by its first input (id_x_0 for id_x_1)
        if not any(_group(own_id) == _group(a) for a in page.summary_links):
            problems.append(f"#{own_id} is in error but the summary does not link it")
    shown = {c.attrs.get("name"): c.attrs.get("value", "") for c in page.controls}
    for name, value in sent.items():
        if value == WRONG and name in shown and shown[name] != WRONG:
            problems.append(f"{name}: typed {value!r}, shown back as {shown[name]!r}")
    return problems


# --- the world, once for the module -------------------------------------------------------------


def seed() -> SimpleNamespace:
    """tests.world with a row behind every page: a draft report of inside's Q1 and a submitted
    one of its Q2 (set so directly: its values are not the point here), an activity, a proposed
    own KPI."""
    world = build_thai(build_world())
    q2 = Period.objects.get(year=2025, quarter=2)
    world.submitted = report_open(cluster=world.inside, period=q2)
    Report.objects.filter(pk=world.submitted.pk).update(state=Report.State.SUBMITTED)
    world.activity = make_activity(world.inside, world.bso)
    world.component = Component.objects.create(program=world.program, name="Skills", budget=1000)
    world.enrolment = Enrolment.objects.get(program=world.program, cluster=world.inside)
    world.membership = MembershipFactory(cluster=world.inside, firm__name="Bodega Andina")
    world.firm = world.membership.firm
    world.twin = MembershipFactory(cluster=world.inside, firm__name="Bodega andina S.A.").firm
    world.member = StrategicCommitteeMember.objects.create(
        program=world.program,
        name="Ana Paz",
        organisation="Ministry",
        stakeholder_type=StakeholderType.PUBLIC,
        sex=Sex.FEMALE,
        since=datetime.date(2020, 1, 1),
    )
    world.call = build_call(world).call
    world.application = application_create(
        call=world.call,
        data=eligible(cluster=supported_cluster(world, "Maipú")),
        user=world.users["bso_staff"],
    )
    world.plan = plan_create(
        cluster=world.inside,
        data={
            "title": "Wine plan",
            "period_start": datetime.date(2025, 1, 1),
            "period_end": datetime.date(2026, 12, 31),
        },
        user=world.users["bso_staff"],
    )
    world.plan_action = action_create(
        plan=world.plan,
        data={
            "title": "Joint stand",
            "owner": "Chamber",
            "starts_on": datetime.date(2025, 3, 1),
            "ends_on": datetime.date(2025, 6, 30),
            "currency": "USD",
        },
        user=world.users["bso_staff"],
    )
    thai_food = Template.objects.get(code="thai-food", version=1)
    csf = CSF.objects.filter(perspective__template=thai_food).first()
    world.own_kpi = own_kpi_propose(
        scorecard=ClusterScorecard.objects.get(cluster=world.inside, until__isnull=True),
        csf=csf,
        data={
            "code": "inside-fairs",
            "name": "Fairs",
            "unit": KPI.Unit.COUNT,
            "aggregation": KPI.Aggregation.SUM,
            "time_aggregation": KPI.TimeAggregation.SUM,
        },
        user=world.users["bso_staff"],
    )
    world.case_study, world.visit = published_exchange(world)

    _seed_surveys(world)
    return world


def _seed_surveys(world) -> None:
    """A shared survey with a round of inside and a response, and a draft survey of inside with
    one question (the question builder's pages)."""
    from surveys.services import question_save, survey_create
    from tests.surveys.helpers import answer, make_round, make_survey

    world.survey = make_survey()
    world.round = make_round(world.survey, world.inside)
    (world.response,) = answer(world.round, [(world.firm, {"exports": "yes"})])
    world.draft = survey_create(
        data={"code": "inside-draft", "titles": {"en": "Draft"}, "cluster": world.inside}
    )
    world.draft_question = question_save(
        version=world.draft.versions.get(),
        data={"name": "workers", "kind": "integer", "labels": {"en": "Workers"}},
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
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


@pytest.fixture
def world(seeded, db):
    return seeded


def signed_in(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.id)
@pytest.mark.parametrize("role", ROLES)
def test_every_form_field_is_labelled_and_described_by_what_is_on_the_page(world, role, page):
    client = signed_in(world, role)
    url = page.url(world)

    response = client.get(url, follow=page.follow)
    if page.follow:
        url = response.request["PATH_INFO"]

    if response.status_code != 200 or "text/html" not in response["Content-Type"]:
        pytest.skip(f"{role} does not open {url} ({response.status_code})")
    html = response.content.decode()
    assert problems_of(html) == [], url
    if page.post is None:
        return
    form = main_post_form(read_page(html))
    if form is None:
        return  # this role reads the page and has nothing to post (an officer's draft report)
    action = form.attrs.get("action") or url
    data = form_data(form, page.post)

    answer = client.post(action, data)

    assert answer.status_code != 500
    if answer.status_code in {200, 400, 409} and "text/html" in answer["Content-Type"]:
        shown = answer.content.decode()
        assert problems_of(shown) == [], f"{url}, posted {page.post}"
        assert comeback_problems(shown, data) == [], f"{url}, posted {page.post}"


def test_the_checks_find_what_they_look_for():
    """The reader itself: an unlabelled input, a description that is not there, a summary link
    to nowhere, and an error the summary does not link are each found."""
    html = """
      <div data-error-summary>
        <ul><li><a href="#id_b">B</a></li><li><a href="#gone">X</a></li></ul>
      </div>
      <form method="post">
        <label for="id_a">A</label><input id="id_a" name="a" aria-describedby="id_a_helptext">
        <input id="id_b" name="b" aria-invalid="true">
        <label>C <select name="c"><option value="1" selected>1</option></select></label>
        <input id="id_d" name="d" aria-invalid="true" aria-label="D" value="x">
        <input type="hidden" name="e"><div hidden><input name="f"></div>
      </form>"""
    assert problems_of(html) == [
        "<input name='a' id='id_a'>: aria-describedby names #id_a_helptext, "
        "which is not on the page",
        "<input name='b' id='id_b'> has no label",
        "the error summary links #gone, which is not on the page",
    ]
    assert comeback_problems(html, {"d": WRONG}) == [
        "#id_d is in error but the summary does not link it",
        "d: typed 'not-a-number?', shown back as 'x'",
    ]


def test_a_control_belongs_to_the_form_its_form_attribute_names():
    """A value's comment box sits inside the report's entry form but posts with its own form,
    placed after it: the reader counts it there, as a browser sends it."""
    html = """
      <form method="post" id="entry"><input name="a"><input name="b">
        <textarea name="text" form="comment-1"></textarea></form>
      <form method="post" id="comment-1"></form>"""
    page = read_page(html)
    assert [c.attrs["name"] for c in page.forms[0].controls] == ["a", "b"]
    assert [c.attrs["name"] for c in page.forms[1].controls] == ["text"]
