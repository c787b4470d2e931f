import re
from dataclasses import fields
from pathlib import Path

import pytest

from app.config import DESCRIPTIONS, ENV_NAMES, ConfigError, Settings
from app.queue import make_celery

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_defaults():
    settings = Settings.from_env({})
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.effective_broker_url == settings.redis_url
    assert settings.max_body_bytes == 1_048_576


def test_environment_then_overrides():
    env = {"REDIS_URL": "redis://r:6379/3", "BOUNCEKEEPER_MAX_BODY_BYTES": "4096"}
    settings = Settings.from_env(env, api_token="t")
    assert (settings.redis_url, settings.max_body_bytes, settings.api_token) == (
        "redis://r:6379/3",
        4096,
        "t",
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BOUNCEKEEPER_MAX_BODY_BYTES": "lots"}, "BOUNCEKEEPER_MAX_BODY_BYTES='lots'"),
        ({"BOUNCEKEEPER_DEDUP_TTL_SECONDS": "60"}, "at least 172800"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
    ],
)
def test_bad_settings_name_the_variable(env, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        Settings.from_env(env)


@pytest.mark.parametrize(
    "spec", [s for s in fields(Settings) if s.name in ENV_NAMES], ids=lambda spec: spec.name
)
def test_readme_documents_every_setting_with_its_default(spec):
    default = '""' if spec.default == "" else str(spec.default)
    assert f"| `{ENV_NAMES[spec.name]}` | `{default}` |" in README
    assert spec.name in DESCRIPTIONS


def test_sink_options_are_collected_per_configured_sink():
    env = {
        "BOUNCEKEEPER_SINKS": "crm, SES",
        "BOUNCEKEEPER_SINK_CRM_URL": "http://crm/hook",
        "BOUNCEKEEPER_SINK_CRM_TYPE": "http",
        "BOUNCEKEEPER_SINK_SES_REGION": "eu-west-1",
        "BOUNCEKEEPER_SINK_OTHER_URL": "ignored",
    }
    settings = Settings.from_env(env)
    assert settings.sink_names == ["crm", "ses"]
    assert settings.sink_options == {
        "crm": {"url": "http://crm/hook", "type": "http"},
        "ses": {"region": "eu-west-1"},
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BOUNCEKEEPER_SINKS": "a", "BOUNCEKEEPER_SYNC_INTERVAL": "0.5"}, "SYNC_INTERVAL"),
        (
            {"BOUNCEKEEPER_SINKS": "a", "BOUNCEKEEPER_SYNC_INTERVAL": "600"},
            "below BOUNCEKEEPER_VIS",
        ),
        ({"BOUNCEKEEPER_SINKS": "a-b"}, "BOUNCEKEEPER_SINKS"),
        ({"BOUNCEKEEPER_SINKS": "crm,Status"}, "'status' is reserved (`bouncekeeper sync status`)"),
    ],
)
def test_bad_sync_settings_name_the_variable(env, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        Settings.from_env(env)


def test_redis_and_amqp_brokers_use_our_transports_and_others_keep_kombus_choice():
    redis_app = make_celery(Settings(broker_url="redis://127.0.0.1:1/0"))
    amqp_app = make_celery(Settings(broker_url="amqp://guest@127.0.0.1:5672//"))
    other_app = make_celery(Settings(broker_url="memory://"))
    assert redis_app.conf.broker_transport == "app.broker:Transport"
    assert amqp_app.conf.broker_transport == "app.broker_amqp:Transport"
    assert other_app.conf.broker_transport is None
    with redis_app.connection_for_write() as conn:
        assert type(conn.transport).__module__ == "app.broker"


def test_a_cluster_needs_shards_and_a_broker_of_its_own():
    cluster = "redis+cluster://127.0.0.1:7000,127.0.0.1:7001"
    with pytest.raises(ConfigError, match="BOUNCEKEEPER_SHARDS to 2 or more"):
        Settings.from_env({"REDIS_URL": cluster, "BOUNCEKEEPER_BROKER_URL": "redis://b:6379/0"})
    with pytest.raises(ConfigError, match="set BOUNCEKEEPER_BROKER_URL"):
        Settings.from_env({"REDIS_URL": cluster, "BOUNCEKEEPER_SHARDS": "16"})
    with pytest.raises(ConfigError, match="cannot be a Redis Cluster"):
        Settings.from_env({"BOUNCEKEEPER_BROKER_URL": cluster})
    with pytest.raises(ConfigError, match="seed node must be host:port"):
        Settings.from_env({"REDIS_URL": "redis+cluster://nohost", "BOUNCEKEEPER_SHARDS": "4",
                           "BOUNCEKEEPER_BROKER_URL": "redis://b:6379/0"})  # fmt: skip
    settings = Settings.from_env({"REDIS_URL": cluster, "BOUNCEKEEPER_SHARDS": "16",
                                  "BOUNCEKEEPER_BROKER_URL": "amqp://u:p@h:5672/v"})  # fmt: skip
    assert settings.shards == 16
    with pytest.raises(ConfigError, match="BOUNCEKEEPER_SHARDS must be between 1 and 16384"):
        Settings.from_env({"BOUNCEKEEPER_SHARDS": "0"})
