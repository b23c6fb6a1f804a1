"""The two questionnaires Clusterboard ships: a cluster-organisation self-assessment (five
dimensions, each a few statements rated on a 5-point agreement scale) and a training
participant survey. In English, Spanish and Portuguese; `shipped_surveys_install` creates them
once (published version 1, shared by every cluster); administrators change them as new versions.
The demo seed calls it."""

from django.db import transaction

from surveys.models import Question, Survey
from surveys.services import question_save, survey_create, version_publish

AGREEMENT = {
    "en": "1 = strongly disagree, 5 = strongly agree",
    "es": "1 = totalmente en desacuerdo, 5 = totalmente de acuerdo",
    "pt": "1 = discordo totalmente, 5 = concordo totalmente",
}


def _rating(name, section, en, es, pt):
    return {
        "name": name,
        "kind": Question.Kind.RATING,
        "labels": {"en": en, "es": es, "pt": pt},
        "hints": AGREEMENT,
        "required": True,
        "section": section,
    }


SELF_ASSESSMENT_SECTIONS = {
    "governance": {"en": "Governance", "es": "Gobernanza", "pt": "Governança"},
    "strategy": {"en": "Strategy", "es": "Estrategia", "pt": "Estratégia"},
    "services": {"en": "Services", "es": "Servicios", "pt": "Serviços"},
    "financing": {"en": "Financing", "es": "Financiamiento", "pt": "Financiamento"},
    "results": {"en": "Results", "es": "Resultados", "pt": "Resultados"},
}

SELF_ASSESSMENT = [
    _rating(
        "gov_board",
        "governance",
        "The cluster organisation has a board where firms and institutions are represented.",
        "La organización del clúster tiene un directorio donde están representadas empresas e "
        "instituciones.",
        "A organização do cluster tem um conselho onde empresas e instituições estão "
        "representadas.",
    ),
    _rating(
        "gov_decisions",
        "governance",
        "Decisions are taken in regular meetings and recorded.",
        "Las decisiones se toman en reuniones periódicas y quedan registradas.",
        "As decisões são tomadas em reuniões regulares e registradas.",
    ),
    _rating(
        "strat_plan",
        "strategy",
        "The cluster has a written strategy agreed with its members.",
        "El clúster tiene una estrategia escrita acordada con sus miembros.",
        "O cluster tem uma estratégia escrita acordada com seus membros.",
    ),
    _rating(
        "strat_review",
        "strategy",
        "The strategy is reviewed at least once a year.",
        "La estrategia se revisa al menos una vez al año.",
        "A estratégia é revisada pelo menos uma vez por ano.",
    ),
    _rating(
        "serv_offer",
        "services",
        "The organisation offers services that member firms use.",
        "La organización ofrece servicios que las empresas miembro utilizan.",
        "A organização oferece serviços que as empresas membros utilizam.",
    ),
    _rating(
        "serv_projects",
        "services",
        "The organisation runs joint projects of several firms.",
        "La organización lleva adelante proyectos conjuntos de varias empresas.",
        "A organização conduz projetos conjuntos de várias empresas.",
    ),
    _rating(
        "fin_members",
        "financing",
        "Member firms pay fees or for services.",
        "Las empresas miembro pagan cuotas o servicios.",
        "As empresas membros pagam taxas ou serviços.",
    ),
    _rating(
        "fin_sources",
        "financing",
        "The organisation's income comes from more than one source.",
        "Los ingresos de la organización provienen de más de una fuente.",
        "A receita da organização vem de mais de uma fonte.",
    ),
    _rating(
        "res_monitoring",
        "results",
        "The organisation measures the results of its activities.",
        "La organización mide los resultados de sus actividades.",
        "A organização mede os resultados de suas atividades.",
    ),
    _rating(
        "res_reporting",
        "results",
        "Results are reported to members and funders.",
        "Los resultados se informan a los miembros y financiadores.",
        "Os resultados são informados aos membros e financiadores.",
    ),
]

TRAINING = [
    _rating(
        "capacity_collaboration",
        "",
        "After the training I am able to foster collaboration among firms and institutions.",
        "Después de la capacitación puedo fomentar la colaboración entre empresas e instituciones.",
        "Depois da capacitação sou capaz de fomentar a colaboração entre empresas e instituições.",
    ),
    _rating(
        "capacity_projects",
        "",
        "After the training I am able to design cluster projects.",
        "Después de la capacitación puedo diseñar proyectos de clúster.",
        "Depois da capacitação sou capaz de desenhar projetos de cluster.",
    ),
    _rating(
        "women_empowerment",
        "",
        "Cluster initiatives are useful for women's economic empowerment.",
        "Las iniciativas de clúster son útiles para el empoderamiento económico de las mujeres.",
        "As iniciativas de cluster são úteis para o empoderamento econômico das mulheres.",
    ),
    _rating(
        "monitoring_useful",
        "",
        "Monitoring a cluster initiative is useful.",
        "El monitoreo de una iniciativa de clúster es útil.",
        "O monitoramento de uma iniciativa de cluster é útil.",
    ),
    _rating(
        "monitoring_difficult",
        "",
        "Monitoring a cluster initiative is difficult.",
        "El monitoreo de una iniciativa de clúster es difícil.",
        "O monitoramento de uma iniciativa de cluster é difícil.",
    ),
    {
        "name": "organisation_type",
        "kind": Question.Kind.ONE_OF,
        "labels": {
            "en": "What kind of organisation do you work for?",
            "es": "¿En qué tipo de organización trabaja?",
            "pt": "Em que tipo de organização você trabalha?",
        },
        "required": True,
        "choices": [
            {"name": "firm", "labels": {"en": "A firm", "es": "Una empresa", "pt": "Uma empresa"}},
            {
                "name": "bso",
                "labels": {
                    "en": "A business support organisation",
                    "es": "Una organización de apoyo empresarial",
                    "pt": "Uma organização de apoio empresarial",
                },
            },
            {
                "name": "public",
                "labels": {
                    "en": "A public agency",
                    "es": "Un organismo público",
                    "pt": "Um órgão público",
                },
            },
            {
                "name": "academia",
                "labels": {
                    "en": "A university or research centre",
                    "es": "Una universidad o centro de investigación",
                    "pt": "Uma universidade ou centro de pesquisa",
                },
            },
            {"name": "other", "labels": {"en": "Other", "es": "Otra", "pt": "Outra"}},
        ],
    },
]

SHIPPED = [
    {
        "code": "cluster-self-assessment",
        "kind": Survey.Kind.SELF_ASSESSMENT,
        "titles": {
            "en": "Cluster-organisation self-assessment",
            "es": "Autoevaluación de la organización del clúster",
            "pt": "Autoavaliação da organização do cluster",
        },
        "sections": SELF_ASSESSMENT_SECTIONS,
        "questions": SELF_ASSESSMENT,
    },
    {
        "code": "training-participants",
        "kind": Survey.Kind.TRAINING,
        "titles": {
            "en": "Training participant survey",
            "es": "Encuesta a participantes de la capacitación",
            "pt": "Pesquisa com participantes da capacitação",
        },
        "sections": {},
        "questions": TRAINING,
    },
]


@transaction.atomic
def shipped_surveys_install() -> list[Survey]:
    """Create the shipped questionnaires that do not exist yet (by code); a second run writes
    nothing. Returns both surveys."""
    surveys = []
    for spec in SHIPPED:
        survey = Survey.objects.filter(code=spec["code"]).first()
        if survey is None:
            survey = survey_create(
                data={"code": spec["code"], "kind": spec["kind"], "titles": spec["titles"]}
            )
            version = survey.versions.get()
            version.sections = spec["sections"]
            version.save(update_fields=["sections"])
            for question in spec["questions"]:
                data = {k: v for k, v in question.items() if k != "choices"}
                question_save(version=version, data=data, choices=question.get("choices", ()))
            version_publish(version=version)
        surveys.append(survey)
    return surveys
