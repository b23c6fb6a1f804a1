"""Loads the built-in scorecards into the database as published templates, idempotently."""

from scorecards.builtin.scottish_enterprise import SCOTTISH_ENTERPRISE
from scorecards.builtin.thai_food import THAI_FOOD

BUILTIN_SCORECARDS = [SCOTTISH_ENTERPRISE, THAI_FOOD]


def load_builtin_templates(apps) -> None:
    """Create (or bring up to date) version 1 of each built-in template; safe to run twice.

    Takes an app registry so a data migration can call it with its historical models.
    """
    Template = apps.get_model("scorecards", "Template")
    KPI = apps.get_model("scorecards", "KPI")
    for card in BUILTIN_SCORECARDS:
        template, _created = Template.objects.update_or_create(
            code=card.code,
            version=1,
            defaults={
                "name": card.en,
                "name_en": card.en,
                "name_es": card.es,
                "description": card.description_en,
                "description_en": card.description_en,
                "description_es": card.description_es,
                "source": card.source,
                "status": "published",
            },
        )
        for p_order, perspective in enumerate(card.perspectives, start=1):
            p, _ = template.perspectives.update_or_create(
                order=p_order,
                defaults={
                    "name": perspective.en,
                    "name_en": perspective.en,
                    "name_es": perspective.es,
                },
            )
            for c_order, csf in enumerate(perspective.csfs, start=1):
                c, _ = p.csfs.update_or_create(
                    order=c_order, defaults={"name": csf.en, "name_en": csf.en, "name_es": csf.es}
                )
                for k_order, k in enumerate(csf.kpis, start=1):
                    kpi, _ = KPI.objects.update_or_create(
                        code=k.code,
                        defaults={
                            "name": k.en,
                            "name_en": k.en,
                            "name_es": k.es,
                            "description": k.description_en,
                            "description_en": k.description_en,
                            "description_es": k.description_es,
                            "unit": k.unit,
                            "direction": k.direction,
                            "aggregation": k.aggregation,
                            "time_aggregation": k.time_aggregation,
                            "frequency": k.frequency,
                            "results_level": k.results_level,
                            "by_sex": k.by_sex,
                        },
                    )
                    c.kpis.update_or_create(kpi=kpi, defaults={"order": k_order})
