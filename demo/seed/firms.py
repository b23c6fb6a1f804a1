"""Demo firms of the registry: about thirty across the demo clusters, one in two clusters of a
country (a Córdoba software house that also belongs to the Mendoza wine cluster) and one likely
duplicate pair (the same winery registered twice, "Bodega Los Andes S.A." and "Bodega los Andes"
of Maipú), for the duplicates page to propose."""

import datetime
from typing import NamedTuple

from bsos.models import BSO
from clusters.models import Cluster, Country
from demo.seed.rows import SeedReport, upsert
from firms.models import Firm, Membership


class FirmRow(NamedTuple):
    name: str
    tax_id: str
    country: str
    locality: str
    sector: str
    size_class: str
    women_led: bool
    founded: int
    clusters: tuple[str, ...]
    bsos: tuple[str, ...] = ()


# fmt: off
FIRMS = [
    FirmRow("Bodega Los Andes S.A.", "30-71000001-5", "AR", "Maipú", "wine", "medium", False,
            1962, ("mendoza-wine",), ("bodegas-de-argentina",)),
    FirmRow("Bodega los Andes", "", "AR", "Maipu", "wine", "medium", False,
            1962, ("mendoza-wine",)),  # the same winery, registered again without its CUIT
    FirmRow("Viñas del Sol SRL", "30-71000002-3", "AR", "Luján de Cuyo", "wine", "small", True,
            1994, ("mendoza-wine",), ("bodegas-de-argentina", "inti")),
    FirmRow("Tonelería Cuyana", "30-71000003-1", "AR", "Godoy Cruz", "cooperage", "small", False,
            1978, ("mendoza-wine",), ("inti",)),
    FirmRow("Vidrios Mendoza S.A.", "30-71000004-0", "AR", "Guaymallén", "glass bottles",
            "large", False, 1950, ("mendoza-wine",)),
    FirmRow("Vinotech Software SA", "30-71000005-8", "AR", "Córdoba", "software for wineries",
            "small", True, 2011, ("cordoba-software", "mendoza-wine"), ("cordoba-technology",)),
    FirmRow("Nube Serrana SRL", "30-71000006-6", "AR", "Córdoba", "cloud services", "micro",
            True, 2018, ("cordoba-software",), ("cordoba-technology",)),
    FirmRow("Datos del Centro SA", "30-71000007-4", "AR", "Villa Carlos Paz", "data analytics",
            "medium", False, 2005, ("cordoba-software",)),
    FirmRow("Metalúrgica Rafaela SA", "30-71000008-2", "AR", "Rafaela", "auto parts", "medium",
            False, 1968, ("rafaela-machinery",), ("inti",)),
    FirmRow("Sembradoras del Litoral SRL", "30-71000009-0", "AR", "Rafaela",
            "seed drills", "small", False, 1985, ("rafaela-machinery",)),
    FirmRow("Tejidos Atuntaqui Cía. Ltda.", "1091700001001", "EC", "Atuntaqui", "knitwear",
            "small", True, 1990, ("atuntaqui-garments",), ("camara-antonio-ante",)),
    FirmRow("Confecciones Imbabura", "1091700002001", "EC", "Atuntaqui", "garments", "micro",
            True, 2003, ("atuntaqui-garments",), ("camara-antonio-ante",)),
    FirmRow("Hilos Andinos S.A.", "1091700003001", "EC", "Otavalo", "yarn", "medium", False,
            1975, ("atuntaqui-garments",)),
    FirmRow("Rosas de Cayambe S.A.", "1791700004001", "EC", "Cayambe", "cut roses", "large",
            False, 1988, ("cayambe-flowers",), ("expoflores",)),
    FirmRow("Flores del Nevado", "1791700005001", "EC", "Cayambe", "cut roses", "medium", True,
            1996, ("cayambe-flowers",), ("expoflores",)),
    FirmRow("Calzados El Porvenir EIRL", "20100000011", "PE", "El Porvenir", "leather footwear",
            "micro", False, 2001, ("trujillo-footwear",), ("cite-calzado-trujillo",)),
    FirmRow("Curtiembre Trujillo SAC", "20100000012", "PE", "Trujillo", "leather tanning",
            "small", False, 1979, ("trujillo-footwear",), ("cite-calzado-trujillo",)),
    FirmRow("Zapatos Doña Rosa", "20100000013", "PE", "El Porvenir", "women's footwear",
            "micro", True, 2012, ("trujillo-footwear",)),
    FirmRow("Alpaca Fibras del Sur SAC", "20100000014", "PE", "Arequipa", "alpaca yarn",
            "large", False, 1970, ("arequipa-alpaca",), ("camara-arequipa",)),
    FirmRow("Tejidos Misti", "20100000015", "PE", "Arequipa", "alpaca knitwear", "small", True,
            2008, ("arequipa-alpaca",)),
    FirmRow("Cafés Especiales de Pitalito SAS", "900100001", "CO", "Pitalito", "specialty coffee",
            "small", True, 2009, ("huila-coffee",), ("cafeteros-huila",)),
    FirmRow("Cooperativa Cafetera del Sur", "900100002", "CO", "Pitalito", "coffee cooperative",
            "medium", False, 1965, ("huila-coffee",), ("cafeteros-huila", "sena")),
    FirmRow("Tostadora La Plata", "900100003", "CO", "La Plata", "coffee roasting", "micro",
            True, 2016, ("huila-coffee",)),
    FirmRow("Astilleros del Caribe SAS", "900100004", "CO", "Mamonal", "ship repair", "medium",
            False, 1983, ("cartagena-shipbuilding",), ("cotecmar",)),
    FirmRow("Bananera Rivas", "", "NI", "Rivas", "bananas", "small", False, 1992,
            ("rivas-bananas",), ("coop-banano-rivas",)),
    FirmRow("Lácteos Chontales", "", "NI", "Juigalpa", "cheese", "small", True, 1999,
            ("chontales-livestock",), ("nitlapan-uca",)),
    FirmRow("Precision Components CR", "3-101-000001", "CR", "Cartago", "medical device parts",
            "medium", False, 2007, ("cr-medical-devices",), ("cinde",)),
    FirmRow("Mavis Bank Estates", "", "JM", "Mavis Bank", "coffee", "small", True, 1971,
            ("blue-mountain-coffee",), ("jbdc",)),
    FirmRow("Sandhu Knits Pvt Ltd", "03AAAAA0001A1Z5", "IN", "Ludhiana", "hosiery", "medium",
            False, 1986, ("ludhiana-hosiery",), ("knitwear-club",)),
    FirmRow("Kaur Hosiery Works", "03AAAAA0002A1Z4", "IN", "Ludhiana", "hosiery", "micro", True,
            2014, ("ludhiana-hosiery",), ("knitwear-club", "fmc")),
    FirmRow("Aero Precision Bengaluru", "29AAAAA0003A1Z3", "IN", "Bengaluru",
            "aerospace machining", "small", False, 2004, ("bengaluru-aerospace",), ("siati",)),
]
# fmt: on
MEMBER_SINCE = datetime.date(2024, 1, 1)


def seed_firms(
    report: SeedReport,
    countries: dict[str, Country],
    clusters: dict[str, Cluster],
    bsos: dict[str, BSO],
) -> dict[str, Firm]:
    firms = {}
    for row in FIRMS:
        values = row._asdict()
        member_of, served_by = values.pop("clusters"), values.pop("bsos")
        values["country"] = countries[row.country]
        values["tax_id"] = values["tax_id"].replace("-", "")
        firm = upsert(
            report,
            Firm,
            keys={"name": values.pop("name"), "country": values.pop("country")},
            values=values,
            m2m={"bsos": [bsos[code] for code in served_by]},
        )
        for code in member_of:
            upsert(
                report,
                Membership,
                keys={"firm": firm, "cluster": clusters[code], "since": MEMBER_SINCE},
            )
        firms[row.name] = firm
    return firms
