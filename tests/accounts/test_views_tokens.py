"""The page of one's API tokens: listed, a new one shown once, each revocable."""

import re

from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens.services import token_issue


def works(key) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("api:committee-list")).status_code == 200


def test_the_page_lists_my_live_tokens_only(world, client):
    bso = world.users["bso_staff"]
    mine, _key = token_issue(user=bso)
    theirs, _key = token_issue(user=world.users["ministry"])
    client.force_login(bso)

    html = client.get(reverse("api-tokens")).content.decode()

    assert f'data-token="{mine.pk}"' in html
    assert f'data-token="{theirs.pk}"' not in html
    assert mine.prefix in html


def test_revoking_a_token_on_the_page_stops_it(world, client):
    bso = world.users["bso_staff"]
    token, key = token_issue(user=bso)
    client.force_login(bso)
    assert works(key)

    response = client.post(reverse("api-token-revoke", args=[token.pk]), follow=True)

    assert response.status_code == 200
    assert "no longer works" in response.content.decode()
    assert not works(key)


def test_someone_else_s_token_cannot_be_revoked_from_my_page(world, client):
    theirs, key = token_issue(user=world.users["ministry"])
    client.force_login(world.users["bso_staff"])

    assert client.post(reverse("api-token-revoke", args=[theirs.pk])).status_code == 404
    assert works(key)


def test_revoke_all_stops_every_token_of_mine(world, client):
    bso = world.users["bso_staff"]
    keys = [token_issue(user=bso)[1] for _ in range(2)]
    _theirs, their_key = token_issue(user=world.users["ministry"])
    client.force_login(bso)

    client.post(reverse("api-tokens-revoke-all"))

    assert [works(k) for k in keys] == [False, False]
    assert works(their_key)


def test_a_new_token_is_shown_once_and_works(world, client):
    client.force_login(world.users["bso_staff"])

    html = client.post(reverse("api-token-new")).content.decode()
    key = re.search(r"data-new-key>([^<]+)<", html).group(1)

    assert works(key)
    assert key not in client.get(reverse("api-tokens")).content.decode()
    assert ApiToken.objects.count() == 1


def test_revoking_is_a_post(world, client):
    token, _key = token_issue(user=world.users["bso_staff"])
    client.force_login(world.users["bso_staff"])

    assert client.get(reverse("api-token-revoke", args=[token.pk])).status_code == 405


def test_the_tokens_page_needs_a_sign_in(db, client):
    response = client.get(reverse("api-tokens"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
