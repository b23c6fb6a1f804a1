"""Loads the built-in scorecards into the database as published templates, idempotently."""

from scorecards.builtin.scottish_enterprise import SCOTTISH_ENTERPRISE
from scorecards.builtin.thai_food import THAI_FOOD

BUILTIN_SCORECARDS = [SCOTTISH_ENTERPRISE, THAI_FOOD]


def _known(model, values: dict) -> dict:
    """The values the model has columns for: a data migration's historical models lack the
    translated columns of languages added later (0002 runs before the Portuguese ones exist)."""
    names = {field.name for field in model._meta.get_fields()}
    return {name: value for name, value in values.items() if name in names}


def _translated(field: str, item) -> dict:
    """The field and its column in each language (the plain one holds the English)."""
    return {field: item.en, f"{field}_en": item.en, f"{field}_es": item.es, f"{field}_pt": item.pt}


def load_builtin_templates(apps) -> None:
    """Create (or bring up to date) version 1 of each built-in template; safe to run twice.

    Takes an app registry so a data migration can call it with its historical models.
    """
    Template = apps.get_model("scorecards", "Template")
    KPI = apps.get_model("scorecards", "KPI")
    Perspective = apps.get_model("scorecards", "Perspective")
    CSF = apps.get_model("scorecards", "CSF")
    for card in BUILTIN_SCORECARDS:
        template, _created = Template.objects.update_or_create(
            code=card.code,
            version=1,
            defaults=_known(
                Template,
                {
                    **_translated("name", card),
                    "description": card.description_en,
                    "description_en": card.description_en,
                    "description_es": card.description_es,
                    "description_pt": card.description_pt,
                    "source": card.source,
                    "status": "published",
                },
            ),
        )
        for p_order, perspective in enumerate(card.perspectives, start=1):
            p, _ = template.perspectives.update_or_create(
                order=p_order, defaults=_known(Perspective, _translated("name", perspective))
            )
            for c_order, csf in enumerate(perspective.csfs, start=1):
                c, _ = p.csfs.update_or_create(
                    order=c_order, defaults=_known(CSF, _translated("name", csf))
                )
                for k_order, k in enumerate(csf.kpis, start=1):
                    kpi, _ = KPI.objects.update_or_create(
                        code=k.code,
                        defaults=_known(
                            KPI,
                            {
                                **_translated("name", k),
                                "description": k.description_en,
                                "description_en": k.description_en,
                                "description_es": k.description_es,
                                "description_pt": k.description_pt,
                                "unit": k.unit,
                                "direction": k.direction,
                                "aggregation": k.aggregation,
                                "time_aggregation": k.time_aggregation,
                                "frequency": k.frequency,
                                "results_level": k.results_level,
                                "by_sex": k.by_sex,
                            },
                        ),
                    )
                    c.kpis.update_or_create(kpi=kpi, defaults={"order": k_order})


def fill_builtin_translations(apps, language: str) -> None:
    """Write one language's names and descriptions into version 1 of each built-in template
    (and its KPIs), touching nothing else: for a language added after the templates were loaded."""
    Template = apps.get_model("scorecards", "Template")
    KPI = apps.get_model("scorecards", "KPI")
    name, description = f"name_{language}", f"description_{language}"
    for card in BUILTIN_SCORECARDS:
        template = Template.objects.filter(code=card.code, version=1).first()
        if template is None:
            continue
        Template.objects.filter(pk=template.pk).update(
            **{name: getattr(card, language), description: getattr(card, f"description_{language}")}
        )
        for p_order, perspective in enumerate(card.perspectives, start=1):
            template.perspectives.filter(order=p_order).update(
                **{name: getattr(perspective, language)}
            )
            for c_order, csf in enumerate(perspective.csfs, start=1):
                csfs = apps.get_model("scorecards", "CSF").objects.filter(
                    perspective__template=template, perspective__order=p_order, order=c_order
                )
                csfs.update(**{name: getattr(csf, language)})
                for k in csf.kpis:
                    KPI.objects.filter(code=k.code).update(
                        **{
                            name: getattr(k, language),
                            description: getattr(k, f"description_{language}"),
                        }
                    )
