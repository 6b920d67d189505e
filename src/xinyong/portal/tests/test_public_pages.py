"""Public pages: the English switch covers them, the report verification page answers for unknown numbers."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_public_pages_switch_to_english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    home = client.get("/").content.decode()
    penalties = client.get("/publicity/penalties/").content.decode()

    assert "Administrative penalties" in home and "行政处罚公示" not in home
    assert "All domains" in penalties


def test_search_needs_two_characters(client: Client) -> None:
    response = client.get("/search/?q=厦")

    assert response.status_code == 400
    assert "请至少输入两个字" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/publicity/penalties/?domain=²&page=³", "/publicity/licences/?page=¹", "/search/?q=鹭江&offset=²"],
)
def test_digits_int_refuses_are_ignored_not_a_server_error(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200
