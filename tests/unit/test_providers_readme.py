"""README's Providers table names every registered provider and the events its code takes."""

import re
from pathlib import Path

import pytest

from app.providers import PROVIDERS, sendgrid

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
TABLE = README.split("## Providers", 1)[1].split("\n## ", 1)[0]


def row(name: str) -> str:
    found = [line for line in TABLE.splitlines() if f"`/webhooks/{name}`" in line]
    assert len(found) == 1, f"README's Providers table needs one row for /webhooks/{name}"
    return found[0]


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_every_provider_has_a_row(name):
    assert row(name).count("|") >= 5


def test_sendgrid_row_names_every_event_it_takes():
    for event in sendgrid.KINDS:
        assert re.search(rf"`{event}`", row("sendgrid")), event


def test_ses_row_names_every_kind_and_setting():
    text = row("ses")
    for word in ("Bounce", "Complaint", "Delivery", "SubscriptionConfirmation", "feedbackId"):
        assert f"`{word}`" in text
    for setting in ("SES_TOPIC_ARNS", "SNS_CERT_URL_PATTERN", "SNS_MAX_AGE_SECONDS"):
        assert f"BOUNCEKEEPER_{setting}" in text
