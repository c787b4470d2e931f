import json

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import kumomta
from app.providers.base import RejectedError, Reply, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import SECRETS, kumo_bounce, kumo_feedback, kumo_record

SETTINGS = Settings(kumomta_secret=SECRETS["kumomta_secret"])


def load(body) -> tuple[int, list]:
    request = WebhookRequest({}, json.dumps(body).encode(), "application/json", BASE_MS)
    accepted = kumomta.load(request, SETTINGS)
    if isinstance(accepted, Reply):
        assert accepted == Reply(200, {"accepted": 0})
        return 0, []
    return accepted.count, kumomta.parse(json.loads(json.dumps(accepted.payload)), BASE_MS + 9)


def test_bounce_keeps_the_reply_and_kumomtas_class():
    count, [event] = load(kumo_bounce("Gone@Example.com", BASE_MS))
    assert count == 1
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "gone@example.com"
    assert (event.smtp_code, event.enhanced_code) == ("550", "5.1.1")
    assert event.diagnostic.startswith("The email account")
    assert event.provider_reason == "InvalidRecipient"
    assert event.occurred_at_ms == BASE_MS
    assert classify_event(event).code == 2001


def test_the_class_names_the_cause_when_the_reply_does_not():
    record = kumo_bounce("a@example.com", BASE_MS, code=554, enhanced=None, content="rejected",
                         classification="QuotaIssues")  # fmt: skip
    _, [event] = load(record)
    assert event.enhanced_code == ""
    assert classify_event(event).code == 3001


def test_transient_failure_is_a_soft_deferral():
    record = kumo_record("TransientFailure", "a@example.com", BASE_MS, code=451,
                         enhanced=(4, 7, 1), content="try again later",
                         classification="TransientFailure", num_attempts=2)  # fmt: skip
    _, [event] = load(record)
    assert (event.event_type, event.bounce_type) == (EventType.BOUNCE, "temporary")
    assert classify_event(event).category.value == "temporary"


def test_a_batch_is_an_array_and_a_multi_recipient_record_is_one_event_each():
    batch = [
        kumo_record("Delivery", ["a@example.com", "B@example.com"], BASE_MS),
        kumo_bounce("c@example.com", BASE_MS),
    ]
    count, events = load(batch)
    assert count == 3
    assert [e.recipient for e in events] == ["a@example.com", "b@example.com", "c@example.com"]
    assert events[0].event_type is EventType.DELIVERY
    assert len({e.event_id for e in events}) == 3


def test_each_attempt_of_one_message_is_its_own_event():
    first = kumo_record("TransientFailure", "a@example.com", BASE_MS, code=451, num_attempts=1)
    second = {**first, "num_attempts": 2, "timestamp": BASE_MS // 1000 + 60, "event_time": None}
    _, [one] = load(first)
    _, [two] = load(second)
    assert one.message_id == two.message_id
    assert one.event_id != two.event_id
    _, [again] = load(first)  # KumoMTA's retry of the same hook delivery
    assert again.event_id == one.event_id


def test_feedback_is_a_complaint_for_the_reported_address_not_the_loop_mailbox():
    _, [event] = load(kumo_feedback("Angry@Example.com", BASE_MS))
    assert event.event_type is EventType.COMPLAINT
    assert event.recipient == "angry@example.com"
    assert event.provider_reason == "abuse"


def test_feedback_prefers_kumomtas_own_trace_header():
    record = kumo_feedback("<Undisclosed Recipients>", BASE_MS,
                           supplemental_trace={"recipient": "traced@example.com"})  # fmt: skip
    _, [event] = load(record)
    assert event.recipient == "traced@example.com"


def test_a_redacted_feedback_report_is_dropped_not_refused():
    record = kumo_feedback("x", BASE_MS, original_rcpto_to=["<Undisclosed Recipients>"])
    count, events = load([record, kumo_bounce("b@example.com", BASE_MS)])
    assert count == 1
    assert [e.recipient for e in events] == ["b@example.com"]


def test_not_spam_feedback_is_recorded_never_counted():
    _, [event] = load(kumo_feedback("a@example.com", BASE_MS, feedback_type="not-spam"))
    assert event.event_type is EventType.OTHER


@pytest.mark.parametrize("kind", ["Reception", "Rejection", "Delayed", "XferIn", "Future"])
def test_records_about_no_mailbox_are_dropped(kind):
    count, events = load([kumo_record(kind, "a@example.com", BASE_MS)])
    assert (count, events) == (0, [])


def test_an_admin_bounce_is_recorded_only():
    _, [event] = load(kumo_record("AdminBounce", "a@example.com", BASE_MS, code=551))
    assert event.event_type is EventType.OTHER


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id": "x", "recipient": "a@example.com"}, "[0].type"),
        ({"type": "Bounce", "id": "x"}, "[0].recipient"),
        ({"type": "Bounce", "recipient": ["a@example.com", 7]}, "[0].recipient"),
        ({"type": "Bounce", "recipient": []}, "[0].recipient"),
        ({"type": "Bounce", "recipient": "not an address"}, "[0].recipient"),
        ({"type": "Bounce", "recipient": "a@example.com", "timestamp": "late"}, "[0].timestamp"),
        (
            {"type": "Bounce", "recipient": "a@example.com", "response": {"code": "5x"}},
            "[0].response.code",
        ),
        (
            {"type": "Bounce", "recipient": "a@example.com",
             "response": {"enhanced_code": {"class": 5}}},
            "[0].response.enhanced_code.subject",
        ),
    ],
)  # fmt: skip
def test_bad_records_name_the_field(body, field):
    with pytest.raises(RejectedError) as caught:
        load(body)
    assert field in caught.value.fields


def test_a_string_is_not_a_record():
    with pytest.raises(RejectedError, match="object or an array"):
        load("Bounce")
