"""SNS certificate URLs (issue #15): only SNS's regional hosts and its certificate file name are
fetched, and a certificate that could not be had is not fetched again at every request."""

from __future__ import annotations

import re

import pytest

from app.config import Settings
from app.providers import sns
from app.providers.base import DependencyUnavailableError, UnauthorizedError

PATTERN = Settings().sns_cert_url_pattern
GOOD = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem"


def envelope(url: str) -> dict[str, str]:
    return {"Type": "Notification", "SignatureVersion": "1", "SigningCertURL": url,
            "Signature": "", "Message": "m", "MessageId": "1", "Timestamp": "t",
            "TopicArn": "arn"}  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        GOOD,
        "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem",
        "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
    ],
)
def test_sns_hosts_match_the_default_pattern(url):
    assert re.match(PATTERN, url)


@pytest.mark.parametrize(
    "url",
    [
        "https://sns.s3.amazonaws.com/SimpleNotificationService-abc.pem",  # an S3 bucket "sns"
        "https://sns.evil-host.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-a.pem",
    ],
)
def test_other_amazonaws_hosts_do_not(url):
    assert not re.match(PATTERN, url)


@pytest.mark.parametrize(
    "path",
    ["/x.pem", "/bucket/SimpleNotificationService-abc.pem", "/SimpleNotificationService-a.pem?x=1",
     "/SimpleNotificationService-abc.txt"],
)  # fmt: skip
def test_only_the_sns_certificate_file_is_fetched(path):
    url = "https://sns.us-east-1.amazonaws.com" + path
    with pytest.raises(UnauthorizedError, match="not an SNS certificate"):
        sns.verify(envelope(url), PATTERN)


def test_a_failed_fetch_is_remembered_briefly(httpserver, monkeypatch):
    path = "/SimpleNotificationService-down.pem"
    httpserver.expect_request(path).respond_with_data("unavailable", status=503)
    url, loopback = httpserver.url_for(path), r"^http://localhost:"
    for _ in range(3):
        with pytest.raises(DependencyUnavailableError):
            sns.verify(envelope(url), loopback)
    assert len(httpserver.log) == 1
    later = sns.time.monotonic() + sns.FAILED_FETCH_TTL_S + 1
    monkeypatch.setattr(sns.time, "monotonic", lambda: later)
    with pytest.raises(DependencyUnavailableError):
        sns.verify(envelope(url), loopback)
    assert len(httpserver.log) == 2
