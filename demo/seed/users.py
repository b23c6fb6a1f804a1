"""Demo users, one per role, each anchored in the scope its role sees (demo.data)."""

from django.contrib.auth.hashers import make_password

from accounts.models import Role, User
from bsos.models import BSO
from clusters.models import Country, Region
from demo import data
from demo.seed.rows import SeedReport, upsert
from programs.models import Program


def seed_users(
    report: SeedReport,
    *,
    bsos: dict[str, BSO],
    programs: dict[str, Program],
    countries: dict[str, Country],
) -> None:
    regions = {region.code: region for region in Region.objects.all()}
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
        if existing is None or not existing.check_password(data.DEMO_PASSWORD):
            values["password"] = make_password(data.DEMO_PASSWORD)
        officer_programs = [programs[row.scope]] if row.role == Role.PROGRAM_OFFICER else []
        upsert(
            report,
            User,
            keys={"username": row.username},
            values=values,
            m2m={"programs": officer_programs},
        )
