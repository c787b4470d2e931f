"""ZeptoMail's Mail Agent shape (`event_name`, `event_message[].event_data[].details[]`)."""

import copy
import json

import pytest
from marshmallow import ValidationError

from app.events import EventType
from app.providers import zepto_agent, zeptomail
from tests.helpers import FIXTURES

DOCUMENTED = json.loads((FIXTURES / "zeptomail_agent_hardbounce.json").read_text())


def events(payload, received_at_ms=0):
    shaped = zepto_agent.to_bounce_shape(zepto_agent.schema().load(payload))
    return zeptomail.parse(shaped, received_at_ms)


def agent(name, details, to=("rebecca@zylker.com",)):
    payload = copy.deepcopy(DOCUMENTED)
    payload["event_name"] = [name]
    message = payload["event_message"][0]
    message["email_info"]["to"] = [{"email_address": {"address": a}} for a in to]
    message["event_data"] = [{"object": name, "details": details}]
    return payload


def test_documented_hard_bounce():
    [event] = events(DOCUMENTED)
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "rebecca@zylker.com"
    assert event.diagnostic.startswith("550 5.1.1")
    assert event.provider_reason == "Mailbox does not exist"
    assert event.bounce_type == "hardbounce"
    assert event.message_id == "2d6f.e1b2c3d4@bounce.zylker.com"
    assert event.occurred_at_ms == 1772442005000  # 2026-03-02T09:00:05Z


def test_every_detail_is_one_recipient():
    details = [
        {"bounced_recipient": "a@zylker.com", "diagnostic_message": "452 4.2.2 mailbox full"},
        {"bounced_recipient": "B@Zylker.com", "diagnostic_message": "452 4.2.2 mailbox full"},
    ]
    found = events(agent("softbounce", details, to=("a@zylker.com", "b@zylker.com")))
    assert [e.recipient for e in found] == ["a@zylker.com", "b@zylker.com"]
    assert {e.bounce_type for e in found} == {"softbounce"}
    assert found[0].event_id != found[1].event_id


@pytest.mark.parametrize("name", ["email_open", "email_link_click"])
def test_open_and_click_reset_the_sole_recipient(name):
    details = [{"time": "2026-03-02 10:00:00", "ip_address": "192.0.2.1"}]
    [event] = events(agent(name, details))
    assert event.event_type is EventType.ENGAGEMENT
    assert event.recipient == "rebecca@zylker.com"
    assert event.bounce_type == ""
    assert event.occurred_at_ms == 1772445600000  # a naive time is UTC


def test_open_of_a_message_to_several_recipients_names_nobody():
    details = [{"time": "2026-03-02T10:00:00Z"}]
    assert events(agent("email_open", details, to=("a@zylker.com", "b@zylker.com"))) == []


@pytest.mark.parametrize("moment", [1772442005000, 1772442005, "1772442005000"])
def test_epoch_times_in_seconds_or_milliseconds(moment):
    [event] = events(agent("hardbounce", [{"bounced_recipient": "x@zylker.com", "time": moment}]))
    assert event.occurred_at_ms == 1772442005000


def test_single_event_sent_unwrapped():
    payload = copy.deepcopy(DOCUMENTED)
    payload["event_name"] = "hardbounce"
    payload["event_message"] = payload["event_message"][0]
    assert [e.recipient for e in events(payload)] == ["rebecca@zylker.com"]


def test_retry_of_the_same_webhook_has_the_same_event_ids():
    assert [e.event_id for e in events(DOCUMENTED, 1)] == [
        e.event_id for e in events(copy.deepcopy(DOCUMENTED), 99)
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_name": ["hardbounce", "email_open"]}, "event_name"),
        ({"event_name": []}, "event_name"),
        ({"event_message": []}, "event_message"),
    ],
)
def test_bad_shapes_name_the_field(change, field):
    with pytest.raises(ValidationError) as caught:
        zepto_agent.schema().load({**DOCUMENTED, **change})
    assert field in caught.value.messages


def test_bad_recipient_and_time_are_refused():
    bad = agent("hardbounce", [{"bounced_recipient": "nope", "time": "yesterday"}])
    with pytest.raises(ValidationError) as caught:
        zepto_agent.schema().load(bad)
    detail = caught.value.messages["event_message"][0]["event_data"][0]["details"][0]
    assert set(detail) == {"bounced_recipient", "time"}
