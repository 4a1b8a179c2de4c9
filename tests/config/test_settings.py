from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config import Settings, UnsafeSettingError
from config.settings import DEV_SECRET


def test_defaults_are_embedded_sqlite_with_llm_off() -> None:
    settings = Settings()
    assert settings.mode == "dev"
    assert settings.is_sqlite
    assert settings.resolved_database_url.endswith("/data/concierge.db")
    assert settings.llm.enabled is False


def test_env_overrides_nested_and_top_level(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONCIERGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONCIERGE_SERVER__PORT", "9123")
    settings = Settings()
    assert settings.server.port == 9123
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'concierge.db'}"


def test_postgres_url_is_taken_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    monkeypatch.setenv("CONCIERGE_DATABASE_URL", url)
    settings = Settings()
    assert settings.resolved_database_url == url
    assert not settings.is_sqlite


def test_yaml_file_overrides_defaults_and_env_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config_file = tmp_path / "concierge.yaml"
    config_file.write_text("server:\n  port: 7001\nllm:\n  timeout_s: 3.5\n")
    monkeypatch.setenv("CONCIERGE_CONFIG_FILE", str(config_file))
    assert Settings().server.port == 7001
    assert Settings().llm.timeout_s == 3.5
    monkeypatch.setenv("CONCIERGE_SERVER__PORT", "7002")
    assert Settings().server.port == 7002


def test_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CONCIERGE_CONFIG_FILE", str(tmp_path / "nope.yaml"))
    with pytest.raises(FileNotFoundError, match=r"nope\.yaml"):
        Settings()


def test_default_secret_refused_in_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_MODE", "prod")
    with pytest.raises(UnsafeSettingError, match="secret_key"):
        Settings()
    monkeypatch.setenv("CONCIERGE_SECRET_KEY", "short")
    with pytest.raises(UnsafeSettingError, match="32 characters"):
        Settings()
    monkeypatch.setenv("CONCIERGE_SECRET_KEY", "x" * 40)
    with pytest.raises(UnsafeSettingError, match="postal_address"):
        Settings()
    monkeypatch.setenv("CONCIERGE_STORE__POSTAL_ADDRESS", "1 Real Road, Portland, OR 97201, USA")
    assert Settings().secret_key.get_secret_value() != DEV_SECRET


def test_enabled_llm_needs_endpoint_and_model() -> None:
    with pytest.raises(ValidationError, match="base_url"):
        Settings(llm={"enabled": True})
    settings = Settings(llm={"enabled": True, "base_url": "http://127.0.0.1:9/v1", "model": "m"})
    assert settings.llm.enabled


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="nonsense"):
        Settings(nonsense=1)


def test_secrets_are_masked_in_dumps() -> None:
    dumped = Settings(llm={"api_key": "sk-very-secret"}).model_dump(mode="json")
    assert "sk-very-secret" not in str(dumped)
