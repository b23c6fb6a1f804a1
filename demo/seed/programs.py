"""Demo programs and their enrolled clusters (demo.data), and their money: who funds and runs
them, components with budgets, quarterly disbursements (in US dollars and in euros), and
strategic committees.

Rows are upserted by natural keys (demo.seed.rows), so a second run writes nothing.
The demo status and dates are written as data (like a fixture), not walked through the
transition service: the seed puts back the demo state whatever users did in between.
"""

from decimal import Decimal
from typing import NamedTuple

from clusters.models import Cluster, Country
from demo import data
from demo.committees.shapes import (
    ACADEMIA,
    BSO_,
    CHAIR,
    MEMBER,
    PRIVATE,
    PUBLIC,
    SECRETARY,
    VICE,
    F,
    M,
)
from demo.seed.rows import SeedReport, iso_date, upsert
from programs.models import (
    Component,
    Disbursement,
    Enrolment,
    Program,
    StrategicCommitteeMember,
    Typology,
)

D = Decimal


class Money(NamedTuple):
    executing_agency: str
    countries: tuple[str, ...]
    area: str
    typology: str
    approval_date: str
    currency: str
    total_amount: str
    funder_amount: str
    components: tuple[tuple[str, str], ...]  # (name, budget)
    # (reference, date, amount, component name or ""); cumulative within the funder amount
    disbursements: tuple[tuple[str, str, str, str], ...]
    committee: tuple[tuple[str, str, str, str, str, str], ...]  # name, org, type, role, sex, since


# fmt: off
MONEY = {
    "ar-productive-clusters": Money(
        "Secretaría de Industria y Desarrollo Productivo", ("AR",),
        "Provinces of Mendoza, Santa Fe and Córdoba", Typology.CLUSTER_STRENGTHENING,
        "2022-03-16", "USD", "50000000.00", "40000000.00",
        (
            ("Competitiveness improvement plans", "20000000.00"),
            ("Institutional strengthening", "12000000.00"),
            ("Shared infrastructure and services", "15000000.00"),
            ("Monitoring and evaluation", "3000000.00"),
        ),
        (
            ("AR-D01", "2022-06-30", "2000000.00", "Institutional strengthening"),
            ("AR-D02", "2022-12-15", "1500000.00", "Competitiveness improvement plans"),
            ("AR-D03", "2023-06-30", "3500000.00", "Competitiveness improvement plans"),
            ("AR-D04", "2023-12-20", "2500000.00", "Shared infrastructure and services"),
            ("AR-D05", "2024-06-28", "4000000.00", "Shared infrastructure and services"),
            ("AR-D06", "2024-12-18", "3000000.00", "Competitiveness improvement plans"),
            ("AR-D07", "2025-06-30", "2500000.00", ""),
            ("AR-D08", "2025-12-19", "1750000.00", "Monitoring and evaluation"),
        ),
        (
            ("Marcela Ortiz", "Secretaría de Industria y Desarrollo Productivo", PUBLIC, CHAIR,
             F, "2022-04-01"),
            ("Ricardo Lanusse", "Unión Industrial Argentina", PRIVATE, VICE, M, "2022-04-01"),
            ("Silvia Paz", "Consejo Federal de Inversiones", PUBLIC, MEMBER, F, "2022-04-01"),
            ("Tomás Ferrero", "Bodegas de Argentina", PRIVATE, MEMBER, M, "2022-09-01"),
            ("Ana Giménez", "Universidad Nacional de Rafaela", ACADEMIA, SECRETARY, F,
             "2023-02-01"),
        ),
    ),
    "unido-cluster-development": Money(
        "UNIDO Cluster and Business Linkages Unit", ("EC", "ET", "IN", "NI", "PE"), "",
        Typology.POLICY_COORDINATION, "2018-11-05", "EUR", "12000000.00", "9000000.00",
        (
            ("Cluster agents and diagnostics", "4500000.00"),
            ("Joint actions and export consortia", "5000000.00"),
            ("Policy dialogue and knowledge sharing", "2500000.00"),
        ),
        (
            ("UNIDO-2019-1", "2019-03-29", "750000.00", "Cluster agents and diagnostics"),
            ("UNIDO-2019-2", "2019-10-15", "900000.00", "Cluster agents and diagnostics"),
            ("UNIDO-2020-1", "2020-06-30", "600000.00", "Joint actions and export consortia"),
            ("UNIDO-2021-1", "2021-04-15", "1100000.00", "Joint actions and export consortia"),
            ("UNIDO-2022-1", "2022-05-31", "1250000.00", "Joint actions and export consortia"),
            ("UNIDO-2023-1", "2023-06-30", "950000.00", "Policy dialogue and knowledge sharing"),
            ("UNIDO-2024-1", "2024-07-15", "800000.00", "Joint actions and export consortia"),
            ("UNIDO-2025-1", "2025-07-15", "650000.00", ""),
        ),
        (
            ("Nadia Haddad", "UNIDO", PUBLIC, SECRETARY, F, "2018-12-01"),
            ("Klaus Weber", "Delegation of the European Union", PUBLIC, CHAIR, M, "2018-12-01"),
            ("Meseret Alemu", "Tigray Micro and Small Enterprise Agency", PUBLIC, MEMBER, F,
             "2021-07-01"),
            ("Rohit Malhotra", "Knitwear Club Ludhiana", BSO_, MEMBER, M, "2019-02-01"),
            ("Carmen Ugarte", "Cámara de Comercio de Trujillo", PRIVATE, VICE, F, "2020-04-01"),
        ),
    ),
    "ni-rural-clusters": Money(
        "Ministerio de Fomento, Industria y Comercio", ("NI",),
        "Departments of Rivas and Chontales", Typology.FINANCING_PACKAGE,
        "2020-12-10", "USD", "30000000.00", "25000000.00",
        (
            ("Rural roads and collection centres", "18000000.00"),
            ("Producer training and certification", "7000000.00"),
            ("Cluster governance", "2000000.00"),
        ),
        (
            ("NI-001", "2021-06-30", "3000000.00", "Rural roads and collection centres"),
            ("NI-002", "2022-03-31", "2500000.00", "Producer training and certification"),
            ("NI-003", "2023-03-31", "4000000.00", "Rural roads and collection centres"),
            ("NI-004", "2024-09-30", "1500000.00", "Cluster governance"),
        ),
        (
            ("Julio Arana", "Ministerio de Fomento, Industria y Comercio", PUBLIC, CHAIR, M,
             "2021-02-01"),
            ("Rosa Membreño", "Cooperativa Ganadera de Chontales", PRIVATE, VICE, F,
             "2021-02-01"),
            ("Ernesto Cajina", "Asociación de Productores de Plátano de Rivas", PRIVATE, MEMBER,
             M, "2021-02-01"),
        ),
    ),
}
# fmt: on


# The funders' IATI organisation identifiers (IATI's organisation registry), for the IATI file.
IATI_ORGANISATIONS = {"Inter-American Development Bank": "XM-DAC-46012"}


def seed_programs(
    report: SeedReport, *, clusters: dict[str, Cluster], countries: dict[str, Country]
) -> dict[str, Program]:
    """The demo programs with their money, and their enrolled clusters (each row written, and
    counted, once)."""
    programs = {}
    for row in data.PROGRAMS:
        money = MONEY[row.code]
        programs[row.code] = upsert(
            report,
            Program,
            keys={"code": row.code},
            values={
                "name": row.name,
                "funder": row.funder,
                "executing_agency": money.executing_agency,
                "area": money.area,
                "typology": money.typology,
                "status": Program.Status.IN_EXECUTION,
                "approval_date": iso_date(money.approval_date),
                "closing_date": None,
                "currency": money.currency,
                "total_amount": D(money.total_amount),
                "funder_amount": D(money.funder_amount),
                "reporting_org_ref": IATI_ORGANISATIONS.get(row.funder, ""),
            },
            m2m={"countries": [countries[c] for c in money.countries]},
        )
        _seed_money(report, program=programs[row.code], money=money)
    for row in data.ENROLMENTS:
        upsert(
            report,
            Enrolment,
            keys={
                "program": programs[row.program],
                "cluster": clusters[row.cluster],
                "enrolled_from": iso_date(row.enrolled_from),
            },
            values={"enrolled_until": iso_date(row.enrolled_until)},
        )
    return programs


def _seed_money(report: SeedReport, *, program: Program, money: Money) -> None:
    """A program's components, disbursements and strategic committee."""
    components = {
        name: upsert(
            report,
            Component,
            keys={"program": program, "name": name},
            values={"budget": D(budget)},
        )
        for name, budget in money.components
    }
    for reference, on, amount, component in money.disbursements:
        upsert(
            report,
            Disbursement,
            keys={"program": program, "reference": reference},
            values={
                "date": iso_date(on),
                "amount": D(amount),
                "component": components[component] if component else None,
            },
        )
    for name, organisation, kind, role, sex, since in money.committee:
        upsert(
            report,
            StrategicCommitteeMember,
            keys={"program": program, "name": name},
            values={
                "organisation": organisation,
                "stakeholder_type": kind,
                "role": role,
                "sex": sex,
                "since": iso_date(since),
                "until": None,
            },
        )
