import pytest

from app.sinks import SinkError
from app.sinks.redact import redact, secrets_of


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("POST https://user:pw@host/x: timed out", "POST https://***@host/x: timed out"),
        ("GET https://h/x?api_key=abc&n=1: HTTP 500", "GET https://h/x?api_key=***&n=1: HTTP 500"),
        ("url: /x?access_token=abc#f", "url: /x?access_token=***#f"),
        ("Authorization: Bearer abc.def", "Authorization: Bearer ***"),
        ("auth Basic dXNlcjpwdw==, retry", "auth Basic ***, retry"),
        ('HTTP 401 {"token": "abc\\"d", "ok": "x"}', 'HTTP 401 {"token": "***", "ok": "x"}'),
        ("X-Postmark-Server-Token: 1234-abcd", "X-Postmark-Server-Token: ***"),
        ("password=hunter2; secret: s3", "password=***; secret: ***"),
        ("HTTP 503 Service Unavailable", "HTTP 503 Service Unavailable"),
        (
            "DELETE https://api.example.com/v3/bounces/a@b.com: HTTP 404",
            "DELETE https://api.example.com/v3/bounces/a@b.com: HTTP 404",
        ),
    ],
)
def test_what_looks_like_a_credential_is_masked(text, shown):
    assert redact(text) == shown


def test_a_sinks_own_secrets_are_masked_wherever_they_appear():
    options = {
        "type": "mailgun",
        "api_key": "key-0123456789",
        "domain": "mg.example.com",
        "base_url": "https://u:p%40ss-word@api.example.com/?sig=abcdef",
    }
    secrets = secrets_of(options)
    assert set(secrets) == {"key-0123456789", "p@ss-word", "abcdef"}
    text = "refused key-0123456789 (p%40ss-word) for mg.example.com, abcdef"
    assert redact(text, secrets) == "refused *** (***) for mg.example.com, ***"


def test_sink_errors_are_redacted_when_raised():
    assert str(SinkError("POST https://a:b@h/?token=t: HTTP 500")) == (
        "POST https://***@h/?token=***: HTTP 500"
    )
