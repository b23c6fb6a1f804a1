"""The demo's steering committees as tables: members over time, meetings with their minutes
and decisions, and the action items they agreed (see demo.data for the rest of the demo
world and its conventions: invented people, ISO dates, action items due a number of days
from the day the seed runs).
"""

from typing import NamedTuple

from clusters.models import ActionItem, CommitteeMember, Sex, StakeholderType

# Short names keep each table row on one or two lines.
PUBLIC, PRIVATE, BSO_, NGO, ACADEMIA = (
    StakeholderType.PUBLIC,
    StakeholderType.PRIVATE,
    StakeholderType.BSO,
    StakeholderType.NGO,
    StakeholderType.ACADEMIA,
)
F, M = Sex.FEMALE, Sex.MALE
CHAIR, VICE, SECRETARY, MEMBER = (
    CommitteeMember.Role.CHAIR,
    CommitteeMember.Role.VICE_CHAIR,
    CommitteeMember.Role.SECRETARY,
    CommitteeMember.Role.MEMBER,
)
OPEN, IN_PROGRESS = ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS
DONE, CANCELLED = ActionItem.Status.DONE, ActionItem.Status.CANCELLED


class Member(NamedTuple):
    name: str
    organisation: str
    stakeholder_type: str
    role: str
    sex: str
    since: str
    until: str | None = None


class Meeting(NamedTuple):
    held_on: str
    location: str
    minutes: str
    decisions: tuple[str, ...]
    absent: tuple[str, ...] = ()  # everyone else who was a member that day attended


class Action(NamedTuple):
    title: str
    owner: str  # a member's name
    agreed_on: str | None  # the date of the meeting that agreed it
    due_in_days: int  # from the day the seed runs; negative and not done means overdue
    status: str


class Committee(NamedTuple):
    cluster: str
    name: str
    established_on: str
    members: tuple[Member, ...]
    meetings: tuple[Meeting, ...]
    actions: tuple[Action, ...]


# fmt: off
COMMITTEES = [
    Committee("mendoza-wine", "Consejo del Cluster Vitivinícola de Mendoza", "2019-06-12",
        members=(
            Member("Gustavo Correas", "Bodega Los Álamos", PRIVATE, CHAIR, M,
                   "2019-06-12", "2022-02-28"),
            Member("Sofía Martínez", "Bodegas de Argentina", PRIVATE, CHAIR, F, "2022-03-01"),
            Member("Laura Benegas", "Ministerio de Producción de Mendoza", PUBLIC, VICE, F,
                   "2019-06-12"),
            Member("Diego Sosa", "INTI", BSO_, SECRETARY, M, "2019-06-12"),
            Member("Mariana Funes", "Universidad Nacional de Cuyo", ACADEMIA, MEMBER, F,
                   "2020-05-01"),
            Member("Pablo Aguirre", "Fundación Pro Viñateros", NGO, MEMBER, M, "2021-02-01"),
        ),
        meetings=(
            Meeting("2026-03-12", "INTI Mendoza, Luján de Cuyo",
                    "Reviewed the 2025 harvest and export figures. Members agreed to go to "
                    "ProWein together and to study a shared oenology laboratory.",
                    ("Apply for a joint cluster stand at ProWein 2027.",
                     "Commission a feasibility study for a shared oenology laboratory."),
                    absent=("Pablo Aguirre",)),
            Meeting("2026-09-17", "Ministerio de Producción, Mendoza",
                    "Progress on the laboratory study; water-efficient irrigation for small "
                    "growers, who asked for practical training before the next season.",
                    ("Run a drip-irrigation training series for small growers with UNCuyo.",)),
        ),
        actions=(
            Action("Submit the ProWein 2027 joint stand application", "Sofía Martínez",
                   "2026-03-12", -40, IN_PROGRESS),
            Action("Draft terms of reference for the laboratory study", "Diego Sosa",
                   "2026-03-12", -150, DONE),
            Action("Schedule the first drip-irrigation training", "Mariana Funes",
                   "2026-09-17", 25, OPEN),
        ),
    ),
    Committee("cordoba-software", "Comité Ejecutivo del Cluster Córdoba Technology", "2017-09-01",
        members=(
            Member("Valeria Bustos", "Córdoba Technology Cluster", BSO_, CHAIR, F, "2017-09-01"),
            Member("Federico Paz", "Software del Centro S.A.", PRIVATE, VICE, M, "2017-09-01"),
            Member("Carolina Ledesma", "Ministerio de Ciencia y Tecnología de Córdoba", PUBLIC,
                   MEMBER, F, "2018-03-01"),
            Member("Ignacio Torres", "Universidad Nacional de Córdoba", ACADEMIA, MEMBER, M,
                   "2017-09-01"),
            Member("Julieta Ramos", "Lumen Sistemas", PRIVATE, SECRETARY, F, "2020-01-01"),
        ),
        meetings=(
            Meeting("2026-02-24", "Córdoba Technology Cluster offices",
                    "Talent shortage discussed: firms report 400 open developer positions.",
                    ("Co-fund a six-month programming bootcamp with the province.",)),
            Meeting("2026-08-11", "Universidad Nacional de Córdoba, FAMAF",
                    "Bootcamp first cohort graduated; 62% of graduates hired by member firms.",
                    ("Open a second cohort with a 50% quota for women.",
                     "Prepare a joint export mission to Spain.")),
        ),
        actions=(
            Action("Sign the bootcamp co-funding agreement", "Carolina Ledesma",
                   "2026-02-24", -200, DONE),
            Action("Select firms for the export mission to Spain", "Federico Paz",
                   "2026-08-11", 40, IN_PROGRESS),
        ),
    ),
    Committee("rafaela-machinery", "Mesa de Competitividad Metalmecánica de Rafaela",
        "2019-03-20",
        members=(
            Member("Osvaldo Bertone", "Metalúrgica Bertone Hnos.", PRIVATE, CHAIR, M,
                   "2019-03-20"),
            Member("Silvina Perotti", "Municipalidad de Rafaela", PUBLIC, VICE, F, "2019-03-20"),
            Member("Marcelo Giraudo", "INTI Rafaela", BSO_, SECRETARY, M, "2019-03-20"),
            Member("Andrea Bonino", "UTN Facultad Regional Rafaela", ACADEMIA, MEMBER, F,
                   "2019-03-20"),
            Member("Hugo Vottero", "Cámara de Comercio, Industria y Producción de Rafaela", BSO_,
                   MEMBER, M, "2019-03-20", "2024-06-30"),
            Member("Natalia Frossasco", "Agroimplementos del Litoral", PRIVATE, MEMBER, F,
                   "2024-07-01"),
        ),
        meetings=(
            Meeting("2025-11-06", "Municipalidad de Rafaela",
                    "Members compared energy costs and agreed to buy steel jointly.",
                    ("Form a joint purchasing group for flat steel.",)),
            Meeting("2026-06-18", "INTI Rafaela",
                    "Joint purchasing saved 8% on the first order; quality certification next.",
                    ("Support ten firms towards ISO 9001 certification.",)),
        ),
        actions=(
            Action("Place the second joint steel order", "Osvaldo Bertone",
                   "2025-11-06", -90, DONE),
            Action("Shortlist firms for ISO 9001 support", "Marcelo Giraudo",
                   "2026-06-18", -21, OPEN),
        ),
    ),
    Committee("atuntaqui-garments", "Comité de Gestión del Cluster Textil de Atuntaqui",
        "2016-02-10",
        members=(
            Member("Jorge Andrade", "Cámara de Comercio de Antonio Ante", BSO_, CHAIR, M,
                   "2016-02-10"),
            Member("María Fernanda Vaca", "Textiles Imbabura Cía. Ltda.", PRIVATE, VICE, F,
                   "2016-02-10"),
            Member("Rosa Cacuango", "Asociación de Tejedoras de Natabuela", NGO, MEMBER, F,
                   "2018-05-01"),
            Member("Luis Proaño", "GAD Municipal de Antonio Ante", PUBLIC, MEMBER, M,
                   "2019-06-01"),
            Member("Gabriela Terán", "Universidad Técnica del Norte", ACADEMIA, SECRETARY, F,
                   "2016-02-10"),
        ),
        meetings=(
            Meeting("2026-01-20", "Cámara de Comercio de Antonio Ante",
                    "Review of the Expoferia results: sales up, but footfall lower than 2025.",
                    ("Renew the Atuntaqui collective brand for local outlets.",),
                    absent=("Luis Proaño",)),
            Meeting("2026-07-14", "Universidad Técnica del Norte",
                    "Design training with the university; knitters' association asks for "
                    "childcare during courses.",
                    ("Offer childcare at every cluster training session.",)),
        ),
        actions=(
            Action("Register the renewed collective brand", "Jorge Andrade",
                   "2026-01-20", -60, IN_PROGRESS),
            Action("Organise the autumn pattern-design course", "Gabriela Terán",
                   "2026-07-14", -5, OPEN),
            Action("Publish the outlet map for Expoferia 2027", "María Fernanda Vaca",
                   None, 70, OPEN),
        ),
    ),
    Committee("cayambe-flowers", "Mesa Florícola de Cayambe", "2017-04-05",
        members=(
            Member("Paola Cevallos", "Expoflores", BSO_, CHAIR, F, "2017-04-05"),
            Member("Santiago Jarrín", "Rosas del Cayambe S.A.", PRIVATE, VICE, M, "2017-04-05"),
            Member("Blanca Farinango", "Unión de Organizaciones Campesinas de Cayambe", NGO,
                   MEMBER, F, "2017-04-05"),
            Member("Marco Guzmán", "Ministerio de Producción, Comercio Exterior", PUBLIC,
                   MEMBER, M, "2020-01-01"),
            Member("Elena Ruiz", "Universidad Politécnica Salesiana", ACADEMIA, SECRETARY, F,
                   "2019-03-01"),
        ),
        meetings=(
            Meeting("2026-04-08", "Expoflores, Cayambe office",
                    "Certification costs for small growers; water rights dispute mediated.",
                    ("Seek a group certification scheme for small growers.",)),
        ),
        actions=(
            Action("Request quotes for group certification", "Elena Ruiz",
                   "2026-04-08", -75, OPEN),
            Action("Map small growers' water allocations", "Blanca Farinango",
                   "2026-04-08", 30, IN_PROGRESS),
        ),
    ),
    Committee("trujillo-footwear", "Comité del Cluster del Calzado de El Porvenir", "2015-10-01",
        members=(
            Member("Víctor Rodríguez", "Asociación de Pequeños Industriales del Calzado", PRIVATE,
                   CHAIR, M, "2015-10-01"),
            Member("Carmen Alayo", "Calzados Carmencita E.I.R.L.", PRIVATE, VICE, F,
                   "2018-01-01"),
            Member("Rosa Quispe", "CITE Cuero y Calzado Trujillo", BSO_, SECRETARY, F,
                   "2015-10-01"),
            Member("Julio Vásquez", "Gobierno Regional La Libertad", PUBLIC, MEMBER, M,
                   "2015-10-01"),
            Member("Miguel Lozano", "Universidad Nacional de Trujillo", ACADEMIA, MEMBER, M,
                   "2016-04-01"),
        ),
        meetings=(
            Meeting("2025-12-03", "CITEccal Trujillo",
                    "Imports of cheap footwear hit sales; firms want to sell to public buyers.",
                    ("Prepare a joint bid for the school-shoes public tender.",)),
            Meeting("2026-05-21", "Municipalidad de El Porvenir",
                    "Joint bid won a third of the tender; delivery schedule agreed.",
                    ("Share the CITE's cutting machine among bidding workshops.",)),
        ),
        actions=(
            Action("Deliver the first lot of school shoes", "Víctor Rodríguez",
                   "2026-05-21", -30, DONE),
            Action("Publish the shared-machine booking rota", "Rosa Quispe",
                   "2026-05-21", -100, IN_PROGRESS),
        ),
    ),
    Committee("arequipa-alpaca", "Comité del Cluster de la Fibra de Alpaca", "2018-06-15",
        members=(
            Member("Carlos Zegarra", "Cámara de Comercio e Industria de Arequipa", BSO_, CHAIR, M,
                   "2018-06-15"),
            Member("Ana Lucía Pinto", "Hilandería del Sur S.A.", PRIVATE, VICE, F, "2018-06-15"),
            Member("Teodoro Mamani", "Asociación de Alpaqueros de Caylloma", PRIVATE, MEMBER, M,
                   "2018-06-15"),
            Member("Gloria Huamán", "Gobierno Regional de Arequipa", PUBLIC, MEMBER, F,
                   "2019-02-01"),
            Member("Raúl Cornejo", "Universidad Nacional de San Agustín", ACADEMIA, SECRETARY, M,
                   "2018-06-15"),
        ),
        meetings=(
            Meeting("2026-03-26", "Cámara de Comercio e Industria de Arequipa",
                    "Herders ask for fibre classification at collection centres to earn more.",
                    ("Train twenty herders as fibre classifiers.",
                     "Pilot a price premium for classified fibre.")),
        ),
        actions=(
            Action("Run the fibre classifier course in Caylloma", "Raúl Cornejo",
                   "2026-03-26", -45, IN_PROGRESS),
            Action("Agree the premium scale with processors", "Ana Lucía Pinto",
                   "2026-03-26", 60, OPEN),
        ),
    ),
    Committee("huila-coffee", "Comité del Cluster de Cafés Especiales del Huila", "2017-08-10",
        members=(
            Member("Andrea Perdomo", "Comité Departamental de Cafeteros del Huila", BSO_, CHAIR, F,
                   "2017-08-10"),
            Member("Hernán Cuéllar", "Asociación de Cafés Especiales de Pitalito", PRIVATE, VICE,
                   M, "2017-08-10"),
            Member("Luz Dary Ortiz", "Cooperativa de Caficultoras del Sur del Huila", PRIVATE,
                   MEMBER, F, "2019-05-01"),
            Member("Jaime Trujillo", "Gobernación del Huila", PUBLIC, MEMBER, M, "2017-08-10"),
            Member("Diana Morales", "SENA Regional Huila", BSO_, SECRETARY, F, "2019-07-01"),
            Member("Óscar Rojas", "Universidad Surcolombiana", ACADEMIA, MEMBER, M,
                   "2018-02-01"),
        ),
        meetings=(
            Meeting("2025-10-15", "Pitalito",
                    "Cupping results of the regional contest; buyers want traceable lots.",
                    ("Set up lot traceability for the women growers' cooperative.",)),
            Meeting("2026-04-22", "SENA, Pitalito",
                    "Traceability pilot running on 120 farms; barista training requested.",
                    ("Add a barista and cupping course to the SENA plan.",),
                    absent=("Jaime Trujillo",)),
        ),
        actions=(
            Action("Extend traceability to 300 farms", "Luz Dary Ortiz",
                   "2026-04-22", -12, IN_PROGRESS),
            Action("Schedule the cupping course", "Diana Morales", "2026-04-22", -160, DONE),
        ),
    ),
    Committee("cartagena-shipbuilding", "Comité del Cluster Naval de Cartagena", "2020-05-20",
        members=(
            Member("Andrés Villamizar", "COTECMAR", BSO_, CHAIR, M, "2020-05-20"),
            Member("Claudia Herrera", "Astilleros del Caribe S.A.S.", PRIVATE, VICE, F,
                   "2020-05-20"),
            Member("Ricardo Pájaro", "Cámara de Comercio de Cartagena", BSO_, MEMBER, M,
                   "2020-05-20"),
            Member("Paula Castellanos", "Universidad Tecnológica de Bolívar", ACADEMIA,
                   SECRETARY, F, "2021-01-15"),
            Member("Eduardo Marrugo", "Alcaldía de Cartagena", PUBLIC, MEMBER, M, "2020-05-20"),
        ),
        meetings=(
            Meeting("2026-06-04", "COTECMAR, Mamonal",
                    "Local content in navy contracts; suppliers need welding certification.",
                    ("Certify 40 welders to naval standards with SENA.",)),
        ),
        actions=(
            Action("Launch the naval welding certification course", "Paula Castellanos",
                   "2026-06-04", -50, OPEN),
            Action("List local suppliers for the patrol-boat programme", "Claudia Herrera",
                   "2026-06-04", 15, IN_PROGRESS),
        ),
    ),
    Committee("rivas-bananas", "Comité Rector del Cluster Bananero de Rivas", "2021-04-14",
        members=(
            Member("Mercedes Álvarez", "Cooperativa de Productores de Banano de Rivas", BSO_,
                   CHAIR, F, "2021-04-14"),
            Member("Francisco Guevara", "Productores Independientes de Tola", PRIVATE, VICE, M,
                   "2021-04-14"),
            Member("Yadira López", "MEFCCA, delegación Rivas", PUBLIC, MEMBER, F, "2021-04-14"),
            Member("Ernesto Báez", "TechnoServe Nicaragua", NGO, SECRETARY, M, "2021-04-14"),
            Member("Karla Espinoza", "UNAN-Managua, FAREM Carazo", ACADEMIA, MEMBER, F,
                   "2022-02-01"),
        ),
        meetings=(
            Meeting("2025-09-10", "Cooperativa de Productores, Rivas",
                    "Black Sigatoka outbreak; producers agree on a common spraying calendar.",
                    ("Adopt a common Sigatoka control calendar for the cluster.",)),
            Meeting("2026-02-12", "MEFCCA, Rivas",
                    "Packing-house plan discussed with the program; 600 producers interested.",
                    ("Prepare the investment proposal for a shared packing house.",)),
        ),
        actions=(
            Action("Distribute the spraying calendar to all producers", "Ernesto Báez",
                   "2025-09-10", -300, DONE),
            Action("Submit the packing-house investment proposal", "Mercedes Álvarez",
                   "2026-02-12", -80, IN_PROGRESS),
            Action("Survey producers' packing volumes", "Karla Espinoza", "2026-02-12", -25, OPEN),
        ),
    ),
    Committee("chontales-livestock", "Comité del Conglomerado Ganadero de Chontales",
        "2018-08-22",
        members=(
            Member("Auxiliadora Duarte", "Cooperativa Ganadera de Juigalpa", PRIVATE, CHAIR, F,
                   "2018-08-22"),
            Member("Ramón Sequeira", "Asociación de Ganaderos de Chontales", PRIVATE, VICE, M,
                   "2018-08-22"),
            Member("Róger Blandón", "Nitlapan-UCA", BSO_, SECRETARY, M, "2018-08-22"),
            Member("Marlon Oporta", "Ministerio Agropecuario, delegación Chontales", PUBLIC,
                   MEMBER, M, "2019-01-10"),
            Member("Jessenia Castillo", "INPYME", BSO_, MEMBER, F, "2019-01-10"),
            Member("Lesbia Marín", "Universidad Nacional Agraria, sede Juigalpa", ACADEMIA,
                   MEMBER, F, "2020-03-01"),
        ),
        meetings=(
            Meeting("2025-11-19", "Cooperativa Ganadera, Juigalpa",
                    "Milk rejected at collection centres for quality; cold chain is the gap.",
                    ("Install cooling tanks at three collection centres.",)),
            Meeting("2026-05-07", "Alcaldía de Juigalpa",
                    "Two tanks installed; quiesillo makers want a shared brand.",
                    ("Register a collective mark for Chontales cheese.",),
                    absent=("Marlon Oporta",)),
        ),
        actions=(
            Action("Install the third cooling tank in Santo Tomás", "Ramón Sequeira",
                   "2026-05-07", -35, IN_PROGRESS),
            Action("File the collective mark application", "Jessenia Castillo",
                   "2026-05-07", 45, OPEN),
            Action("Hire a milk-quality trainer", "Róger Blandón", "2025-11-19", -180, CANCELLED),
        ),
    ),
    Committee("blue-mountain-coffee", "Blue Mountain Coffee Cluster Steering Committee",
        "2018-01-25",
        members=(
            Member("Winston Clarke", "Mavis Bank Coffee Growers Association", PRIVATE, CHAIR, M,
                   "2018-01-25"),
            Member("Devon Thompson", "Blue Mountain Estates Ltd.", PRIVATE, VICE, M,
                   "2018-01-25", "2023-09-30"),
            Member("Keisha Williams", "Blue Mountain Estates Ltd.", PRIVATE, VICE, F,
                   "2023-10-01"),
            Member("Marcia Brown", "Jamaica Agricultural Commodities Regulatory Authority",
                   PUBLIC, MEMBER, F, "2018-01-25"),
            Member("Andrea Campbell", "Jamaica Business Development Corporation", BSO_,
                   SECRETARY, F, "2018-01-25"),
            Member("Paul Reid", "University of the West Indies, Mona", ACADEMIA, MEMBER, M,
                   "2019-04-01"),
        ),
        meetings=(
            Meeting("2026-01-29", "Mavis Bank",
                    "Hurricane damage to farms assessed; replanting needs 300,000 seedlings.",
                    ("Set up a shared seedling nursery with UWI.",)),
            Meeting("2026-08-27", "JBDC, Kingston",
                    "Nursery producing; growers ask for a direct-to-roaster sales channel.",
                    ("Test an online sales channel for small growers' coffee.",)),
        ),
        actions=(
            Action("Deliver the first 50,000 seedlings", "Paul Reid", "2026-01-29", -110, DONE),
            Action("Choose a platform for online sales", "Andrea Campbell",
                   "2026-08-27", -3, OPEN),
        ),
    ),
    Committee("mekelle-metal-woodwork", "Mekelle Metal and Woodwork Cluster Steering Committee",
        "2020-01-15",
        members=(
            Member("Tsega Hailu", "Mekelle Metalworkers' Association", PRIVATE, CHAIR, F,
                   "2020-01-15"),
            Member("Berhe Kidane", "Ayder Woodwork Cooperative", PRIVATE, VICE, M, "2020-01-15"),
            Member("Haftom Gebremedhin", "Tigray MSE Development Agency", BSO_, SECRETARY, M,
                   "2020-01-15"),
            Member("Letay Tesfay", "Mekelle University, EiT-M", ACADEMIA, MEMBER, F,
                   "2020-01-15"),
            Member("Girmay Abraha", "Mekelle City Trade and Industry Office", PUBLIC, MEMBER, M,
                   "2020-01-15"),
            Member("Mulu Gebreyesus", "Relief Society of Tigray", NGO, MEMBER, F, "2021-03-01"),
        ),
        meetings=(
            Meeting("2026-02-18", "Mekelle Trade and Industry Office",
                    "Workshops lack machines to restart; a shared machine shop was proposed.",
                    ("Open a common facility centre with shared machines.",)),
            Meeting("2026-09-09", "Mekelle University, EiT-M",
                    "Machine list agreed; 60 workshops signed up to use the centre.",
                    ("Charge members a user fee covering running costs.",)),
        ),
        actions=(
            Action("Secure premises for the common facility centre", "Girmay Abraha",
                   "2026-02-18", -55, IN_PROGRESS),
            Action("Publish user fees for the facility centre", "Berhe Kidane",
                   "2026-09-09", 20, OPEN),
        ),
    ),
    Committee("ludhiana-hosiery", "Ludhiana Hosiery Cluster Steering Committee", "2012-09-01",
        members=(
            Member("Harpreet Singh Sandhu", "Knitwear Club Ludhiana", BSO_, CHAIR, M,
                   "2012-09-01"),
            Member("Gurpreet Kaur", "Kaur Knit Fashions", PRIVATE, VICE, F, "2015-01-01"),
            Member("Rajinder Pal Gupta", "District Industries Centre, Ludhiana", PUBLIC, MEMBER,
                   M, "2012-09-01"),
            Member("Meera Iyer", "Foundation for MSME Clusters", BSO_, SECRETARY, F,
                   "2013-01-01"),
            Member("Amandeep Kaur", "Guru Nanak Dev Engineering College", ACADEMIA, MEMBER, F,
                   "2016-07-01"),
            Member("Sukhwinder Singh", "Hosiery Workers' Welfare Society", NGO, MEMBER, M,
                   "2018-01-01"),
        ),
        meetings=(
            Meeting("2025-12-10", "Knitwear Club, Ludhiana",
                    "Dyeing units face new effluent norms; a common effluent plant discussed.",
                    ("Apply for a common effluent treatment plant grant.",)),
            Meeting("2026-06-25", "District Industries Centre, Ludhiana",
                    "Grant approved in principle; exporters want a compliance help desk.",
                    ("Open a social-compliance help desk for exporters.",)),
        ),
        actions=(
            Action("Submit the effluent plant detailed project report", "Meera Iyer",
                   "2025-12-10", -140, DONE),
            Action("Staff the compliance help desk", "Gurpreet Kaur", "2026-06-25", -15, OPEN),
        ),
    ),
]
# fmt: on
