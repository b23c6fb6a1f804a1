"""The two published scorecards ship with every installation, names exactly as published."""

import pytest
from django.utils import translation

from scorecards.models import CSF, KPI, Perspective, Template

# Copied from shared/domain/scorecards.md (section B), in order.
PUBLISHED_THAI_CSFS = [
    "Ease of access to loans",
    "Financial market sophistication",
    "Cost control",
    "Quality of goods and services",
    "Accessibility",
    "Supply chain integration",
    "Availability of skills and labour",
    "Visionary leadership",
    "Increased innovation levels in businesses",
    "Detailed market knowledge",
    "Communication and knowledge sharing",
]
PUBLISHED_THAI_KPIS = [
    "Number of companies producing business and marketing plans for investment",
    "Reduction in number of non-performing loans (NPL)",
    "Increase in average timescale for loan repayment",
    "Number of sector-specific financial products available",
    "Increase in the number of financial organisations making products available",
    "Number of buying consortia established",
    "Number of companies adopting lean manufacturing processes",
    "Number of companies adopting new technology",
    "Percentage increase in level of customer satisfaction",
    "Percentage decrease in returns / complaints",
    "Number of companies marketing or trading online",
    "Number of international retail outlets stocking the cluster's goods",
    "Number of companies adopting multi-channel strategies",
    "Number of companies adopting just-in-time (JIT) delivery",
    "Percentage reduction in waste of raw materials",
    "Percentage reduction in staff turnover rate",
    "Number of participants in core skills programmes",
    "Number of companies using IT",
    "Number of members recruited into the cluster",
    "Rate of business growth",
    "Number of new products / services launched or processes implemented",
    "Number of companies certified to GMP / HACCP",
    "Number of companies conducting competitor analyses and marketing plans",
    "Increase in number of channels to markets",
    "Existence of an internal (cluster) communications plan",
    "Number of companies using the internet / IT for research, communications and reporting",
]


@pytest.mark.django_db
def test_scottish_enterprise_has_4_perspectives_and_14_csfs():
    template = Template.objects.get(code="scottish-enterprise", version=1)
    assert template.status == "published"
    assert template.perspectives.count() == 4
    assert CSF.objects.filter(perspective__template=template).count() == 14
    assert [p.name for p in template.perspectives.all()] == [
        "Economic / Financial",
        "Knowledge",
        "Skills",
        "Cluster Process",
    ]


@pytest.mark.django_db
def test_thai_food_has_4_perspectives_every_listed_csf_and_the_26_published_kpis():
    # scorecards.md sums it up as "10 CSFs" but lists 11 (3 + 2 + 3 + 3); names are never
    # dropped, so all 11 ship.
    template = Template.objects.get(code="thai-food", version=1)
    assert template.perspectives.count() == 4
    csfs = CSF.objects.filter(perspective__template=template)
    assert [c.name_en for c in csfs.order_by("perspective__order", "order")] == PUBLISHED_THAI_CSFS
    names = list(
        KPI.objects.filter(placements__csf__perspective__template=template)
        .order_by(
            "placements__csf__perspective__order", "placements__csf__order", "placements__order"
        )
        .values_list("name_en", flat=True)
    )
    assert len(names) == 26
    assert names == PUBLISHED_THAI_KPIS


@pytest.mark.django_db
def test_every_builtin_name_has_a_spanish_translation():
    for model in (Template, Perspective, CSF, KPI):
        assert not model.objects.filter(name_es="").exists()
        assert not model.objects.filter(name_es__isnull=True).exists()
    with translation.override("es"):
        assert KPI.objects.get(code="thai-staff-turnover").name == (
            "Reducción porcentual de la tasa de rotación del personal"
        )


@pytest.mark.django_db
def test_every_builtin_name_has_a_portuguese_translation():
    for model in (Template, Perspective, CSF, KPI):
        assert not model.objects.filter(name_pt="").exists()
        assert not model.objects.filter(name_pt__isnull=True).exists()
    # every description given in English is given in Portuguese too
    for model in (Template, KPI):
        assert not model.objects.exclude(description_en="").filter(description_pt="").exists()
    with translation.override("pt"):
        assert KPI.objects.get(code="thai-staff-turnover").name == (
            "Redução percentual da taxa de rotatividade do pessoal"
        )
        assert Template.objects.get(code="thai-food", version=1).name == (
            "Quadro de indicadores da Iniciativa do Cluster de Alimentos da Tailândia"
        )
        assert Template.objects.get(code="scottish-enterprise", version=1).description.startswith(
            "Só perspectivas e fatores críticos de sucesso"
        )
        assert list(
            Perspective.objects.filter(template__code="scottish-enterprise").values_list(
                "name", flat=True
            )
        ) == ["Econômica / Financeira", "Conhecimento", "Competências", "Processo do cluster"]


@pytest.mark.django_db
def test_the_portuguese_names_reach_a_database_loaded_before_them():
    """Migration 0011 fills only the Portuguese columns of templates loaded by 0002."""
    from django.apps import apps as django_apps

    from scorecards.builtin import fill_builtin_translations

    KPI.objects.update(name_pt=None, description_pt=None)
    CSF.objects.update(name_pt=None)
    KPI.objects.filter(code="thai-npl").update(unit="number")  # a later change, kept

    fill_builtin_translations(django_apps, "pt")

    npl = KPI.objects.get(code="thai-npl")
    assert npl.name_pt == "Redução do número de empréstimos inadimplentes (NPL)"
    assert npl.unit == "number"
    assert not CSF.objects.filter(name_pt__isnull=True).exists()


@pytest.mark.django_db
def test_percentage_kpis_are_entered_as_ratios_and_yes_no_as_share_yes():
    turnover = KPI.objects.get(code="thai-staff-turnover")
    assert (turnover.unit, turnover.aggregation, turnover.direction) == (
        "percent",
        "ratio",
        "lower",
    )
    plan = KPI.objects.get(code="thai-communications-plan")
    assert (plan.unit, plan.aggregation) == ("yes_no", "share_yes")
    assert not KPI.objects.filter(unit="percent").exclude(aggregation="ratio").exists()
