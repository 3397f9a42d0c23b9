"""My courses and the profile page link to the download and the deletion, in Swedish and English."""

import pytest

LINKS = {
    "sv": ["Ladda ner mina uppgifter", "Radera mitt konto"],
    "en": ["Download my data", "Delete my account"],
}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("page", ["my-courses/", "accounts/profile/"])
def test_the_page_links_to_the_privacy_pages(client, person, language, page):
    client.force_login(person)

    html = client.get(f"/{language}/{page}").content.decode()

    assert f'href="/{language}/accounts/privacy/export/" download>{LINKS[language][0]}</a>' in html
    assert f'href="/{language}/accounts/privacy/delete/">{LINKS[language][1]}</a>' in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_deleted_page_needs_no_login(client, site, language):
    response = client.get(f"/{language}/accounts/privacy/deleted/")

    assert response.status_code == 200
    assert {"sv": "Ditt konto har raderats", "en": "Your account has been deleted"}[
        language
    ] in response.content.decode()
