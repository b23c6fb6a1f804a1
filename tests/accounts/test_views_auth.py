"""Signing in and out, the navigation that depends on who is signed in, and the language switch."""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password


def test_login_page_shows_the_sign_in_form(db, client):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html
    assert 'name="password"' in html


def test_signing_in_with_the_right_password_leads_to_my_dashboard(world, client):
    response = client.post(reverse("login"), {"username": "bso", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("dashboard-home")
    assert client.get(reverse("home")).context["user"] == world.users["bso_staff"]


def test_signing_in_returns_to_the_page_asked_for(world, client):
    cluster_url = reverse("cluster-detail", args=[world.inside.pk])

    response = client.post(
        reverse("login"), {"username": "bso", "password": PASSWORD, "next": cluster_url}
    )

    assert response.url == cluster_url


def test_signing_in_with_a_wrong_password_shows_an_error(world, client):
    response = client.post(reverse("login"), {"username": "bso", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.context["user"].is_authenticated


def test_a_wrong_password_is_said_at_the_top_and_the_username_typed_stays(world, client):
    response = client.post(reverse("login"), {"username": "bso", "password": "wrong"})

    html = response.content.decode()
    assert "data-error-summary" in html
    assert "Please enter a correct username and password." in html
    assert 'name="username" value="bso"' in html


def test_an_empty_sign_in_names_each_missing_field_beside_it_and_in_the_summary(db, client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    html = response.content.decode()
    for name in ("username", "password"):
        assert f'href="#id_{name}"' in html  # the summary links the field
        assert f'id="id_{name}_error"' in html  # its message, which the input names
        assert f'aria-describedby="id_{name}_error"' in html


def test_signing_out_is_a_post_that_ends_the_session_and_leads_to_the_directory(world, client):
    client.force_login(world.users["bso_staff"])

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("directory")
    assert client.get(reverse("home")).status_code == 302  # anonymous again


def test_signing_out_with_a_get_is_refused(world, client):
    client.force_login(world.users["bso_staff"])

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_anonymous_navigation_offers_sign_in_and_hides_personal_links(db, client):
    html = client.get(reverse("directory")).content.decode()

    assert "Sign in" in html
    assert "My clusters" not in html
    assert reverse("admin:index") not in html
    assert "/api/docs/" in html


def test_signed_in_navigation_offers_my_clusters_and_a_sign_out_form(world, client):
    client.force_login(world.users["bso_staff"])

    html = client.get(reverse("directory")).content.decode()

    assert "My clusters" in html
    assert f'action="{reverse("logout")}" method="post"' in html
    assert reverse("admin:index") not in html


def test_staff_users_see_the_admin_link(world, client):
    client.force_login(world.users["admin"])  # is_staff in the world fixture

    html = client.get(reverse("directory")).content.decode()

    assert reverse("admin:index") in html


def test_switching_the_language_to_spanish_translates_the_pages(db, client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("set_language"), {"language": "es", "next": reverse("directory")}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("directory")
    assert '<html lang="es">' in html
    assert "Directorio de colaboración regional" in html
    assert "Mis clústeres" in html
    assert "Cerrar sesión" in html


def test_switching_back_to_english_restores_english(db, client):
    client.post(reverse("set_language"), {"language": "es", "next": "/directory/"})

    client.post(reverse("set_language"), {"language": "en", "next": "/directory/"})

    assert "Regional collaboration directory" in client.get(reverse("directory")).content.decode()


def test_signing_in_re_hashes_an_older_password_hash_with_argon2(world, client, settings):
    """Tests hash with MD5 for speed; here the production list of hashers, Argon2 first."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    bso = world.users["bso_staff"]
    bso.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    bso.save()

    assert (
        client.post(reverse("login"), {"username": "bso", "password": PASSWORD}).status_code == 302
    )

    bso.refresh_from_db()
    assert bso.password.startswith("argon2$")
