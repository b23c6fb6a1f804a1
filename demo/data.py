"""The demo world as tables: geography, clusters, BSOs, programs and demo users (the
committees are in demo.committees).

Clusters, places and organisations follow domain/CONTEXT.md and the published cases it
draws on; people, firms' staff, e-mail addresses, phone numbers and web sites are invented
(addresses under example.org, numbers in the 555 range). Dates are ISO strings. Action
items are due a number of days from the day the seed runs, so the demo always shows some
work overdue and some still ahead. Every row has a natural key (a code, a username, a
name within its committee) so that seeding twice changes nothing.
"""

from typing import NamedTuple

from accounts.models import Role
from bsos.models import BSO, ClusterSupport
from clusters.models import (
    ClusterType,
    InitiativeOrigin,
    LifecycleStage,
    SectorFamily,
)

DEMO_PASSWORD = "clusterboard-demo"

# Short names keep each table row on one or two lines.
TRADITIONAL, NATURAL = SectorFamily.TRADITIONAL, SectorFamily.NATURAL_RESOURCE
COMPLEX, SUPPLIERS = SectorFamily.COMPLEX_PRODUCT, SectorFamily.SPECIALIZED_SUPPLIERS
ITALIANATE, SATELLITE = ClusterType.ITALIANATE, ClusterType.SATELLITE
HUB, SURVIVAL = ClusterType.HUB_AND_SPOKE, ClusterType.SURVIVAL
TRANSNATIONAL = ClusterType.TRANSNATIONAL
EMERGING, LEARNING = LifecycleStage.EMERGING, LifecycleStage.INITIAL_LEARNING
MATURING, GLOBAL, DECLINING = (
    LifecycleStage.MATURING,
    LifecycleStage.GLOBALISATION,
    LifecycleStage.DECLINING,
)
TD_PUBLIC, TD_PRIVATE = InitiativeOrigin.TOP_DOWN_PUBLIC, InitiativeOrigin.TOP_DOWN_PRIVATE
BU_PUBLIC, BU_PRIVATE = InitiativeOrigin.BOTTOM_UP_PUBLIC, InitiativeOrigin.BOTTOM_UP_PRIVATE
LEAD, PARTNER = ClusterSupport.Role.LEAD, ClusterSupport.Role.PARTNER
K = BSO.Kind


class RegionRow(NamedTuple):
    code: str
    name: str
    countries: tuple[str, ...]


class ClusterRow(NamedTuple):
    code: str
    name: str
    country: str
    locality: str
    sector: str
    sector_family: str
    cluster_type: str
    lifecycle_stage: str
    initiative_origin: str
    number_of_firms: int
    employment: int
    women_led_firms: int
    latitude: str
    longitude: str
    status: str = "active"


class BSORow(NamedTuple):
    code: str
    name: str
    kind: str
    country: str
    city: str
    contact_person: str
    phone: str


class SupportRow(NamedTuple):
    bso: str
    cluster: str
    role: str
    since: str
    until: str | None = None


class ProgramRow(NamedTuple):
    code: str
    name: str
    funder: str


class EnrolmentRow(NamedTuple):
    program: str
    cluster: str
    enrolled_from: str
    enrolled_until: str | None = None


class DemoUser(NamedTuple):
    username: str
    role: str
    first_name: str
    last_name: str
    # A BSO code, the program codes of an officer, a country code or a region code, by role.
    scope: str | tuple[str, ...] | None
    sees: str


# fmt: off
COUNTRIES = {
    "AR": "Argentina", "CO": "Colombia", "CR": "Costa Rica", "EC": "Ecuador",
    "ET": "Ethiopia", "IN": "India", "JM": "Jamaica", "NI": "Nicaragua", "PE": "Peru",
    "TT": "Trinidad and Tobago",
}

# Regions overlap: Ecuador, Peru and Colombia sit in the Andean Community and in LAC.
REGIONS = [
    RegionRow("latin-america-caribbean", "Latin America and the Caribbean",
              ("AR", "CO", "CR", "EC", "JM", "NI", "PE", "TT")),
    RegionRow("andean-community", "Andean Community", ("CO", "EC", "PE")),
    RegionRow("central-america", "Central America", ("CR", "NI")),
    RegionRow("caribbean", "Caribbean", ("JM", "TT")),
    RegionRow("eastern-africa", "Eastern Africa", ("ET",)),
    RegionRow("south-asia", "South Asia", ("IN",)),
]

CLUSTERS = [
    # code, name, country, locality, sector,
    #     family, type, stage, origin, firms, employment, women-led firms, latitude, longitude
    ClusterRow("mendoza-wine", "Mendoza wine", "AR", "Luján de Cuyo and Maipú, Mendoza", "wine",
        NATURAL, ITALIANATE, GLOBAL, BU_PRIVATE, 890, 38_000, 120, "-32.88950", "-68.84580"),
    ClusterRow("cordoba-software", "Córdoba software", "AR", "Córdoba", "software and IT services",
        SUPPLIERS, ITALIANATE, MATURING, BU_PRIVATE, 280, 12_000, 45, "-31.42010", "-64.18880"),
    ClusterRow("rafaela-machinery", "Rafaela metalworking and machinery", "AR",
        "Rafaela, Santa Fe", "agricultural machinery and auto parts",
        SUPPLIERS, ITALIANATE, MATURING, BU_PUBLIC, 210, 6_500, 18, "-31.25030", "-61.48670"),
    ClusterRow("atuntaqui-garments", "Atuntaqui garments", "EC", "Atuntaqui, Imbabura",
        "garments and knitwear",
        TRADITIONAL, ITALIANATE, MATURING, BU_PRIVATE, 320, 4_000, 140, "0.33170", "-78.21360"),
    ClusterRow("cayambe-flowers", "Cayambe cut flowers", "EC", "Cayambe, Pichincha", "cut roses",
        NATURAL, HUB, GLOBAL, TD_PRIVATE, 160, 25_000, 30, "0.04110", "-78.14530"),
    ClusterRow("trujillo-footwear", "Trujillo footwear", "PE", "El Porvenir, Trujillo",
        "leather footwear",
        TRADITIONAL, SURVIVAL, MATURING, BU_PUBLIC, 1_200, 9_000, 260, "-8.08330", "-79.00000"),
    ClusterRow("arequipa-alpaca", "Arequipa alpaca fibre", "PE", "Arequipa",
        "alpaca fibre and yarn",
        NATURAL, HUB, GLOBAL, TD_PRIVATE, 95, 6_000, 28, "-16.40900", "-71.53750"),
    ClusterRow("huila-coffee", "Huila specialty coffee", "CO", "Pitalito, Huila",
        "specialty coffee",
        NATURAL, SATELLITE, MATURING, BU_PRIVATE, 2_500, 9_000, 600, "1.85370", "-76.05100"),
    ClusterRow("cartagena-shipbuilding", "Cartagena shipbuilding and repair", "CO",
        "Mamonal, Cartagena", "shipbuilding and ship repair",
        COMPLEX, HUB, EMERGING, TD_PUBLIC, 60, 4_200, 4, "10.39100", "-75.47940"),
    ClusterRow("rivas-bananas", "Rivas bananas", "NI", "Rivas", "bananas and plantains",
        NATURAL, SURVIVAL, LEARNING, TD_PUBLIC, 4_000, 11_000, 520, "11.43720", "-85.82640"),
    ClusterRow("chontales-livestock", "Chontales livestock", "NI", "Juigalpa, Chontales",
        "dairy and beef cattle",
        NATURAL, HUB, MATURING, BU_PUBLIC, 7_000, 21_000, 640, "12.10640", "-85.36450"),
    ClusterRow("masaya-crafts", "Masaya furniture and handicrafts", "NI", "Masaya",
        "wooden furniture and handicrafts",
        TRADITIONAL, SURVIVAL, DECLINING, BU_PUBLIC, 450, 2_200, 150, "11.97440", "-86.09420",
        "inactive"),
    ClusterRow("cr-medical-devices", "Costa Rica medical devices", "CR", "Cartago and Heredia",
        "medical devices",
        COMPLEX, TRANSNATIONAL, GLOBAL, TD_PUBLIC, 90, 45_000, 8, "9.86440", "-83.91940"),
    ClusterRow("blue-mountain-coffee", "Blue Mountain coffee", "JM", "Mavis Bank, St Andrew",
        "coffee",
        NATURAL, SATELLITE, MATURING, TD_PUBLIC, 1_300, 4_500, 310, "18.03330", "-76.66670"),
    ClusterRow("tt-energy-services", "Trinidad energy services", "TT", "Point Lisas, Couva",
        "oil and gas services",
        SUPPLIERS, SATELLITE, MATURING, TD_PRIVATE, 140, 8_000, 12, "10.41670", "-61.45000"),
    ClusterRow("mekelle-metal-woodwork", "Mekelle metal and woodwork", "ET", "Mekelle, Tigray",
        "metalwork and woodwork",
        TRADITIONAL, SURVIVAL, LEARNING, TD_PUBLIC, 250, 1_800, 14, "13.49670", "39.47530"),
    ClusterRow("ludhiana-hosiery", "Ludhiana hosiery", "IN", "Ludhiana, Punjab",
        "hosiery and knitwear",
        TRADITIONAL, ITALIANATE, GLOBAL, BU_PRIVATE, 2_000, 90_000, 160, "30.90100", "75.85730"),
    ClusterRow("bengaluru-aerospace", "Bengaluru aerospace", "IN", "Bengaluru, Karnataka",
        "aerospace components",
        COMPLEX, HUB, MATURING, TD_PUBLIC, 180, 30_000, 10, "12.97160", "77.59460"),
]
# fmt: on

CLUSTER_DESCRIPTIONS = {
    "mendoza-wine": "Wineries, growers, cooperages and input suppliers of the Mendoza oases.",
    "cordoba-software": "Software firms, universities and the provincial science ministry.",
    "rafaela-machinery": "Family-owned metalworking SMEs supplying farm machinery and auto parts.",
    "atuntaqui-garments": "Knitwear workshops and outlet stores around a common town brand.",
    "cayambe-flowers": "Rose farms exporting to North America and Europe, with their growers.",
    "trujillo-footwear": "Small footwear workshops of El Porvenir and their leather suppliers.",
    "arequipa-alpaca": "Fibre processors buying from highland alpaca herders' associations.",
    "huila-coffee": "Smallholder specialty-coffee growers, their cooperatives and buyers.",
    "cartagena-shipbuilding": "A naval shipyard and the private yards and suppliers around it.",
    "rivas-bananas": "About 4,000 banana and plantain growers selling to local and export buyers.",
    "chontales-livestock": "About 7,000 cattle farmers, milk collection centres and cheese makers.",
    "masaya-crafts": "Furniture and handicraft workshops; the initiative closed in 2022.",
    "cr-medical-devices": "Multinational device makers in free zones and their local suppliers.",
    "blue-mountain-coffee": "Smallholder growers and estates of the Blue Mountain appellation.",
    "tt-energy-services": "Local service and fabrication firms around the Point Lisas estate.",
    "mekelle-metal-woodwork": "250 metal and woodwork workshops in Mekelle's industrial zones.",
    "ludhiana-hosiery": "Knitting, dyeing and garment units, from exporters to home workers.",
    "bengaluru-aerospace": "Tier-2 and tier-3 suppliers around public aerospace manufacturers.",
}

# fmt: off
BSOS = [
    # code, name, kind, country, city, contact person, phone
    BSORow("inti", "INTI — Instituto Nacional de Tecnología Industrial", K.TECHNOLOGY_INSTITUTE,
           "AR", "San Martín, Buenos Aires", "Lucía Ferreyra", "+54 11 5555 0101"),
    BSORow("bodegas-de-argentina", "Bodegas de Argentina", K.BUSINESS_ASSOCIATION,
           "AR", "Mendoza", "Martín Giménez", "+54 261 555 0102"),
    BSORow("cordoba-technology", "Córdoba Technology Cluster", K.BUSINESS_ASSOCIATION,
           "AR", "Córdoba", "Valeria Bustos", "+54 351 555 0103"),
    BSORow("camara-antonio-ante", "Cámara de Comercio de Antonio Ante", K.CHAMBER,
           "EC", "Atuntaqui", "Jorge Andrade", "+593 6 255 5104"),
    BSORow("expoflores", "Expoflores", K.BUSINESS_ASSOCIATION,
           "EC", "Quito", "Paola Cevallos", "+593 2 255 5105"),
    BSORow("cite-calzado-trujillo", "CITE Cuero y Calzado Trujillo", K.TECHNOLOGY_INSTITUTE,
           "PE", "Trujillo", "Rosa Quispe", "+51 44 555 106"),
    BSORow("camara-arequipa", "Cámara de Comercio e Industria de Arequipa", K.CHAMBER,
           "PE", "Arequipa", "Carlos Zegarra", "+51 54 555 107"),
    BSORow("cafeteros-huila", "Comité Departamental de Cafeteros del Huila", K.BUSINESS_ASSOCIATION,
           "CO", "Neiva", "Andrea Perdomo", "+57 608 555 0108"),
    BSORow("sena", "SENA — Servicio Nacional de Aprendizaje", K.TRAINING_INSTITUTE,
           "CO", "Bogotá", "Diana Morales", "+57 601 555 0109"),
    BSORow("cotecmar", "COTECMAR", K.TECHNOLOGY_INSTITUTE,
           "CO", "Cartagena", "Andrés Villamizar", "+57 605 555 0110"),
    BSORow("coop-banano-rivas", "Cooperativa de Productores de Banano de Rivas", K.COOPERATIVE,
           "NI", "Rivas", "Mercedes Álvarez", "+505 2555 0111"),
    BSORow("nitlapan-uca", "Nitlapan — Universidad Centroamericana", K.UNIVERSITY,
           "NI", "Managua", "Róger Blandón", "+505 2555 0112"),
    BSORow("inpyme", "INPYME — Instituto Nicaragüense de la Pequeña y Mediana Empresa",
           K.PUBLIC_SME_AGENCY, "NI", "Managua", "Jessenia Castillo", "+505 2555 0113"),
    BSORow("technoserve-ni", "TechnoServe Nicaragua", K.NGO,
           "NI", "Managua", "Ernesto Báez", "+505 2555 0114"),
    BSORow("cinde", "CINDE — Costa Rican Investment Promotion Agency", K.BDS_PROVIDER,
           "CR", "San José", "Gabriela Solís", "+506 2555 0115"),
    BSORow("jbdc", "Jamaica Business Development Corporation", K.PUBLIC_SME_AGENCY,
           "JM", "Kingston", "Andrea Campbell", "+1 876 555 0116"),
    BSORow("energy-chamber-tt", "Energy Chamber of Trinidad and Tobago", K.CHAMBER,
           "TT", "Couva", "Kiran Maharaj", "+1 868 555 0117"),
    BSORow("tigray-mseda", "Tigray Micro and Small Enterprises Development Agency",
           K.PUBLIC_SME_AGENCY, "ET", "Mekelle", "Haftom Gebremedhin", "+251 34 555 0118"),
    BSORow("mekelle-university", "Mekelle University, Institute of Technology", K.UNIVERSITY,
           "ET", "Mekelle", "Letay Tesfay", "+251 34 555 0119"),
    BSORow("knitwear-club", "Knitwear Club Ludhiana", K.BUSINESS_ASSOCIATION,
           "IN", "Ludhiana", "Harpreet Singh Sandhu", "+91 161 555 0120"),
    BSORow("fmc", "Foundation for MSME Clusters", K.BDS_PROVIDER,
           "IN", "New Delhi", "Meera Iyer", "+91 11 5555 0121"),
    BSORow("siati", "Society of Indian Aerospace Technologies and Industries",
           K.BUSINESS_ASSOCIATION, "IN", "Bengaluru", "Ravi Kumar Rao", "+91 80 5555 0122"),
]

# One current lead per cluster; Rivas changed lead in 2021; Masaya's support ended with it.
SUPPORTS = [
    SupportRow("inti", "mendoza-wine", LEAD, "2019-04-01"),
    SupportRow("bodegas-de-argentina", "mendoza-wine", PARTNER, "2019-04-01"),
    SupportRow("inti", "rafaela-machinery", LEAD, "2018-09-01"),
    SupportRow("cordoba-technology", "cordoba-software", LEAD, "2017-06-01"),
    SupportRow("inti", "cordoba-software", PARTNER, "2021-03-01"),
    SupportRow("camara-antonio-ante", "atuntaqui-garments", LEAD, "2015-01-15"),
    SupportRow("expoflores", "cayambe-flowers", LEAD, "2016-05-01"),
    SupportRow("cite-calzado-trujillo", "trujillo-footwear", LEAD, "2014-08-01"),
    SupportRow("camara-arequipa", "arequipa-alpaca", LEAD, "2018-02-01"),
    SupportRow("cafeteros-huila", "huila-coffee", LEAD, "2017-01-01"),
    SupportRow("sena", "huila-coffee", PARTNER, "2019-07-01"),
    SupportRow("cotecmar", "cartagena-shipbuilding", LEAD, "2020-02-01"),
    SupportRow("sena", "cartagena-shipbuilding", PARTNER, "2020-02-01"),
    SupportRow("technoserve-ni", "rivas-bananas", LEAD, "2016-03-01", "2020-12-31"),
    SupportRow("coop-banano-rivas", "rivas-bananas", LEAD, "2021-01-01"),
    SupportRow("technoserve-ni", "rivas-bananas", PARTNER, "2021-01-01"),
    SupportRow("inpyme", "rivas-bananas", PARTNER, "2021-01-01"),
    SupportRow("nitlapan-uca", "chontales-livestock", LEAD, "2018-05-01"),
    SupportRow("inpyme", "chontales-livestock", PARTNER, "2019-01-01"),
    SupportRow("inpyme", "masaya-crafts", LEAD, "2015-06-01", "2022-12-31"),
    SupportRow("cinde", "cr-medical-devices", LEAD, "2012-01-01"),
    SupportRow("jbdc", "blue-mountain-coffee", LEAD, "2017-10-01"),
    SupportRow("energy-chamber-tt", "tt-energy-services", LEAD, "2014-03-01"),
    SupportRow("tigray-mseda", "mekelle-metal-woodwork", LEAD, "2019-09-01"),
    SupportRow("mekelle-university", "mekelle-metal-woodwork", PARTNER, "2019-09-01"),
    SupportRow("knitwear-club", "ludhiana-hosiery", LEAD, "2012-04-01"),
    SupportRow("fmc", "ludhiana-hosiery", PARTNER, "2013-01-01"),
    SupportRow("siati", "bengaluru-aerospace", LEAD, "2016-01-01"),
    SupportRow("fmc", "bengaluru-aerospace", PARTNER, "2020-06-01"),
]

PROGRAMS = [
    ProgramRow("ar-productive-clusters", "Argentina Productive Clusters Program",
               "Inter-American Development Bank"),
    ProgramRow("unido-cluster-development", "UNIDO Cluster Development Programme",
               "UNIDO and the European Union"),
    ProgramRow("ni-rural-clusters", "Nicaragua Rural Clusters Program",
               "Inter-American Development Bank"),
]

# Chontales livestock is in two programs at once; Masaya left the UNIDO programme in 2022.
ENROLMENTS = [
    EnrolmentRow("ar-productive-clusters", "mendoza-wine", "2022-07-01"),
    EnrolmentRow("ar-productive-clusters", "rafaela-machinery", "2022-07-01"),
    EnrolmentRow("ar-productive-clusters", "cordoba-software", "2023-02-01"),
    EnrolmentRow("unido-cluster-development", "ludhiana-hosiery", "2019-01-01"),
    EnrolmentRow("unido-cluster-development", "masaya-crafts", "2019-03-01", "2022-12-31"),
    EnrolmentRow("unido-cluster-development", "atuntaqui-garments", "2020-01-01"),
    EnrolmentRow("unido-cluster-development", "trujillo-footwear", "2020-03-01"),
    EnrolmentRow("unido-cluster-development", "mekelle-metal-woodwork", "2021-06-01"),
    EnrolmentRow("unido-cluster-development", "chontales-livestock", "2023-01-01"),
    EnrolmentRow("ni-rural-clusters", "rivas-bananas", "2021-03-01"),
    EnrolmentRow("ni-rural-clusters", "chontales-livestock", "2021-03-01"),
]
# fmt: on

# One user per role; every one logs in with DEMO_PASSWORD. The demo BSO and the demo officer
# share the Argentine clusters, so a report the BSO submits is one the officer approves and the
# ministry then sees in Argentina's national numbers.
DEMO_USERS = [
    DemoUser(
        "admin",
        Role.ADMIN,
        "Alejandra",
        "Ríos",
        None,
        "everything, and the Django admin at /admin/",
    ),
    DemoUser(
        "bso",
        Role.BSO_STAFF,
        "Diego",
        "Sosa",
        "inti",
        "INTI's clusters: leads Mendoza wine and Rafaela, partners Córdoba software",
    ),
    DemoUser(
        "officer",
        Role.PROGRAM_OFFICER,
        "Nadia",
        "Haddad",
        ("ar-productive-clusters", "unido-cluster-development"),
        "the Argentina program's clusters (the demo BSO's among them) and the UNIDO "
        "programme's in Ecuador, Peru, Nicaragua, Ethiopia and India",
    ),
    DemoUser(
        "ministry",
        Role.MINISTRY,
        "Verónica",
        "Acosta",
        "AR",
        "Argentina's clusters",
    ),
    DemoUser(
        "regional",
        Role.REGIONAL,
        "Juan Carlos",
        "Mejía",
        "andean-community",
        "the Andean Community's clusters: Colombia, Ecuador and Peru",
    ),
]


# Who else wrote the seeded reports, so that every "submitted by" and "approved by" matches a
# role: staff of each cluster's lead BSO (named by its contact person) submit, and the officer
# of each program the demo officer does not run approves. They cannot sign in (no password);
# clusters in no program are reviewed by the administrator, the only role that may.
OTHER_OFFICERS = [
    # username, program, first name, last name
    ("officer-ni", "ni-rural-clusters", "Álvaro", "Chamorro"),
]


def staff_username(bso_code: str) -> str:
    """The username of the seeded (non-login) staff member of a BSO."""
    return f"staff-{bso_code}"
