"""The mail settings: checked at start with the variable named, and the mailbox poll on beat's
schedule only when a mailbox is configured."""

from __future__ import annotations

import pytest

from app.config import ConfigError, Settings
from app.queue import MAIL_POLL_TASK, mail_poll_limits, make_celery


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BOUNCEKEEPER_IMAP_URL": "pop3://u:p@h/INBOX"}, "BOUNCEKEEPER_IMAP_URL must be imaps"),
        ({"BOUNCEKEEPER_IMAP_URL": "imaps://imap.example.com/INBOX"}, "needs the user"),
        ({"BOUNCEKEEPER_IMAP_URL": "imap://u:p@imap.example.com/"}, "only for a server on loop"),
        ({"BOUNCEKEEPER_IMAP_URL": "imap://u:p@127.0.0.1/", "BOUNCEKEEPER_IMAP_POLL_SECONDS": "0"},
         "BOUNCEKEEPER_IMAP_POLL_SECONDS"),
        ({"BOUNCEKEEPER_MAIL_MAX_BYTES": "100"}, "BOUNCEKEEPER_MAIL_MAX_BYTES"),
        ({"BOUNCEKEEPER_MAIL_MAX_PARTS": "0"}, "BOUNCEKEEPER_MAIL_MAX_PARTS"),
        ({"BOUNCEKEEPER_MAIL_MAX_DEPTH": "0"}, "BOUNCEKEEPER_MAIL_MAX_DEPTH"),
        ({"BOUNCEKEEPER_MAIL_VERP": "bounces@example.com"}, "BOUNCEKEEPER_MAIL_VERP"),
    ],
)  # fmt: skip
def test_bad_mail_settings_name_the_variable(env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_good_mail_settings():
    settings = Settings.from_env(
        {
            "BOUNCEKEEPER_IMAP_URL": "imaps://b%40x.com:p%3Aw@imap.example.com:993/Bounces",
            "BOUNCEKEEPER_MAIL_VERP": "bounces+{local}={domain}@example.com",
        }
    )
    assert settings.imap_poll_seconds == 60.0


def test_the_poll_is_scheduled_only_with_a_mailbox():
    assert MAIL_POLL_TASK not in _scheduled(Settings())
    settings = Settings(imap_url="imaps://u:p@imap.example.com/INBOX", imap_poll_seconds=30)
    entry = make_celery(settings).conf.beat_schedule["mailbox"]
    assert entry["task"] == MAIL_POLL_TASK
    assert entry["schedule"].total_seconds() == 30
    assert entry["options"] == {"expires": 30}


def test_a_poll_is_limited_to_two_intervals_and_at_least_two_minutes():
    assert mail_poll_limits(Settings(imap_poll_seconds=30)).time_limit == 120
    assert mail_poll_limits(Settings(imap_poll_seconds=300)).time_limit == 600
    limits = make_celery(Settings()).conf.task_annotations[MAIL_POLL_TASK]
    assert limits["soft_time_limit"] < limits["time_limit"]


def _scheduled(settings: Settings) -> set[str]:
    return {entry["task"] for entry in make_celery(settings).conf.beat_schedule.values()}
