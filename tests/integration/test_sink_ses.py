"""The SES sink through real boto3 against a loopback HTTP server speaking the SES v2 REST
protocol (moto does not implement the account suppression list): SigV4-signed PUT and DELETE
on /v2/email/suppression/addresses, and SES's error types mapped to refusals or failures."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from app.changes import Batch, Change
from app.sinks import SinkError, build

ADDRESSES = "/v2/email/suppression/addresses"


def change(op: str, email: str, source: str = "hard") -> Change:
    return Change("1-0", op, email, 2001, "permanent", source, 1)


def ses_error(kind: str, status: int) -> Response:
    body = json.dumps({"message": f"{kind} happened"})
    return Response(
        body, status, headers={"x-amzn-ErrorType": kind}, content_type="application/json"
    )


@pytest.fixture
def ses(httpserver):
    return build(
        "ses",
        {
            "region": "eu-west-1",
            "endpoint_url": httpserver.url_for(""),
            "access_key_id": "AKIDTEST",
            "secret_access_key": "secret",
            "timeout": "2",
        },
    )


def test_put_with_reason_and_delete_per_address(httpserver, ses):
    httpserver.expect_oneshot_request(ADDRESSES, method="PUT").respond_with_json({})
    httpserver.expect_oneshot_request(ADDRESSES, method="PUT").respond_with_json({})
    httpserver.expect_oneshot_request(f"{ADDRESSES}/b@x.io", method="DELETE").respond_with_json({})
    httpserver.expect_oneshot_request(f"{ADDRESSES}/c@x.io", method="DELETE").respond_with_response(
        ses_error("NotFoundException", 404)
    )
    batch = Batch(
        add=[change("add", "a@x.io"), change("add", "k@x.io", source="complaint")],
        remove=[change("remove", "b@x.io"), change("remove", "c@x.io")],
    )
    assert ses.push(batch) == {}
    httpserver.check_assertions()
    puts = [json.loads(r.get_data()) for r, _ in httpserver.log if r.method == "PUT"]
    assert puts == [
        {"EmailAddress": "a@x.io", "Reason": "BOUNCE"},
        {"EmailAddress": "k@x.io", "Reason": "COMPLAINT"},
    ]
    auth = httpserver.log[0][0].headers["Authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
    assert "/eu-west-1/ses/aws4_request" in auth


def test_a_refused_address_does_not_fail_the_batch(httpserver, ses):
    httpserver.expect_oneshot_request(ADDRESSES, method="PUT").respond_with_response(
        ses_error("BadRequestException", 400)
    )
    httpserver.expect_oneshot_request(ADDRESSES, method="PUT").respond_with_json({})
    refused = ses.push(Batch(add=[change("add", "bad@x"), change("add", "a@x.io")], remove=[]))
    assert refused == {"bad@x": "BadRequestException: BadRequestException happened"}


@pytest.mark.parametrize(
    ("kind", "status"), [("TooManyRequestsException", 429), ("InternalFailure", 500)]
)
def test_throttling_and_server_errors_fail_the_batch(httpserver, ses, kind, status):
    httpserver.expect_request(ADDRESSES, method="PUT").respond_with_response(
        ses_error(kind, status)
    )
    with pytest.raises(SinkError, match=kind):
        ses.push(Batch(add=[change("add", "a@x.io")], remove=[]))


def test_listing_follows_next_token(httpserver, ses):
    summary = {"Reason": "BOUNCE", "LastUpdateTime": 1}
    first = {"SuppressedDestinationSummaries": [{"EmailAddress": "A@x.io", **summary}]}
    second = {"SuppressedDestinationSummaries": [{"EmailAddress": "b@x.io", **summary}]}
    httpserver.expect_oneshot_request(
        ADDRESSES, method="GET", query_string={"PageSize": "1000"}
    ).respond_with_json(first | {"NextToken": "t2"})
    httpserver.expect_oneshot_request(
        ADDRESSES, method="GET", query_string={"PageSize": "1000", "NextToken": "t2"}
    ).respond_with_json(second)
    assert list(ses.suppressed()) == ["a@x.io", "b@x.io"]
