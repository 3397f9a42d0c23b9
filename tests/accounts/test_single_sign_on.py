"""A region's OpenID Connect identity provider is configured from the environment, without code."""

import pytest

pytestmark = pytest.mark.django_db

REGION_PROVIDER = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "region",
                "name": "Logga in med regionens konto",
                "client_id": "atmp-courses",
                "secret": "not-a-real-secret",
                "settings": {"server_url": "https://idp.region.example.se"},
            }
        ]
    }
}


def test_the_login_page_offers_the_configured_identity_provider(client, site, settings):
    settings.SOCIALACCOUNT_PROVIDERS = REGION_PROVIDER

    page = client.get("/sv/accounts/login/").content.decode()

    assert "Logga in med regionens konto" in page
    assert "/sv/accounts/oidc/region/login/" in page


def test_without_configuration_there_is_no_identity_provider_button(client, site, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}

    page = client.get("/sv/accounts/login/").content.decode()

    assert "/accounts/oidc/" not in page
