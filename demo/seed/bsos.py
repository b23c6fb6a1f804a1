"""Demo business support organisations and the clusters they support, from demo.data."""

from bsos.models import BSO, ClusterSupport
from clusters.models import Cluster, Country
from demo import data
from demo.seed.rows import SeedReport, iso_date, upsert


def seed_bsos(
    report: SeedReport, countries: dict[str, Country], clusters: dict[str, Cluster]
) -> dict[str, BSO]:
    bsos = {}
    for row in data.BSOS:
        values = row._asdict()
        code = values.pop("code")
        values["country"] = countries[row.country]
        values["website"] = f"https://{code}.example.org/"
        values["email"] = f"clusters@{code}.example.org"
        bsos[code] = upsert(report, BSO, keys={"code": code}, values=values)
    for row in data.SUPPORTS:
        upsert(
            report,
            ClusterSupport,
            keys={
                "bso": bsos[row.bso],
                "cluster": clusters[row.cluster],
                "since": iso_date(row.since),
            },
            values={"role": row.role, "until": iso_date(row.until)},
        )
    return bsos
