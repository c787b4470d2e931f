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
