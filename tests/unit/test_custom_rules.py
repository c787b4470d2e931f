"""The rules file: custom codes classify and carry their action; mistakes name their line."""

import pytest

from app.classify import Evidence, classify
from app.classify.custom import RulesError, load, parse
from app.policy import ActionKind, policy_with_codes

GOOD = """\
[[code]]
code = 2101
category = "permanent"
meaning = "Mailbox migrated to another provider"
action = "suppress"

[[code]]
code = 3101
meaning = "Recipient on parental hold"
action = "soft"
weight = 0.75

[[rule]]
name = "mailbox-migrated"
code = 2101
patterns = ['mailbox (has been )?migrated', 'moved to a new provider']

[[rule]]
name = "mailbox-full"   # replaces the built-in rule of that name
code = 3999
patterns = ['mailbox full']

[[rule]]
name = "parental-hold"
code = 3101
patterns = ['Parental Hold']
"""


@pytest.fixture
def rules():
    return parse(GOOD, "rules.toml")


def test_custom_rule_classifies_before_the_built_ins(rules):
    evidence = Evidence("550", "5.1.1", "550 5.1.1 This mailbox has been migrated")
    result = classify(evidence, rules.text)
    assert (result.code, result.category, result.matched_by) == (
        2101,
        "permanent",
        "custom:mailbox-migrated",
    )
    assert classify(evidence).code == 2001  # without the file, the status decides


def test_custom_patterns_ignore_case(rules):
    assert classify(Evidence(diagnostic="on PARENTAL HOLD"), rules.text).code == 3101


def test_a_rule_named_like_a_built_in_replaces_it(rules):
    assert "mailbox-full" not in {r.name for r in rules.text.causes.rules}
    result = classify(Evidence("552", "5.2.2", "mailbox full"), rules.text)
    assert (result.code, result.matched_by) == (3999, "custom:mailbox-full")


def test_custom_codes_get_their_default_action_from_the_policy(rules):
    policy = policy_with_codes(rules.actions)
    assert policy.action_for_code(2101).kind is ActionKind.SUPPRESS
    soft = policy.action_for_code(3101)
    assert (soft.kind, soft.weight) == (ActionKind.SOFT, 0.75)
    assert policy.action_for_code(2001).kind is ActionKind.SUPPRESS  # built-ins unchanged
    assert rules.codes[2101].meaning == "Mailbox migrated to another provider"


def test_load_reads_a_file(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(GOOD)
    assert set(load(path).codes) == {2101, 3101}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[code]]\ncode = 2101\ncategory = "temporary"\naction = "suppress"\n',
            "rules.toml:3: code 2101 is permanent, not temporary",
        ),
        (
            '[[code]]\ncode = 2101\ncategory = "fatal"\naction = "suppress"\n',
            "rules.toml:3: unknown category 'fatal'",
        ),
        (
            '[[code]]\ncode = 2101\naction = "ignore"\n[[code]]\ncode = 2101\naction = "ignore"\n',
            "rules.toml:5: duplicate code 2101",
        ),
        ('[[code]]\ncode = 3001\naction = "ignore"\n', "rules.toml:2: duplicate code 3001"),
        ('[[code]]\ncode = 7001\naction = "ignore"\n', "rules.toml:2: code 7001 is outside"),
        ('[[code]]\ncode = 3101\naction = "soft"\n', "rules.toml:1: a soft action needs"),
        ('[[code]]\ncode = 3101\naction = "bounce"\n', "rules.toml:3: `action` must be one of"),
        (
            "[[rule]]\nname = 'x'\ncode = 2001\npatterns = [\n  'ok',\n  'user (unknown',\n]\n",
            "rules.toml:6: rule 'x': bad regex 'user (unknown'",
        ),
        (
            "[[rule]]\nname = 'x'\ncode = 2102\npatterns = ['a']\n",
            "rules.toml:3: rule 'x': unknown code",
        ),
        (
            "[[rule]]\nname = 'x'\ncode = 2001\npatterns = ['a']\n"
            "[[rule]]\nname = 'x'\ncode = 2001\npatterns = ['b']\n",
            "rules.toml:6: duplicate rule name 'x'",
        ),
        ("[[rule]]\nname = 'x'\ncode = 2001\npattern = ['a']\n", "rules.toml:4: unknown key"),
        (
            "[[rule]]\nname = 'x'\ncode = 2001\npatterns = 'a'\n",
            "rules.toml:4: rule 'x': `patterns`",
        ),
        ("[rules]\nx = 1\n", "rules.toml:1: unknown section"),
        ("[[rule]\n", "rules.toml: "),
    ],
)
def test_errors_name_the_line(text, message):
    with pytest.raises(RulesError) as caught:
        parse(text, "rules.toml")
    assert str(caught.value).startswith(message), str(caught.value)


def test_unreadable_file_is_a_rules_error(tmp_path):
    with pytest.raises(RulesError, match="cannot read"):
        load(tmp_path / "missing.toml")


def test_worker_plan_uses_the_custom_rules_and_their_action(rules):
    from app.events import BounceEvent, EventType
    from app.ingest import plan

    event = BounceEvent(
        provider="zeptomail",
        event_type=EventType.BOUNCE,
        recipient="a@example.org",
        occurred_at_ms=1,
        smtp_code="550",
        enhanced_code="5.1.1",
        diagnostic="550 5.1.1 mailbox has been migrated",
    )
    decided = plan(event, policy_with_codes(rules.actions), rules.text)
    assert (decided.code, decided.action, decided.matched_by) == (
        2101,
        "suppress",
        "custom:mailbox-migrated",
    )
    assert plan(event, policy_with_codes(rules.actions)).code == 2001  # built-ins by default


def test_worker_task_loads_the_rules_file_from_settings(tmp_path):
    from app.config import Settings
    from tasks.base import BounceTask

    path = tmp_path / "rules.toml"
    path.write_text(GOOD)
    task = BounceTask()
    task.__dict__["settings"] = Settings(rules=str(path))  # what the cached property would hold
    assert task.policy.action_for_code(3101).weight == 0.75
    assert task.text_rules.custom.rules[0].name == "mailbox-migrated"

    plain = BounceTask()
    plain.__dict__["settings"] = Settings()
    assert plain.text_rules.custom.rules == ()
