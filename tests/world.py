"""The small world most tests run in: one user per role and clear scopes (see build_world).

tests/conftest.py gives it to a test as the `world` and `thai` fixtures; a module that seeds
once for all its tests builds it itself."""

import datetime
from types import SimpleNamespace

from accounts.models import Role
from bsos.models import ClusterSupport
from monitoring.reports.services import report_open
from scorecards.models import Period, Template
from scorecards.services import periods_generate, scorecard_adopt
from tests.factories import (
    ActionItemFactory,
    BSOFactory,
    ClusterFactory,
    ClusterSupportFactory,
    CommitteeMemberFactory,
    CountryFactory,
    EnrolmentFactory,
    MeetingFactory,
    ProgramFactory,
    RegionFactory,
    SteeringCommitteeFactory,
    UserFactory,
)


def build_world() -> SimpleNamespace:
    """Two countries, one region plus an overlapping one, a cluster in scope and one outside.

    - `inside` is in Argentina, supported by `bso`, enrolled in `program`.
    - `outside` is in Ecuador, supported by `other_bso`, enrolled in `other_program`.
    - The regional user's region ("Southern Cone") holds Argentina only.
    """
    argentina = CountryFactory(code="AR", name="Argentina")
    ecuador = CountryFactory(code="EC", name="Ecuador")
    southern_cone = RegionFactory(code="southern-cone", name="Southern Cone", countries=[argentina])
    latam = RegionFactory(code="latam", name="Latin America", countries=[argentina, ecuador])
    inside = ClusterFactory(code="mendoza-wine", name="Mendoza wine", country=argentina)
    outside = ClusterFactory(code="atuntaqui-garments", name="Atuntaqui garments", country=ecuador)
    bso = BSOFactory(code="bodegas", name="Bodegas de Argentina", country=argentina)
    other_bso = BSOFactory(code="camara-atuntaqui", name="Cámara de Atuntaqui", country=ecuador)
    ClusterSupportFactory(bso=bso, cluster=inside, role=ClusterSupport.Role.LEAD)
    ClusterSupportFactory(bso=other_bso, cluster=outside, role=ClusterSupport.Role.LEAD)
    program = ProgramFactory(code="ar-clusters")
    other_program = ProgramFactory(code="ec-clusters")
    EnrolmentFactory(program=program, cluster=inside)
    EnrolmentFactory(program=other_program, cluster=outside)

    committees = {}
    for name, cluster in (("inside", inside), ("outside", outside)):
        committee = SteeringCommitteeFactory(cluster=cluster)
        member = CommitteeMemberFactory(committee=committee)
        meeting = MeetingFactory(committee=committee, held_on=datetime.date(2025, 3, 1))
        meeting.attendees.set([member])
        item = ActionItemFactory(committee=committee, meeting=meeting, owner=member)
        committees[name] = SimpleNamespace(
            committee=committee, member=member, meeting=meeting, item=item
        )

    users = {
        "bso_staff": UserFactory(username="bso", role=Role.BSO_STAFF, bso=bso),
        "program_officer": UserFactory(
            username="officer", role=Role.PROGRAM_OFFICER, programs=[program]
        ),
        "ministry": UserFactory(username="ministry", role=Role.MINISTRY, country=argentina),
        "regional": UserFactory(username="regional", role=Role.REGIONAL, region=southern_cone),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_staff=True),
    }
    return SimpleNamespace(
        argentina=argentina,
        ecuador=ecuador,
        southern_cone=southern_cone,
        latam=latam,
        inside=inside,
        outside=outside,
        bso=bso,
        other_bso=other_bso,
        program=program,
        other_program=other_program,
        committees=committees,
        users=users,
    )


def build_thai(world: SimpleNamespace) -> SimpleNamespace:
    """The world, with `inside` on the Thai Food scorecard, the 2025 periods, and its Q1 report."""
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.report = report_open(cluster=world.inside, period=world.q1)
    return world
