"""An event with neither an id nor a time keeps one identity across the ESP's retries (issue
#15, item 10): its dedup id is derived from what the ESP sent, never from when it arrived."""

from __future__ import annotations

import pytest

from app.providers import brevo, mailjet, postmark, sendgrid, sparkpost
from tests.helpers import BASE_MS

MINUTE_MS = 60_000

# Item 10: no id and no time. Each case is the provider's validated payload of one such event.
NO_ID_NO_TIME = {
    "sparkpost": (sparkpost, {"events": [{"type": "bounce", "rcpt_to": "a@example.com"}]}),
    "brevo": (brevo, {"events": [{"event": "soft_bounce", "email": "a@example.com"}]}),
    "mailjet": (mailjet, {"events": [{"event": "bounce", "email": "a@example.com"}]}),
    "postmark": (postmark, {"record": {"record_type": "Bounce", "email": "a@example.com"}}),
    "sendgrid": (sendgrid, [{"event": "bounce", "email": "a@example.com", "type": "bounce"}]),
}


@pytest.mark.parametrize("name", sorted(NO_ID_NO_TIME))
def test_an_event_without_id_or_time_has_one_identity_across_retries(name):
    module, payload = NO_ID_NO_TIME[name]
    (first,) = module.parse(payload, BASE_MS)
    (retry,) = module.parse(payload, BASE_MS + 7 * MINUTE_MS)
    assert first.occurred_at_ms == BASE_MS
    assert first.event_id == retry.event_id
