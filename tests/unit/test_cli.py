import json

from click.testing import CliRunner

from app.cli import main


def run(lines):
    result = CliRunner().invoke(main, ["classify"], input="\n".join(lines) + "\n")
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


def test_contract_fields_and_unknown_keys_carried_through():
    line = {"id": 7, "smtp_code": "550", "enhanced_code": "5.1.1", "note": {"x": 1}}
    code, [out] = run([json.dumps(line)])
    assert code == 0
    assert out["id"] == 7
    assert out["note"] == {"x": 1}
    assert (out["code"], out["category"], out["action"]) == (2001, "permanent", "suppress")
    assert out["matched_by"] == "enhanced:5.1.1"


def test_provider_reason_and_bounce_type():
    code, outputs = run(
        [
            json.dumps({"provider_reason": "quota-issues"}),
            json.dumps({"bounce_type": "soft"}),
            json.dumps({}),
        ]
    )
    assert code == 0
    assert [o["code"] for o in outputs] == [3001, 3999, 9999]
    assert outputs[0]["action"] == "soft"
    assert outputs[0]["weight"] == 1.0


def test_numbers_are_accepted_for_codes():
    _, [out] = run([json.dumps({"smtp_code": 421})])
    assert out["code"] == 4001


def test_bad_line_keeps_alignment_and_fails():
    code, outputs = run(["{broken", "[1]", json.dumps({"enhanced_code": "4.4.7"})])
    assert code == 1
    assert outputs[0] == {"error": outputs[0]["error"], "line": 1}
    assert outputs[1]["line"] == 2
    assert outputs[2]["code"] == 4004


def test_explain_lists_every_layer_in_order():
    line = {"id": 1, "smtp_code": "550", "enhanced_code": "5.1.1", "diagnostic": "mailbox full"}
    result = CliRunner().invoke(main, ["classify", "--explain"], input=json.dumps(line) + "\n")
    out = json.loads(result.stdout)
    assert (out["code"], out["matched_by"], out["grade"]) == (3001, "text:mailbox-full", "text")
    steps = out["explain"]
    assert [s["layer"] for s in steps] == [
        "custom",
        "text",
        "enhanced",
        "enhanced-detail",
        "provider",
        "text",
        "enhanced",
        "enhanced-subject",
        "smtp",
        "provider-flag",
        "bounce-type",
        "default",
    ]
    assert steps[1] == {"layer": "text", "matched": "mailbox-full", "code": 3001, "grade": "text"}
    assert steps[2] == {"layer": "enhanced", "matched": "5.1.1", "code": 2001, "grade": "status"}
    assert steps[8] == {"layer": "smtp", "matched": "550", "code": 2999, "grade": "class"}
    assert steps[0]["code"] is None


def test_a_bare_reply_code_is_weak_evidence_and_counts_instead_of_suppressing():
    code, outputs = run([json.dumps({"smtp_code": "550", "diagnostic": "Computer says no"})])
    assert code == 0
    assert {k: outputs[0][k] for k in ("code", "grade", "action", "weight")} == {
        "code": 2999,
        "grade": "class",
        "action": "soft",
        "weight": 1.0,
    }


RULES = """\
[[code]]
code = 2101
meaning = "Mailbox migrated"
action = "soft"
weight = 2.0

[[rule]]
name = "migrated"
code = 2101
patterns = ['migrated']
"""


def test_rules_file_adds_a_code_with_its_action(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    line = json.dumps({"id": "a", "diagnostic": "550 mailbox migrated"})
    result = CliRunner().invoke(main, ["classify", "--rules", str(path)], input=line + "\n")
    out = json.loads(result.stdout)
    assert (out["id"], out["code"], out["category"]) == ("a", 2101, "permanent")
    assert (out["action"], out["weight"], out["matched_by"]) == ("soft", 2.0, "custom:migrated")


def test_rules_file_from_the_environment(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    result = CliRunner().invoke(
        main,
        ["classify"],
        input='{"diagnostic": "migrated"}\n',
        env={"BOUNCEKEEPER_RULES": str(path)},
    )
    assert json.loads(result.stdout)["code"] == 2101


def test_bad_rules_file_fails_before_reading_input(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[[rule]]\nname = 'x'\ncode = 2001\npatterns = ['(']\n")
    result = CliRunner().invoke(main, ["classify", "--rules", str(path)], input="{}\n")
    assert result.exit_code == 2
    assert f"{path}:4: rule 'x': bad regex" in result.output


def test_version():
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert (result.exit_code, result.stdout) == (
        0,
        f"bouncekeeper, version {version('bouncekeeper')}\n",
    )


def test_stats_tables_fit_80_columns_without_cutting_a_date_or_a_count():
    import io

    from rich.console import Console

    from app.cli import stats_tables
    from app.stats import StatsReport, day_iso
    from app.store.reports import DayCounts

    names = "permanent temporary complaint rejected communication informational unknown delivery"
    categories = dict.fromkeys([*names.split(), "engagement"], 123_456)
    days = [
        DayCounts(20_500 + n, 999_999, {"2001": 1}, categories, {"zeptomail": 1}, {}, [])
        for n in range(7)
    ]
    domain = "a-rather-long-recipient-domain-name.mail.example.com"
    report = StatsReport(days, [(domain, 5)], [(domain, 3)])
    out = io.StringIO()
    console = Console(file=out, width=80)
    for table in stats_tables(report):
        console.print(table)
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    text = out.getvalue()
    for day in days:
        assert day_iso(day.day) in text
    assert "999999" in text
    assert all(f"{name}=123456" in text for name in categories)
