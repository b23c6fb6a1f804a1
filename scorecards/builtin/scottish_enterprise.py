"""Scottish Enterprise's cluster scorecard: perspectives and CSFs only; each cluster chooses its
own KPIs under them."""

from scorecards.builtin.shapes import CSF, Perspective, Scorecard

SCOTTISH_ENTERPRISE = Scorecard(
    code="scottish-enterprise",
    en="Scottish Enterprise cluster scorecard",
    es="Cuadro de mando de clústeres de Scottish Enterprise",
    pt="Quadro de indicadores de clusters da Scottish Enterprise",
    source="Scottish Enterprise, balanced scorecard adapted for clusters",
    description_en="Perspectives and critical success factors only: each cluster chooses "
    "1-3 KPIs per CSF as its own indicators.",
    description_es="Solo perspectivas y factores críticos de éxito: cada clúster elige "
    "de 1 a 3 KPI por factor como indicadores propios.",
    description_pt="Só perspectivas e fatores críticos de sucesso: cada cluster escolhe "
    "de 1 a 3 KPIs por fator como indicadores próprios.",
    perspectives=[
        Perspective(
            "Economic / Financial",
            "Económica / Financiera",
            "Econômica / Financeira",
            [
                CSF(
                    "Levels of overall investment",
                    "Niveles de inversión global",
                    "Níveis de investimento global",
                ),
                CSF("Company performance", "Desempeño de las empresas", "Desempenho das empresas"),
                CSF(
                    "Market performance (global, national)",
                    "Desempeño de mercado (global, nacional)",
                    "Desempenho de mercado (global, nacional)",
                ),
                CSF(
                    "Employment levels / number of companies",
                    "Niveles de empleo / número de empresas",
                    "Níveis de emprego / número de empresas",
                ),
            ],
        ),
        Perspective(
            "Knowledge",
            "Conocimiento",
            "Conhecimento",
            [
                CSF("R&D and innovation", "I+D e innovación", "P&D e inovação"),
                CSF(
                    "International awareness / recognition",
                    "Visibilidad / reconocimiento internacional",
                    "Visibilidade / reconhecimento internacional",
                ),
                CSF(
                    "Integration of academia and business",
                    "Integración entre academia y empresas",
                    "Integração entre academia e empresas",
                ),
            ],
        ),
        Perspective(
            "Skills",
            "Competencias",
            "Competências",
            [
                CSF(
                    "Appropriate skill levels and structure",
                    "Niveles y estructura de competencias adecuados",
                    "Níveis e estrutura de competências adequados",
                ),
                CSF(
                    "Improved value-add per employee",
                    "Mayor valor agregado por empleado",
                    "Maior valor agregado por empregado",
                ),
                CSF(
                    "Continuous learning and development",
                    "Aprendizaje y desarrollo continuos",
                    "Aprendizagem e desenvolvimento contínuos",
                ),
            ],
        ),
        Perspective(
            "Cluster Process",
            "Proceso del clúster",
            "Processo do cluster",
            [
                CSF(
                    "Local connections and networks",
                    "Conexiones y redes locales",
                    "Conexões e redes locais",
                ),
                CSF(
                    "Appropriate infrastructure",
                    "Infraestructura adecuada",
                    "Infraestrutura adequada",
                ),
                CSF(
                    "International connectivity",
                    "Conectividad internacional",
                    "Conectividade internacional",
                ),
                CSF("Industry leadership", "Liderazgo de la industria", "Liderança da indústria"),
            ],
        ),
    ],
)
