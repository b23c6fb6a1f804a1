"""The demo's published cluster: Mendoza wine publishes by its committee's decision, so the
Argentina program's IATI file holds its results and no other cluster's."""

from pathlib import Path

from django.conf import settings
from lxml import etree

from programs.models import Program
from public.iati import activity_file
from public.models import Publication

SCHEMA = Path(settings.BASE_DIR) / "standards" / "iati-2.03" / "iati-activities-schema.xsd"


def test_mendoza_wine_publishes_and_only_it_is_in_the_iati_file(seeded):
    (publication,) = Publication.objects.filter(published=True)
    assert publication.cluster.code == "mendoza-wine"
    assert publication.decision.meeting.committee.cluster == publication.cluster
    program = Program.objects.get(code="ar-productive-clusters")
    content = activity_file(program)
    root = etree.fromstring(content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(root), schema.error_log
    assert root.findtext("iati-activity/iati-identifier") == "XM-DAC-46012-ar-productive-clusters"
    locations = [loc.findtext("name/narrative") for loc in root.findall("iati-activity/location")]
    assert locations == ["Mendoza wine"]
    assert b"Rafaela" not in content
    assert root.find("iati-activity/result") is not None  # its approved values, published
