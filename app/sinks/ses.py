"""Amazon SES (v2): the account-level suppression list, through boto3.
PutSuppressedDestination (reason COMPLAINT for a complaint, else BOUNCE) and
DeleteSuppressedDestination take one address per call, so a batch is a loop of calls.
Credentials come from ACCESS_KEY_ID/SECRET_ACCESS_KEY or boto3's usual chain (role, profile);
ENDPOINT_URL points it elsewhere (a test server, a VPC endpoint).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.changes import Batch
from app.sinks import Options, SinkError

MAX_BATCH = 500  # calls per push: one address each, and each push renews the lease
THROTTLED = {"TooManyRequestsException", "ThrottlingException", "LimitExceededException"}


class SesSink:
    def __init__(self, name: str, client: Any, batch_size: int):
        self.name = name
        self.client = client
        self.batch_size = batch_size

    def push(self, batch: Batch) -> dict[str, str]:
        refused: dict[str, str] = {}
        for change in batch.add:
            reason = "COMPLAINT" if change.source == "complaint" else "BOUNCE"
            refused |= self._call(
                "put_suppressed_destination", change.email, EmailAddress=change.email, Reason=reason
            )
        for change in batch.remove:
            refused |= self._call(
                "delete_suppressed_destination", change.email, EmailAddress=change.email
            )
        return refused

    def suppressed(self) -> Iterator[str]:
        """The account's suppression list, page by page (NextToken)."""
        params: dict[str, Any] = {"PageSize": 1000}
        while True:
            try:
                page = self.client.list_suppressed_destinations(**params)
            except (ClientError, BotoCoreError) as exc:
                raise SinkError(f"SES list_suppressed_destinations: {exc}") from None
            for item in page.get("SuppressedDestinationSummaries", []):
                yield item["EmailAddress"].lower()
            if not page.get("NextToken"):
                return
            params["NextToken"] = page["NextToken"]

    def _call(self, operation: str, email: str, **params: str) -> dict[str, str]:
        """{} when done (a delete of an absent address included), {email: reason} when SES
        refuses this address; throttling, 5xx and network errors fail the batch."""
        try:
            getattr(self.client, operation)(**params)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = error.get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if code == "NotFoundException" and operation.startswith("delete"):
                return {}
            if code in THROTTLED or status >= 500 or status == 429:
                raise SinkError(f"SES {operation}: {code} {error.get('Message', '')}") from None
            if code in ("AccessDeniedException", "UnrecognizedClientException"):
                raise SinkError(f"SES {operation}: {code}") from None
            return {email: f"{code}: {error.get('Message', '')}"}
        except BotoCoreError as exc:
            raise SinkError(f"SES {operation}: {exc}") from None
        return {}


def from_options(options: Options) -> SesSink:
    timeout = options.timeout()
    values = options.values
    client = boto3.client(
        "sesv2",
        region_name=options.text("region"),
        endpoint_url=values.get("endpoint_url") or None,
        aws_access_key_id=values.get("access_key_id") or None,
        aws_secret_access_key=values.get("secret_access_key") or None,
        # the sync owns retries and backoff: one attempt per call here
        config=Config(
            connect_timeout=timeout, read_timeout=timeout, retries={"total_max_attempts": 1}
        ),
    )
    return SesSink(options.name, client, options.batch_size(50, MAX_BATCH))
