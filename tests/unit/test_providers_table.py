"""The README's provider table names every registered provider, and each row names the
setting that switches that provider on."""

import re
from pathlib import Path

import pytest

from app.config import Settings
from app.providers import PROVIDERS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def table_rows() -> dict[str, str]:
    section = re.split(r"\n##+ ", README.split("\n## Providers\n", 1)[1], maxsplit=1)[0]
    rows = re.findall(r"^\|[^|`]*`/webhooks/([a-z]+)` \|(.*)$", section, flags=re.MULTILINE)
    return dict(rows)


def test_every_row_is_a_registered_provider():
    assert set(table_rows()) == set(PROVIDERS)


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_row_names_the_setting_that_switches_the_provider_on(name):
    off = PROVIDERS[name].disabled_reason(Settings())
    [variable] = re.findall(r"BOUNCEKEEPER_[A-Z_]+", off)
    assert f"`{variable}`" in table_rows()[name]
