import pytest
from redis import exceptions

from app.store.faults import unavailable


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (exceptions.ConnectionError("refused"), "is unreachable (ConnectionError: refused)"),
        (exceptions.TimeoutError("slow"), "is unreachable (TimeoutError: slow)"),
        (exceptions.BusyLoadingError("loading"), "is loading its data set"),
        (exceptions.OutOfMemoryError("command not allowed"), "refuses writes: out of memory"),
        (exceptions.ReadOnlyError("You can't write"), "refuses writes: it is a read-only"),
        # Redis 6 wraps an error raised inside a script; its code is only in the text
        (
            exceptions.ResponseError(
                "Error running script (call to f_1): @user_script:1: -OOM command not allowed"
            ),
            "refuses writes: out of memory",
        ),
        (
            exceptions.ResponseError("Error running script: -READONLY You can't write"),
            "refuses writes: it is a read-only",
        ),
        (exceptions.ResponseError("MISCONF Redis is configured to save"), "cannot persist"),
    ],
)
def test_availability_problems_are_named(exc, expected):
    assert expected in unavailable(exc)


@pytest.mark.parametrize(
    "exc",
    [
        exceptions.ResponseError("WRONGTYPE Operation against a key holding the wrong kind"),
        exceptions.ResponseError("Error running script: apply_events: non-numeric argument"),
        ValueError("a bug"),
    ],
)
def test_other_errors_stay_errors(exc):
    assert unavailable(exc) is None
