"""Demo countries, regions (overlapping sets of countries) and clusters, from demo.data."""

from django.db import models

from clusters.models import Cluster, Country, Region
from demo import data
from demo.seed.rows import SeedReport, upsert


def seed_geography(report: SeedReport) -> dict[str, Country]:
    countries = {
        code: upsert(report, Country, keys={"code": code}, values={"name": name})
        for code, name in data.COUNTRIES.items()
    }
    for row in data.REGIONS:
        upsert(
            report,
            Region,
            keys={"code": row.code},
            values={"name": row.name},
            m2m={"countries": [countries[code] for code in row.countries]},
        )
    return countries


def seed_clusters(report: SeedReport, countries: dict[str, Country]) -> dict[str, Cluster]:
    clusters = {}
    for row in data.CLUSTERS:
        values = row._asdict()
        code = values.pop("code")
        values["country"] = countries[row.country]
        values["latitude"] = models.DecimalField().to_python(row.latitude)
        values["longitude"] = models.DecimalField().to_python(row.longitude)
        values["description"] = data.CLUSTER_DESCRIPTIONS.get(code, "")
        clusters[code] = upsert(report, Cluster, keys={"code": code}, values=values)
    return clusters
