"""Scottish Enterprise's cluster scorecard: perspectives and CSFs only; each cluster chooses its
own KPIs under them."""

from scorecards.builtin.shapes import CSF, Perspective, Scorecard

SCOTTISH_ENTERPRISE = Scorecard(
    code="scottish-enterprise",
    en="Scottish Enterprise cluster scorecard",
    es="Cuadro de mando de clústeres de Scottish Enterprise",
    source="Scottish Enterprise, balanced scorecard adapted for clusters",
    description_en="Perspectives and critical success factors only: each cluster chooses "
    "1-3 KPIs per CSF as its own indicators.",
    description_es="Solo perspectivas y factores críticos de éxito: cada clúster elige "
    "de 1 a 3 KPI por factor como indicadores propios.",
    perspectives=[
        Perspective(
            "Economic / Financial",
            "Económica / Financiera",
            [
                CSF("Levels of overall investment", "Niveles de inversión global"),
                CSF("Company performance", "Desempeño de las empresas"),
                CSF(
                    "Market performance (global, national)",
                    "Desempeño de mercado (global, nacional)",
                ),
                CSF(
                    "Employment levels / number of companies",
                    "Niveles de empleo / número de empresas",
                ),
            ],
        ),
        Perspective(
            "Knowledge",
            "Conocimiento",
            [
                CSF("R&D and innovation", "I+D e innovación"),
                CSF(
                    "International awareness / recognition",
                    "Visibilidad / reconocimiento internacional",
                ),
                CSF(
                    "Integration of academia and business", "Integración entre academia y empresas"
                ),
            ],
        ),
        Perspective(
            "Skills",
            "Competencias",
            [
                CSF(
                    "Appropriate skill levels and structure",
                    "Niveles y estructura de competencias adecuados",
                ),
                CSF("Improved value-add per employee", "Mayor valor agregado por empleado"),
                CSF("Continuous learning and development", "Aprendizaje y desarrollo continuos"),
            ],
        ),
        Perspective(
            "Cluster Process",
            "Proceso del clúster",
            [
                CSF("Local connections and networks", "Conexiones y redes locales"),
                CSF("Appropriate infrastructure", "Infraestructura adecuada"),
                CSF("International connectivity", "Conectividad internacional"),
                CSF("Industry leadership", "Liderazgo de la industria"),
            ],
        ),
    ],
)
