"""The knowledge exchange's demo rows: a few topics, Mendoza wine's published case study on its
common brand, and Atuntaqui garments' published visit to Trujillo footwear (Ecuador to Peru)."""

import datetime

from clusters.models import Cluster, SectorFamily
from demo.seed.rows import SeedReport, upsert
from public.models import CaseStudy, ExchangeVisit, Topic

TOPICS = [
    ("governance", "Governance"),
    ("export", "Export and internationalisation"),
    ("joint-action", "Joint action"),
    ("skills", "Skills and training"),
    ("innovation", "Innovation"),
    ("gender", "Women in the cluster"),
]


def seed_exchange(report: SeedReport, clusters: dict[str, Cluster]) -> None:
    topics = {
        code: upsert(report, Topic, keys={"code": code}, values={"name": name})
        for code, name in TOPICS
    }
    upsert(
        report,
        CaseStudy,
        keys={"cluster": clusters["mendoza-wine"], "title": "One brand for Mendoza's wineries"},
        values={
            "summary": "How small wineries reached importers together under a common brand, "
            "and what it took to keep the quality promise.",
            "body": "The steering committee chose to promote the region rather than each "
            "winery. A shared quality protocol came first; the brand followed.\n\nWhat worked: "
            "joint stands at trade fairs and a shared importer database. What did not: a "
            "common price list.",
            "sector_family": SectorFamily.NATURAL_RESOURCE,
            "published": True,
        },
        m2m={"topics": [topics["export"], topics["joint-action"]]},
    )
    upsert(
        report,
        ExchangeVisit,
        keys={
            "visitor": clusters["atuntaqui-garments"],
            "host": clusters["trujillo-footwear"],
            "starts_on": datetime.date(2026, 3, 9),
        },
        values={
            "ends_on": datetime.date(2026, 3, 11),
            "purpose": "See how Trujillo's shoemakers run shared finishing workshops.",
            "women": 6,
            "men": 4,
            "learnt": "A shared workshop pays once four firms book it every week.",
            "published": True,
        },
    )
