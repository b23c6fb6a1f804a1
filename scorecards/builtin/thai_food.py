"""The Thai Food Cluster Initiative's scorecard: 4 perspectives, 10 CSFs, 26 KPIs."""

from scorecards.builtin.shapes import CSF, RATE, STOCK, K, Perspective, Scorecard

THAI_FOOD = Scorecard(
    code="thai-food",
    en="Thai Food Cluster Initiative scorecard",
    es="Cuadro de mando de la Iniciativa del Clúster Alimentario de Tailandia",
    source="Thai Food Cluster Initiative, draft balanced scorecard",
    description_en="4 perspectives, 10 critical success factors, 26 KPIs.",
    description_es="4 perspectivas, 10 factores críticos de éxito, 26 KPI.",
    perspectives=[
        Perspective(
            "Financial perspective",
            "Perspectiva financiera",
            [
                CSF(
                    "Ease of access to loans",
                    "Facilidad de acceso al crédito",
                    [
                        K(
                            "thai-business-plans",
                            "Number of companies producing business and marketing plans for investment",
                            "Número de empresas que elaboran planes de negocio y de marketing para invertir",
                        ),
                        K(
                            "thai-npl",
                            "Reduction in number of non-performing loans (NPL)",
                            "Reducción del número de préstamos morosos (NPL)",
                            direction="lower",
                            results_level="outcome",
                            **STOCK,
                            description_en="Number of non-performing loans of cluster firms at the end of the quarter; lower is better.",
                            description_es="Número de préstamos morosos de las empresas del clúster al cierre del trimestre; cuanto menos, mejor.",
                        ),
                        K(
                            "thai-loan-timescale",
                            "Increase in average timescale for loan repayment",
                            "Aumento del plazo medio de reembolso de los préstamos",
                            unit="number",
                            aggregation="mean",
                            time_aggregation="mean",
                            frequency="annual",
                            results_level="outcome",
                            description_en="Average repayment term of new loans to cluster firms, in months.",
                            description_es="Plazo medio de reembolso de los nuevos préstamos a empresas del clúster, en meses.",
                        ),
                    ],
                ),
                CSF(
                    "Financial market sophistication",
                    "Sofisticación del mercado financiero",
                    [
                        K(
                            "thai-financial-products",
                            "Number of sector-specific financial products available",
                            "Número de productos financieros específicos del sector disponibles",
                            frequency="annual",
                            results_level="outcome",
                            **STOCK,
                        ),
                        K(
                            "thai-financial-organisations",
                            "Increase in the number of financial organisations making products available",
                            "Aumento del número de entidades financieras que ofrecen productos",
                            frequency="annual",
                            results_level="outcome",
                            **STOCK,
                        ),
                    ],
                ),
                CSF(
                    "Cost control",
                    "Control de costos",
                    [
                        K(
                            "thai-buying-consortia",
                            "Number of buying consortia established",
                            "Número de consorcios de compra creados",
                        ),
                        K(
                            "thai-lean",
                            "Number of companies adopting lean manufacturing processes",
                            "Número de empresas que adoptan procesos de manufactura esbelta",
                        ),
                        K(
                            "thai-new-technology",
                            "Number of companies adopting new technology",
                            "Número de empresas que adoptan nuevas tecnologías",
                        ),
                    ],
                ),
            ],
        ),
        Perspective(
            "Customer perspective",
            "Perspectiva del cliente",
            [
                CSF(
                    "Quality of goods and services",
                    "Calidad de bienes y servicios",
                    [
                        K(
                            "thai-customer-satisfaction",
                            "Percentage increase in level of customer satisfaction",
                            "Aumento porcentual del nivel de satisfacción de los clientes",
                            frequency="annual",
                            **RATE,
                            **STOCK,
                            description_en="Customers satisfied / customers surveyed x 100.",
                            description_es="Clientes satisfechos / clientes encuestados x 100.",
                        ),
                        K(
                            "thai-returns",
                            "Percentage decrease in returns / complaints",
                            "Disminución porcentual de devoluciones / reclamaciones",
                            direction="lower",
                            **RATE,
                            description_en="Orders returned or complained about / orders delivered x 100; lower is better.",
                            description_es="Pedidos devueltos o reclamados / pedidos entregados x 100; cuanto menos, mejor.",
                        ),
                    ],
                ),
                CSF(
                    "Accessibility",
                    "Accesibilidad",
                    [
                        K(
                            "thai-online-trading",
                            "Number of companies marketing or trading online",
                            "Número de empresas que comercializan o venden en línea",
                            **STOCK,
                        ),
                        K(
                            "thai-retail-outlets",
                            "Number of international retail outlets stocking the cluster's goods",
                            "Número de puntos de venta internacionales con productos del clúster",
                            frequency="annual",
                            results_level="outcome",
                            **STOCK,
                        ),
                        K(
                            "thai-multichannel",
                            "Number of companies adopting multi-channel strategies",
                            "Número de empresas que adoptan estrategias multicanal",
                            **STOCK,
                        ),
                    ],
                ),
            ],
        ),
        Perspective(
            "Internal business process perspective",
            "Perspectiva de procesos internos",
            [
                CSF(
                    "Supply chain integration",
                    "Integración de la cadena de suministro",
                    [
                        K(
                            "thai-jit",
                            "Number of companies adopting just-in-time (JIT) delivery",
                            "Número de empresas que adoptan entregas justo a tiempo (JIT)",
                            **STOCK,
                        ),
                        K(
                            "thai-waste",
                            "Percentage reduction in waste of raw materials",
                            "Reducción porcentual del desperdicio de materias primas",
                            direction="lower",
                            **RATE,
                            description_en="Raw material wasted / raw material used x 100 (same unit); lower is better.",
                            description_es="Materia prima desperdiciada / materia prima usada x 100 (misma unidad); cuanto menos, mejor.",
                        ),
                    ],
                ),
                CSF(
                    "Availability of skills and labour",
                    "Disponibilidad de competencias y mano de obra",
                    [
                        K(
                            "thai-staff-turnover",
                            "Percentage reduction in staff turnover rate",
                            "Reducción porcentual de la tasa de rotación del personal",
                            direction="lower",
                            **RATE,
                            description_en="Staff who left in the quarter / average staff x 100; lower is better.",
                            description_es="Personal que se fue en el trimestre / personal medio x 100; cuanto menos, mejor.",
                        ),
                        K(
                            "thai-skills-participants",
                            "Number of participants in core skills programmes",
                            "Número de participantes en programas de competencias básicas",
                            by_sex=True,
                        ),
                    ],
                ),
                CSF(
                    "Visionary leadership",
                    "Liderazgo visionario",
                    [
                        K(
                            "thai-it-use",
                            "Number of companies using IT",
                            "Número de empresas que usan TI",
                            **STOCK,
                        ),
                        K(
                            "thai-members-recruited",
                            "Number of members recruited into the cluster",
                            "Número de miembros incorporados al clúster",
                        ),
                        K(
                            "thai-business-growth",
                            "Rate of business growth",
                            "Tasa de crecimiento empresarial",
                            frequency="annual",
                            **{**RATE, "results_level": "impact"},
                            **STOCK,
                            description_en="Member firms whose sales grew over the year / member firms x 100.",
                            description_es="Empresas miembro cuyas ventas crecieron en el año / empresas miembro x 100.",
                        ),
                    ],
                ),
            ],
        ),
        Perspective(
            "Innovation and growth perspective",
            "Perspectiva de innovación y crecimiento",
            [
                CSF(
                    "Increased innovation levels in businesses",
                    "Mayor nivel de innovación en las empresas",
                    [
                        K(
                            "thai-new-products",
                            "Number of new products / services launched or processes implemented",
                            "Número de nuevos productos / servicios lanzados o procesos implantados",
                            results_level="outcome",
                        ),
                        K(
                            "thai-gmp-haccp",
                            "Number of companies certified to GMP / HACCP",
                            "Número de empresas certificadas en BPM / HACCP",
                            results_level="outcome",
                            **STOCK,
                        ),
                    ],
                ),
                CSF(
                    "Detailed market knowledge",
                    "Conocimiento detallado del mercado",
                    [
                        K(
                            "thai-competitor-analyses",
                            "Number of companies conducting competitor analyses and marketing plans",
                            "Número de empresas que realizan análisis de la competencia y planes de marketing",
                            frequency="annual",
                        ),
                        K(
                            "thai-market-channels",
                            "Increase in number of channels to markets",
                            "Aumento del número de canales de acceso a mercados",
                            frequency="annual",
                            results_level="outcome",
                            **STOCK,
                        ),
                    ],
                ),
                CSF(
                    "Communication and knowledge sharing",
                    "Comunicación e intercambio de conocimientos",
                    [
                        K(
                            "thai-communications-plan",
                            "Existence of an internal (cluster) communications plan",
                            "Existencia de un plan de comunicación interna (del clúster)",
                            unit="yes_no",
                            aggregation="share_yes",
                            frequency="annual",
                            **STOCK,
                        ),
                        K(
                            "thai-internet-use",
                            "Number of companies using the internet / IT for research, communications and reporting",
                            "Número de empresas que usan internet / TI para investigación, comunicación e informes",
                            **STOCK,
                        ),
                    ],
                ),
            ],
        ),
    ],
)
