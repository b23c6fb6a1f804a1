"""factory_boy factories for every model, importable as `from tests.factories import ...`."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from bsos.models import BSO, ClusterSupport
from clusters.models import (
    ActionItem,
    Cluster,
    ClusterType,
    CommitteeMember,
    Country,
    InitiativeOrigin,
    LifecycleStage,
    Meeting,
    Region,
    SectorFamily,
    Sex,
    StakeholderType,
    SteeringCommittee,
)
from firms.models import Firm, Membership
from programs.models import Enrolment, Program

_ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_USER_ASSIGNED = [f"X{c}" for c in _ALPHA] + [f"Q{c}" for c in _ALPHA[_ALPHA.index("M") :]]


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    # ISO 3166 user-assigned codes (XA-XZ, QM-QZ), so a factory country never takes the code
    # of a real one that a test creates by hand (AR, EC...).
    code = factory.Sequence(lambda n: _USER_ASSIGNED[n % len(_USER_ASSIGNED)])
    name = factory.LazyAttribute(lambda o: f"Country {o.code}")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster

    code = factory.Sequence(lambda n: f"cluster-{n}")
    name = factory.Sequence(lambda n: f"Cluster {n}")
    country = factory.SubFactory(CountryFactory)
    locality = "Mendoza"
    sector = "wine"
    sector_family = SectorFamily.NATURAL_RESOURCE
    cluster_type = ClusterType.ITALIANATE
    lifecycle_stage = LifecycleStage.MATURING
    initiative_origin = InitiativeOrigin.BOTTOM_UP_PRIVATE
    number_of_firms = 120
    employment = 3000
    women_led_firms = 20


class BSOFactory(DjangoModelFactory):
    class Meta:
        model = BSO

    code = factory.Sequence(lambda n: f"bso-{n}")
    name = factory.Sequence(lambda n: f"BSO {n}")
    kind = BSO.Kind.BUSINESS_ASSOCIATION
    country = factory.SubFactory(CountryFactory)


class ClusterSupportFactory(DjangoModelFactory):
    class Meta:
        model = ClusterSupport

    bso = factory.SubFactory(BSOFactory)
    cluster = factory.SubFactory(ClusterFactory)
    role = ClusterSupport.Role.PARTNER
    since = datetime.date(2020, 1, 1)


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    code = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    funder = "IDB"


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    program = factory.SubFactory(ProgramFactory)
    cluster = factory.SubFactory(ClusterFactory)
    enrolled_from = datetime.date(2020, 1, 1)


class SteeringCommitteeFactory(DjangoModelFactory):
    class Meta:
        model = SteeringCommittee

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.LazyAttribute(lambda o: f"Steering committee of {o.cluster.name}")


class CommitteeMemberFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(SteeringCommitteeFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    organisation = "Chamber of Commerce"
    stakeholder_type = StakeholderType.PRIVATE
    sex = Sex.FEMALE
    since = datetime.date(2020, 1, 1)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(SteeringCommitteeFactory)
    held_on = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    location = "Town hall"


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    committee = factory.SubFactory(SteeringCommitteeFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_on = datetime.date(2030, 1, 1)


class FirmFactory(DjangoModelFactory):
    class Meta:
        model = Firm

    name = factory.Sequence(lambda n: f"Firm {n}")
    country = factory.SubFactory(CountryFactory)
    locality = "Town"
    sector = "wine"


class MembershipFactory(DjangoModelFactory):
    """A firm's membership of a cluster; the firm is of the cluster's country by default."""

    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    firm = factory.SubFactory(FirmFactory, country=factory.SelfAttribute("..cluster.country"))
    since = datetime.date(2024, 1, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")
    role = Role.ADMIN

    @factory.post_generation
    def programs(self, create, extracted, **kwargs):
        if create and extracted:
            self.programs.set(extracted)
        if create:
            self.save()
