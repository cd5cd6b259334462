"""DEBUG logging for support: ``--debug`` (file and stderr, tracebacks included), ``[logging]
level = "DEBUG"`` in config.toml and ``SCANNER_APP_LOG_LEVEL`` (the file only); a token
exchange with a (fake) Zoho on loopback logged at DEBUG leaves no secret in the log file
nor on stderr."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.config import ConfigError, load_settings
from scanner_app.days import TODAY_ENV
from scanner_app.logging_setup import LEVEL_ENV, configure_logging, file_level_from
from scanner_app.paths import resolve_paths
from tests.backends.fake_zoho import FakeZoho

ROOT = Path(__file__).resolve().parent.parent


def run_cli(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SCANNER_APP_") or k == TODAY_ENV}
    environment.update({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", **(env or {})})
    return subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), *args], capture_output=True,
                          text=True, cwd=ROOT, env=environment, timeout=60, check=False)


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho() as server:
        yield server


def zoho_home(tmp_path: Path, zoho: FakeZoho, extra: str = "") -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        f'[backend]\nkind = "zoho"\n\n[zoho]\norganization_id = "{zoho.organization_id}"\n'
        f'client_id = "{zoho.client_id}"\napi_url = "{zoho.url}"\naccounts_url = "{zoho.url}"\n{extra}')
    return home


def secrets_env(zoho: FakeZoho) -> dict[str, str]:
    return {"SCANNER_APP_ZOHO_CLIENT_SECRET": zoho.client_secret, "SCANNER_APP_ZOHO_REFRESH_TOKEN": zoho.refresh_token}


def assert_no_secret(zoho: FakeZoho, *texts: str) -> None:
    secrets = [zoho.client_secret, zoho.refresh_token, *zoho.issued_tokens]
    assert zoho.issued_tokens  # a token exchange did happen
    for text in texts:
        assert not [s for s in secrets if s in text]


def test_debug_flag_logs_the_token_exchange_at_debug_without_a_secret(tmp_path: Path, zoho: FakeZoho) -> None:
    zoho.inventory.add_items(3)
    home = zoho_home(tmp_path, zoho)
    out = run_cli(home, "--debug", "sync", env=secrets_env(zoho))
    assert out.returncode == 0, out.stderr
    log = (home / "logs" / "scanner-app.log").read_text()
    assert " DEBUG " in log and "POST /oauth/v2/token -> HTTP 200" in log
    assert "DEBUG: " in out.stderr  # --debug: on stderr too
    assert_no_secret(zoho, log, out.stderr, out.stdout)


def test_the_configured_level_is_the_files_only(tmp_path: Path, zoho: FakeZoho) -> None:
    zoho.inventory.add_items(3)
    home = zoho_home(tmp_path, zoho, '\n[logging]\nlevel = "DEBUG"\n')
    out = run_cli(home, "sync", env=secrets_env(zoho))
    assert out.returncode == 0, out.stderr
    log = (home / "logs" / "scanner-app.log").read_text()
    assert "POST /oauth/v2/token -> HTTP 200" in log
    assert "DEBUG" not in out.stderr
    assert_no_secret(zoho, log, out.stderr)


def test_without_debug_the_file_stays_at_info(tmp_path: Path, zoho: FakeZoho) -> None:
    zoho.inventory.add_items(3)
    home = zoho_home(tmp_path, zoho)
    out = run_cli(home, "sync", env=secrets_env(zoho))
    assert out.returncode == 0, out.stderr
    log = (home / "logs" / "scanner-app.log").read_text()
    assert " INFO " in log and " DEBUG " not in log


def test_the_environment_sets_the_level_and_debug_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LEVEL_ENV, raising=False)
    assert file_level_from() == logging.INFO
    assert file_level_from(configured="debug") == logging.DEBUG
    monkeypatch.setenv(LEVEL_ENV, "WARNING")
    assert file_level_from(configured="DEBUG") == logging.WARNING
    assert file_level_from(debug=True) == logging.DEBUG
    monkeypatch.setenv(LEVEL_ENV, "loud")  # not a level: ignored
    assert file_level_from(configured="ERROR") == logging.ERROR


def test_a_bad_level_in_config_is_named(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[logging]\nlevel = "CHATTY"\n')
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value) == (f"{path}: logging.level must be one of ['DEBUG', 'INFO', 'WARNING', 'ERROR'], "
                                  "not 'CHATTY'; fix it, or move it aside to start with the default settings")


def test_stderr_shows_no_traceback_without_debug(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = resolve_paths(tmp_path / "home").ensure()
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging(paths)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("scanner_app.test").exception("it failed")
        configure_logging(paths, debug=True)
        try:
            raise RuntimeError("boom again")
        except RuntimeError:
            logging.getLogger("scanner_app.test").exception("it failed again")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
    err = capsys.readouterr().err
    first, second = err.split("ERROR: it failed again")
    assert first == "ERROR: it failed\n"
    assert "Traceback (most recent call last)" in second and "RuntimeError: boom again" in second
    assert paths.log_file.read_text().count("Traceback (most recent call last)") == 2
