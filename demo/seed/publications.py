"""Mendoza wine publishes its results, by its steering committee's decision of 2026-09-17."""

from clusters.models import Cluster, Decision
from demo.seed.rows import SeedReport, upsert
from public.models import Publication

DECISION = (
    "Publish the cluster's approved results on Clusterboard's public pages and in the "
    "program's IATI file."
)


def seed_publications(report: SeedReport, clusters: dict[str, Cluster]) -> None:
    cluster = clusters["mendoza-wine"]
    decision = Decision.objects.get(meeting__committee__cluster=cluster, text=DECISION)
    upsert(
        report,
        Publication,
        keys={"cluster": cluster},
        values={"published": True, "decision": decision},
    )
