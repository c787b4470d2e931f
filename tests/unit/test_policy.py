from app.classify import Grade
from app.events import BounceEvent, EventType
from app.policy import ActionKind, Policy, SoftScore
from tests.helpers import BASE_MS, DAY_MS

POLICY = Policy()


def test_defaults_follow_design():
    assert POLICY.action_for_code(2001).kind is ActionKind.SUPPRESS
    assert POLICY.action_for_code(3001).weight == 1.0
    assert POLICY.action_for_code(9999).weight == 0.5
    assert POLICY.action_for_code(4003).weight == 0.25
    assert POLICY.action_for_code(1002).kind is ActionKind.SENDER_SIDE
    assert POLICY.action_for_code(5001).kind is ActionKind.IGNORE


def test_custom_code_falls_back_to_its_category():
    assert POLICY.action_for_code(2101).kind is ActionKind.SUPPRESS
    assert POLICY.action_for_code(4123).weight == 0.25


def test_event_types_beyond_bounces():
    def event(kind):
        return BounceEvent("zeptomail", kind, "a@example.com", BASE_MS)

    assert POLICY.action_for(event(EventType.COMPLAINT), None)[1] == "complaint"
    assert POLICY.action_for(event(EventType.DELIVERY), None)[0].kind is ActionKind.RESET
    assert POLICY.action_for(event(EventType.OTHER), None)[0].kind is ActionKind.IGNORE


def test_three_full_days_escalate():
    score = SoftScore()
    results = [score.add(BASE_MS + n * DAY_MS, 1.0, POLICY.window_days) for n in range(3)]
    assert results == [("counted", 1.0), ("counted", 2.0), ("counted", 3.0)]


def test_ten_on_one_day_count_once():
    score = SoftScore()
    results = [score.add(BASE_MS + n * 60_000, 1.0, POLICY.window_days) for n in range(10)]
    assert results[-1] == ("counted", 1.0)


def test_the_heaviest_bounce_of_a_day_counts():
    score = SoftScore()
    score.add(BASE_MS, 0.25, POLICY.window_days)
    assert score.add(BASE_MS + 1000, 1.0, POLICY.window_days) == ("counted", 1.0)
    assert score.add(BASE_MS + 2000, 0.5, POLICY.window_days) == ("counted", 1.0)


def test_window_rolls():
    score = SoftScore()
    score.add(BASE_MS, 1.0, POLICY.window_days)
    score.add(BASE_MS + DAY_MS, 1.0, POLICY.window_days)
    assert score.add(BASE_MS + 14 * DAY_MS, 1.0, POLICY.window_days) == ("counted", 2.0)


def test_late_bounce_behind_the_window_is_stale():
    score = SoftScore()
    score.add(BASE_MS + 20 * DAY_MS, 1.0, POLICY.window_days)
    assert score.add(BASE_MS, 1.0, POLICY.window_days) == ("stale", 0.0)


def test_out_of_order_bounce_can_complete_a_later_window():
    score = SoftScore()
    score.add(BASE_MS, 1.0, POLICY.window_days)
    score.add(BASE_MS + 2 * DAY_MS, 1.0, POLICY.window_days)
    assert score.add(BASE_MS + DAY_MS, 1.0, POLICY.window_days) == ("counted", 3.0)


def test_reset_clears_and_ignores_older_late_bounces():
    score = SoftScore()
    score.add(BASE_MS, 1.0, POLICY.window_days)
    score.add(BASE_MS + DAY_MS, 1.0, POLICY.window_days)
    score.reset(BASE_MS + DAY_MS + 1000)
    assert score.days == {}
    assert score.add(BASE_MS + DAY_MS + 500, 1.0, POLICY.window_days) == ("before_reset", 0.0)
    assert score.add(BASE_MS + DAY_MS + 2000, 1.0, POLICY.window_days) == ("counted", 1.0)


def test_a_permanent_code_suppresses_at_once_only_on_strong_evidence():
    assert POLICY.action_for_code(2001, Grade.TEXT).kind is ActionKind.SUPPRESS
    assert POLICY.action_for_code(2001, Grade.STATUS).kind is ActionKind.SUPPRESS
    for weak in (Grade.SYMPTOM, Grade.CLASS):
        action = POLICY.action_for_code(2999, weak)
        assert (action.kind, action.weight) == (ActionKind.SOFT, 1.0)


def test_grades_change_only_what_would_suppress():
    assert POLICY.action_for_code(3001, Grade.CLASS).weight == 1.0
    assert POLICY.action_for_code(1999, Grade.CLASS).kind is ActionKind.SENDER_SIDE
    assert POLICY.action_for_code(1004, Grade.TEXT).kind is ActionKind.SENDER_SIDE


def test_no_rejection_code_counts_against_the_contact():
    for code in (1002, 1003, 1004, 1006, 1007, 1011, 1999, 1101):
        assert POLICY.action_for_code(code).kind is ActionKind.SENDER_SIDE, code
