"""A 404 or 500 under /api/ answers JSON, as the schema says every API error does; pages keep
the site's HTML error pages."""

import pytest
from django.test import Client

from clusters.api.views import ClusterViewSet


@pytest.fixture
def signed_in(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    return client


@pytest.mark.parametrize("path", ["/api/v1/action-items/-2.5e-50/", "/api/v1/no-such-list/"])
def test_an_api_url_no_route_matches_answers_a_json_404(signed_in, path):
    response = signed_in.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_url_no_route_matches_answers_the_html_404_page(signed_in):
    response = signed_in.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_api_server_error_answers_json(signed_in, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(ClusterViewSet, "list", broken)

    response = signed_in.get("/api/v1/clusters/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}
