"""Every provider: its real credential is accepted, a wrong, missing, stale or replayed one is
a 401 that changes nothing, and an unconfigured provider is off."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import create_app
from tests.helpers import BASE_MS
from tests.providers import CASES, post, with_secrets

QUEUE_ONLY_DB = 12  # a broker database no test worker consumes, so queued tasks stay countable
BAD = [(case, label) for case in CASES for label in case.bad_credentials]


@pytest.fixture
def settings(settings):
    base = settings.broker_url.rsplit("/", 1)[0]
    return replace(with_secrets(settings), broker_url=f"{base}/{QUEUE_ONLY_DB}")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_valid_credentials_enqueue_one_task(client, broker, state, case):
    before = broker.llen("celery")
    response = post(client, case.name, case.bounce("someone@example.com", BASE_MS))
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"accepted": 1}
    assert broker.llen("celery") == before + 1
    assert state.keys("bk:contact*") == []  # the web only enqueues


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize(("case", "label"), BAD, ids=[f"{c.name}-{label}" for c, label in BAD])
def test_bad_credentials_are_401_and_change_nothing(client, case, label):
    response = post(client, case.name, case.bad_credentials[label]())
    assert response.status_code == 401, response.get_json()
    assert response.get_json()["error"]["status"] == 401


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_provider_without_its_setting_is_off(settings, case):
    field = case.setting.removeprefix("BOUNCEKEEPER_").lower()
    client = create_app(replace(settings, **{field: ""})).test_client()
    response = post(client, case.name, case.bounce("someone@example.com", BASE_MS))
    assert response.status_code == 404
    assert case.setting in response.get_json()["error"]["message"]


@pytest.mark.parametrize("case", [c for c in CASES if c.signed], ids=lambda case: case.name)
def test_a_signed_request_refused_with_503_is_accepted_when_retried(settings, broker, case):
    """The ESP retries the very same signed bytes after a 503: it must not look like a replay."""
    from tests.conftest import free_port

    request = case.delivery("retried@example.com", BASE_MS)
    down = replace(settings, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    assert post(create_app(down).test_client(), case.name, request).status_code == 503
    before = broker.llen("celery")
    assert post(create_app(settings).test_client(), case.name, request).status_code == 202
    assert broker.llen("celery") == before + 1
