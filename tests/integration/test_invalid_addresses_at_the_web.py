"""Every provider refuses, at the web, an event whose address is no valid address (a control
character, a local part over 64 octets, a domain IDNA 2008 refuses): a 400 that names it,
before anything is queued."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.helpers import BASE_MS
from tests.providers import CASES, post, with_secrets

QUEUE_ONLY_DB = 14  # a broker database no test worker consumes, so queued tasks stay countable
BAD = {
    "nul": ("us\x00er@example.com", "control character U+0000"),
    "long-local-part": ("a" * 65 + "@example.com", "local part is 65 octets"),
    "idna2008": ("a@\u2603.com", "not a valid IDNA name"),
}


@pytest.fixture
def settings(settings):
    base = settings.broker_url.rsplit("/", 1)[0]
    return replace(with_secrets(settings), broker_url=f"{base}/{QUEUE_ONLY_DB}")


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize("bad", BAD, ids=list(BAD))
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_an_invalid_address_is_a_400_naming_it(client, case, bad):
    email, says = BAD[bad]
    response = post(client, case.name, case.bounce(email, BASE_MS))
    assert response.status_code == 400, response.get_json()
    assert says in str(response.get_json()["error"])
