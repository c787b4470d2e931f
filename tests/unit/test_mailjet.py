import json

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import mailjet
from app.providers.base import RejectedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import SECRETS, mailjet_bounce, mailjet_event

SETTINGS = Settings(mailjet_secret=SECRETS["mailjet_secret"])


def load(body) -> tuple[int, list]:
    request = WebhookRequest({}, json.dumps(body).encode(), "application/json", BASE_MS)
    accepted = mailjet.load(request, SETTINGS)
    return accepted.count, mailjet.parse(json.loads(json.dumps(accepted.payload)), BASE_MS + 9)


def test_hard_bounce_keeps_error_flag_and_comment():
    count, [event] = load(mailjet_bounce("Gone@Example.com", BASE_MS))
    assert count == 1
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "gone@example.com"
    assert (event.provider_reason, event.bounce_type) == ("user unknown", "hard")
    assert event.diagnostic.startswith("550 5.1.1")
    assert event.message_id == "19421777835146490"
    assert event.occurred_at_ms == BASE_MS


@pytest.mark.parametrize(
    ("error", "hard", "code"),
    [
        ("user unknown", True, 2001),
        ("quota exceeded", False, 3001),
        ("mailbox inactive", True, 3002),
        ("no mail host", True, 2002),
        ("greylisted", False, 3003),
        ("connection issue", False, 4003),
        ("something new", True, 2999),  # an unknown error: the hard flag decides
    ],
)
def test_error_is_the_label_and_hard_bounce_the_flag(error, hard, code):
    bounce = mailjet_bounce("a@example.com", BASE_MS, error=error, hard_bounce=hard, comment="")
    _, [event] = load(bounce)
    assert classify_event(event).code == code


def test_grouped_events_arrive_as_an_array():
    body = [mailjet_event(kind, "a@example.com", BASE_MS) for kind in ("sent", "open", "click")]
    count, events = load(body)
    assert count == 3
    assert [e.event_type for e in events] == [
        EventType.DELIVERY,
        EventType.ENGAGEMENT,
        EventType.ENGAGEMENT,
    ]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("spam", EventType.COMPLAINT), ("blocked", EventType.OTHER), ("unsub", EventType.OTHER)],
)
def test_event_names(kind, expected):
    _, [event] = load(mailjet_event(kind, "a@example.com", BASE_MS, error="preblocked"))
    assert event.event_type is expected


def test_same_event_twice_has_one_identity():
    _, [a] = load(mailjet_bounce("a@example.com", BASE_MS))
    _, [b] = load(mailjet_bounce("a@example.com", BASE_MS))
    _, [c] = load(mailjet_bounce("a@example.com", BASE_MS + 1000))
    assert a.event_id == b.event_id != c.event_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event": "bounce"}, "[0].email"),
        ({"event": "bounce", "email": "a@example.com", "hard_bounce": "maybe"}, "[0].hard_bounce"),
        ({"event": "bounce", "email": "a@example.com", "time": "noon"}, "[0].time"),
    ],
)
def test_bad_events_name_the_field(body, field):
    with pytest.raises(RejectedError) as caught:
        load(body)
    assert field in caught.value.fields
