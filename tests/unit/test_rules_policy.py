"""The rules file's [policy] table, read together with custom codes."""

import pytest

from app.classify import Grade, custom
from app.policy import ActionKind


def test_policy_table_applies_over_custom_codes():
    rules = custom.parse(
        """
[[code]]
code = 2101
category = "permanent"
meaning = "Mailbox migrated"
action = "suppress"

[policy]
version = "strict"
threshold = 2.0
[policy.codes]
2101 = 0.5
3001 = "sender_side"
""",
        "rules.toml",
    )
    policy = rules.policy
    assert (policy.version, policy.threshold, policy.window_days) == ("strict", 2.0, 14)
    assert policy.action_for_code(2101).weight == 0.5  # [policy] wins over the code's default
    assert policy.action_for_code(3001).kind is ActionKind.SENDER_SIDE


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("threshold = -1", "policy.threshold"),
        ("window = 3", "policy.window: unknown key"),
        ("[policy.codes]\n3001 = 'sometimes'", "policy.codes.3001"),
        ("[policy.codes]\n7001 = 1.0", "not a failure code"),
        ("[policy.categories]\nodd = 1.0", "unknown category"),
    ],
)
def test_policy_errors_name_the_key(table, message):
    with pytest.raises(custom.RulesError, match=message):
        custom.parse(f"[policy]\n{table}\n", "rules.toml")


def test_no_file_means_defaults():
    assert custom.load_optional("").policy.threshold == 3.0


def test_policy_grades_table_sets_what_weak_evidence_does():
    rules = custom.parse('[policy.grades]\nclass = "suppress"\nsymptom = 2.0\n', "rules.toml")
    assert rules.policy.action_for_code(2999, Grade.CLASS).kind is ActionKind.SUPPRESS
    assert rules.policy.action_for_code(2999, Grade.SYMPTOM).weight == 2.0
    assert rules.policy.action_for_code(2999, Grade.TEXT).kind is ActionKind.SUPPRESS


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('colour = "suppress"', "policy.grades.colour: unknown grade"),
        ('class = "ignore"', 'policy.grades.class: a grade takes "suppress" or a soft weight'),
    ],
)
def test_policy_grades_errors_name_the_key(table, message):
    with pytest.raises(custom.RulesError, match=message):
        custom.parse(f"[policy.grades]\n{table}\n", "rules.toml")
