"""The ESP sinks on the wire, each against a real loopback HTTP server: the method, path,
auth header and body every sender documents, and how its answers map to refusals."""

from __future__ import annotations

import base64
import json

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from app.changes import Batch, Change
from app.sinks import SinkError, build

AT_MS = 1_772_442_000_000  # 2026-03-02 09:00 UTC


def add(email: str, source: str = "hard") -> Change:
    return Change("1-0", "add", email, 2001, "permanent", source, AT_MS)


def remove(email: str) -> Change:
    return Change("2-0", "remove", email, None, "", "manual", AT_MS)


def sink(kind: str, server: HTTPServer, **values: str):
    return build(kind, {"base_url": server.url_for(""), "timeout": "2", **values})


def bodies(server: HTTPServer) -> list[tuple[str, str, object]]:
    return [(r.method, r.full_path.rstrip("?"), r.get_json(silent=True)) for r, _ in server.log]


def test_sendgrid(httpserver):
    auth = {"Authorization": "Bearer SG.key"}
    httpserver.expect_oneshot_request(
        "/v3/asm/suppressions/global", method="POST", headers=auth
    ).respond_with_json({"recipient_emails": ["a@x.io"]}, status=201)
    httpserver.expect_oneshot_request(
        "/v3/suppression/bounces", method="DELETE", headers=auth
    ).respond_with_data("", status=204)
    httpserver.expect_oneshot_request(
        "/v3/asm/suppressions/global/b+1@x.io", method="DELETE", headers=auth
    ).respond_with_data("", status=204)
    httpserver.expect_oneshot_request(
        "/v3/asm/suppressions/global/c@x.io", method="DELETE", headers=auth
    ).respond_with_data('{"errors":[{"message":"not found"}]}', status=404)

    refused = sink("sendgrid", httpserver, api_key="SG.key").push(
        Batch(add=[add("a@x.io")], remove=[remove("b+1@x.io"), remove("c@x.io")])
    )
    assert refused == {}
    httpserver.check_assertions()
    assert bodies(httpserver)[:2] == [
        ("POST", "/v3/asm/suppressions/global", {"recipient_emails": ["a@x.io"]}),
        ("DELETE", "/v3/suppression/bounces", {"emails": ["b+1@x.io", "c@x.io"]}),
    ]
    assert httpserver.log[2][0].path == "/v3/asm/suppressions/global/b+1@x.io"
    assert httpserver.log[2][0].environ["RAW_URI"].endswith("/b%2B1@x.io")  # `+` escaped


def test_mailgun(httpserver):
    basic = "Basic " + base64.b64encode(b"api:key-1").decode()
    httpserver.expect_oneshot_request(
        "/v3/mg.example.com/bounces", method="POST", headers={"Authorization": basic}
    ).respond_with_json({"message": "1 addresses have been added"})
    httpserver.expect_oneshot_request(
        "/v3/mg.example.com/bounces/b@x.io", method="DELETE", headers={"Authorization": basic}
    ).respond_with_json({"message": "Bounced address has been removed"})
    httpserver.expect_oneshot_request(
        "/v3/mg.example.com/bounces/bad@@x.io", method="DELETE"
    ).respond_with_json({"message": "invalid address"}, status=400)

    mailgun = sink("mailgun", httpserver, api_key="key-1", domain="mg.example.com")
    assert mailgun.batch_size == 1000
    refused = mailgun.push(
        Batch(add=[add("a@x.io")], remove=[remove("b@x.io"), remove("bad@@x.io")])
    )
    httpserver.check_assertions()
    assert refused["bad@@x.io"].startswith("HTTP 400")
    assert bodies(httpserver)[0] == (
        "POST",
        "/v3/mg.example.com/bounces",
        [{"address": "a@x.io", "code": "550", "error": "bouncekeeper: hard 2001 permanent",
          "created_at": "Mon, 02 Mar 2026 09:00:00 GMT"}],
    )  # fmt: skip


def test_postmark_refusals_come_from_its_per_address_answer(httpserver):
    token = {"X-Postmark-Server-Token": "pm-token"}
    httpserver.expect_oneshot_request(
        "/message-streams/broadcast/suppressions", method="POST", headers=token
    ).respond_with_json(
        {"Suppressions": [
            {"EmailAddress": "a@x.io", "Status": "Suppressed", "Message": None},
            {"EmailAddress": "bad@x.io", "Status": "Failed", "Message": "Invalid email address"},
        ]}
    )  # fmt: skip
    httpserver.expect_oneshot_request(
        "/message-streams/broadcast/suppressions/delete", method="POST", headers=token
    ).respond_with_json({"Suppressions": [{"EmailAddress": "b@x.io", "Status": "Deleted"}]})

    postmark = sink("postmark", httpserver, server_token="pm-token", stream="broadcast")
    assert postmark.batch_size == 50
    refused = postmark.push(Batch(add=[add("a@x.io"), add("bad@x.io")], remove=[remove("b@x.io")]))
    httpserver.check_assertions()
    assert refused == {"bad@x.io": "Invalid email address"}
    assert [b for _, _, b in bodies(httpserver)] == [
        {"Suppressions": [{"EmailAddress": "a@x.io"}, {"EmailAddress": "bad@x.io"}]},
        {"Suppressions": [{"EmailAddress": "b@x.io"}]},
    ]


def test_sparkpost(httpserver):
    auth = {"Authorization": "sp-key"}
    httpserver.expect_oneshot_request(
        "/api/v1/suppression-list", method="PUT", headers=auth
    ).respond_with_json({"results": {"message": "Suppression List successfully updated"}})
    httpserver.expect_oneshot_request(
        "/api/v1/suppression-list/b@x.io", method="DELETE", headers=auth
    ).respond_with_data("", status=204)

    refused = sink("sparkpost", httpserver, api_key="sp-key").push(
        Batch(add=[add("a@x.io", source="complaint")], remove=[remove("b@x.io")])
    )
    httpserver.check_assertions()
    assert refused == {}
    description = "bouncekeeper: complaint 2001 permanent"
    assert bodies(httpserver)[0][2] == {
        "recipients": [
            {"recipient": "a@x.io", "type": "transactional", "description": description},
            {"recipient": "a@x.io", "type": "non_transactional", "description": description},
        ]
    }


@pytest.mark.parametrize("kind", ["sendgrid", "sparkpost"])
def test_bad_credentials_fail_the_batch_even_on_a_per_address_call(httpserver, kind):
    httpserver.expect_request("/api/v1/suppression-list/b@x.io").respond_with_data("no", 401)
    httpserver.expect_request("/v3/suppression/bounces").respond_with_data("", 204)
    httpserver.expect_request("/v3/asm/suppressions/global/b@x.io").respond_with_data("no", 403)
    with pytest.raises(SinkError, match="HTTP 40"):
        sink(kind, httpserver, api_key="k").push(Batch(add=[], remove=[remove("b@x.io")]))


def test_throttling_fails_the_batch_with_the_senders_wait(httpserver):
    httpserver.expect_request("/v3/mg.example.com/bounces").respond_with_response(
        Response(json.dumps({"message": "rate limited"}), 429, headers={"Retry-After": "9"})
    )
    mailgun = sink("mailgun", httpserver, api_key="k", domain="mg.example.com")
    with pytest.raises(SinkError) as failure:
        mailgun.push(Batch(add=[add("a@x.io")], remove=[]))
    assert failure.value.retry_after == 9.0


def test_listing_follows_each_senders_paging(httpserver):
    # SendGrid: offset paging until a short page
    page = [{"email": f"U{n}@x.io", "created": 1} for n in range(500)]
    httpserver.expect_oneshot_request(
        "/v3/suppression/unsubscribes", query_string="limit=500&offset=0"
    ).respond_with_json(page)
    httpserver.expect_oneshot_request(
        "/v3/suppression/unsubscribes", query_string="limit=500&offset=500"
    ).respond_with_json([{"email": "last@x.io", "created": 1}])
    listed = list(sink("sendgrid", httpserver, api_key="k").suppressed())
    assert (len(listed), listed[0], listed[-1]) == (501, "u0@x.io", "last@x.io")

    # Mailgun: paging.next until an empty page
    nxt = httpserver.url_for("/v3/mg.example.com/bounces") + "?page=next&address=b%40x.io"
    httpserver.expect_oneshot_request(
        "/v3/mg.example.com/bounces", query_string="limit=1000"
    ).respond_with_json({"items": [{"address": "a@x.io"}, {"address": "b@x.io"}],
                         "paging": {"next": nxt}})  # fmt: skip
    httpserver.expect_oneshot_request(
        "/v3/mg.example.com/bounces", query_string="page=next&address=b%40x.io"
    ).respond_with_json({"items": [], "paging": {"next": nxt}})
    mailgun = sink("mailgun", httpserver, api_key="k", domain="mg.example.com")
    assert list(mailgun.suppressed()) == ["a@x.io", "b@x.io"]

    # SparkPost: links rel=next (relative) until no results
    httpserver.expect_oneshot_request(
        "/api/v1/suppression-list", query_string="per_page=10000"
    ).respond_with_json({"results": [{"recipient": "a@x.io", "type": "transactional"}],
                         "links": [{"href": "/api/v1/suppression-list?cursor=c2&per_page=10000",
                                    "rel": "next"}]})  # fmt: skip
    httpserver.expect_oneshot_request(
        "/api/v1/suppression-list", query_string="cursor=c2&per_page=10000"
    ).respond_with_json({"results": [], "links": []})
    assert list(sink("sparkpost", httpserver, api_key="k").suppressed()) == ["a@x.io"]

    # Postmark: one dump per stream
    httpserver.expect_oneshot_request(
        "/message-streams/outbound/suppressions/dump", method="GET"
    ).respond_with_json({"Suppressions": [{"EmailAddress": "A@x.io"}]})
    assert list(sink("postmark", httpserver, server_token="t").suppressed()) == ["a@x.io"]
    httpserver.check_assertions()
