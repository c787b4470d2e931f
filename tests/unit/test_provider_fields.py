"""Times as ESPs send them: RFC 3339 text, epoch seconds or milliseconds, and nonsense."""

import pytest
from marshmallow import Schema, ValidationError

from app.providers.base import flatten
from app.providers.fields import Instant, epoch_ms

MS = 1_772_442_005_000  # 2026-03-02T09:00:05Z


@pytest.mark.parametrize(
    "value",
    [MS, MS // 1000, str(MS), "2026-03-02T09:00:05Z", "2026-03-02T10:00:05+01:00",
     "2026-03-02 09:00:05", MS / 1000],
)  # fmt: skip
def test_every_spelling_of_one_moment(value):
    assert epoch_ms(value) == MS


@pytest.mark.parametrize(
    "value", ["²", "yesterday", "", float("nan"), float("inf"), "9" * 20, "5" * 70_000]
)
def test_nonsense_is_none(value):
    assert epoch_ms(value) is None


class _When(Schema):
    at = Instant()


@pytest.mark.parametrize("value", [True, [1], "soon", -1, 1e300, "0001-01-01T00:00:00+01:00"])
def test_instant_refuses_what_is_not_a_time_in_range(value):
    with pytest.raises(ValidationError):
        _When().load({"at": value})


def test_flatten_names_an_error_about_the_whole_payload_body():
    """Not marshmallow's internal `_schema` (nor any other internal name)."""
    assert flatten({"_schema": ["Invalid input type."]}) == {"body": ["Invalid input type."]}
    assert flatten(["Invalid input type."]) == {"body": ["Invalid input type."]}
    assert flatten({0: {"_schema": ["x"]}}) == {"[0]": ["x"]}
