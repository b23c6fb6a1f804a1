"""Demo users, one per role, each anchored in the scope its role sees (demo.data); and the
people who wrote the other clusters' reports (staff of each lead BSO, another program's
officer), who cannot sign in."""

from django.contrib.auth.hashers import check_password, make_password

from accounts.models import Role, User
from bsos.models import BSO, ClusterSupport
from clusters.models import Country, Region
from demo import data
from demo.seed.rows import SeedReport, upsert
from programs.models import Program

# Django's mark of a password nobody can sign in with ("!" and anything), fixed rather than
# random so that seeding again writes nothing.
NO_PASSWORD = "!demo-staff-cannot-sign-in"


def seed_users(
    report: SeedReport,
    *,
    bsos: dict[str, BSO],
    programs: dict[str, Program],
    countries: dict[str, Country],
) -> None:
    regions = {region.code: region for region in Region.objects.all()}
    password = _DemoPassword()
    for row in data.DEMO_USERS:
        values = {
            "first_name": row.first_name,
            "last_name": row.last_name,
            "email": f"{row.username}@clusterboard.example.org",
            "role": row.role,
            "is_active": True,
            "is_staff": row.role == Role.ADMIN,
            "is_superuser": row.role == Role.ADMIN,
            "bso": bsos[row.scope] if row.role == Role.BSO_STAFF else None,
            "country": countries[row.scope] if row.role == Role.MINISTRY else None,
            "region": regions[row.scope] if row.role == Role.REGIONAL else None,
        }
        existing = User.objects.filter(username=row.username).first()
        if existing is None or not password.is_hashed_by(existing.password):
            values["password"] = password.hashed
        officer_programs = (
            [programs[code] for code in row.scope] if row.role == Role.PROGRAM_OFFICER else []
        )
        upsert(
            report,
            User,
            keys={"username": row.username},
            values=values,
            m2m={"programs": officer_programs},
        )
    _seed_authors(report, bsos=bsos, programs=programs)


class _DemoPassword:
    """The demo password, hashed once for all the demo users: hashing is slow on purpose
    (a second or so each), and they share the password anyway. A stored hash is checked once
    too."""

    def __init__(self) -> None:
        self._hashed: str | None = None
        self._checked: dict[str, bool] = {}

    @property
    def hashed(self) -> str:
        if self._hashed is None:
            self._hashed = make_password(data.DEMO_PASSWORD)
        return self._hashed

    def is_hashed_by(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(data.DEMO_PASSWORD, encoded)
        return self._checked[encoded]


def _seed_authors(report: SeedReport, *, bsos: dict[str, BSO], programs: dict[str, Program]):
    demo_bso = next(row.scope for row in data.DEMO_USERS if row.role == Role.BSO_STAFF)
    leads = {row.bso for row in data.SUPPORTS if row.role == ClusterSupport.Role.LEAD}
    for row in data.BSOS:
        if row.code not in leads or row.code == demo_bso:
            continue
        first_name, _space, last_name = row.contact_person.partition(" ")
        _author(
            report,
            username=data.staff_username(row.code),
            role=Role.BSO_STAFF,
            first_name=first_name,
            last_name=last_name,
            bso=bsos[row.code],
        )
    for username, program, first_name, last_name in data.OTHER_OFFICERS:
        _author(
            report,
            username=username,
            role=Role.PROGRAM_OFFICER,
            first_name=first_name,
            last_name=last_name,
            programs=[programs[program]],
        )


def _author(report: SeedReport, *, username: str, role: str, programs=(), **values) -> None:
    upsert(
        report,
        User,
        keys={"username": username},
        values={
            **values,
            "email": f"{username}@clusterboard.example.org",
            "role": role,
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
            "password": NO_PASSWORD,
        },
        m2m={"programs": list(programs)},
    )
