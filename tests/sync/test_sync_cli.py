"""``scanner-app configure zoho``, ``login zoho`` and ``sync`` as scripts use them: real
subprocesses against the fake Zoho on loopback, secrets from the environment. Every test
ends by searching the home folder (config.toml, databases, logs) for the secrets."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app import cli
from scanner_app.days import TODAY_ENV
from tests.backends.fake_zoho import FakeZoho
from tests.test_secrets import MemoryKeyring, memory_keyring  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
NO_KEYRING = "keyring.backends.fail.Keyring"


def run_cli(home: Path, *args: str, env: dict[str, str] | None = None,
            stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SCANNER_APP_") or k == TODAY_ENV}
    environment.update({"PYTHON_KEYRING_BACKEND": NO_KEYRING, **(env or {})})
    return subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=environment, timeout=60)


def secrets_env(zoho: FakeZoho) -> dict[str, str]:
    return {"SCANNER_APP_ZOHO_CLIENT_SECRET": zoho.client_secret, "SCANNER_APP_ZOHO_REFRESH_TOKEN": zoho.refresh_token}


def assert_no_secret_in(home: Path, zoho: FakeZoho) -> None:
    secrets = [zoho.client_secret, zoho.refresh_token, *zoho.issued_tokens]
    files = [path for path in home.rglob("*") if path.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        leaked = [secret for secret in secrets if secret.encode() in data]
        assert not leaked, f"a secret is in {path}"


@pytest.fixture
def configured(zoho: FakeZoho, tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    done = run_cli(home, "configure", "zoho", "--organization-id", zoho.organization_id, "--data-center", "eu",
                   "--client-id", zoho.client_id, "--api-url", zoho.url, "--accounts-url", zoho.url)
    assert done.returncode == 0, done.stderr
    yield home
    assert_no_secret_in(home, zoho)


def test_configure_writes_the_values_and_refuses_bad_ones(zoho: FakeZoho, configured: Path) -> None:
    text = (configured / "config.toml").read_text()
    assert f'organization_id = "{zoho.organization_id}"' in text and 'kind = "zoho"' in text
    assert 'data_center = "eu"' in text and f'api_url = "{zoho.url}"' in text
    bad = run_cli(configured, "configure", "zoho", "--organization-id", "ACME Ltd", "--json")
    assert bad.returncode == 2 and "digits only" in bad.stderr and "nothing written" in bad.stderr
    insecure = run_cli(configured, "configure", "zoho", "--api-url", "http://zoho.example.com")
    assert insecure.returncode == 2 and "https://" in insecure.stderr
    assert (configured / "config.toml").read_text() == text


def test_full_then_incremental_sync(zoho: FakeZoho, configured: Path) -> None:
    items = zoho.inventory.add_items(450)
    first = run_cli(configured, "sync", "--json", env=secrets_env(zoho))
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert (report["kind"], report["received"], report["items_in_store"]) == ("full", 450, 450)
    assert "page 3, 450 records" in first.stderr
    assert zoho.count("GET", "/inventory/v1/items") == 3  # pages, not items

    for item in items[7:9]:
        item["name"] = item["name"] + " v2"
        zoho.inventory.touch(item["item_id"], dt.datetime.now(dt.UTC))
    second = run_cli(configured, "sync", env=secrets_env(zoho))
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("incremental sync: 2 records in 2 page(s)")
    item_calls = [r.query for r in zoho.requests if r.path == "/inventory/v1/items"]
    assert len(item_calls) == 4 and "last_modified_time" in item_calls[-1]
    looked_up = run_cli(configured, "lookup", "ITEM-00008", "--json", env=secrets_env(zoho))
    assert json.loads(looked_up.stdout)["item"]["name"] == "ITEM 00008 v2"


def test_a_refused_refresh_token_says_sign_in_again(zoho: FakeZoho, configured: Path) -> None:
    zoho.refuse_refresh_token()
    out = run_cli(configured, "sync", "--json", env=secrets_env(zoho))
    assert out.returncode == 1
    assert "sign in again: run scanner-app login zoho" in out.stderr
    answer = json.loads(out.stdout)
    assert answer["synced"] is False and answer["sign_in_again"] is True


def test_not_signed_in_and_offline(zoho: FakeZoho, configured: Path) -> None:
    missing = run_cli(configured, "sync")
    assert missing.returncode == 1 and "not signed in" in missing.stderr
    assert "scanner-app login zoho" in missing.stderr and "SCANNER_APP_ZOHO_REFRESH_TOKEN" in missing.stderr
    url = zoho.url
    zoho.stop()
    offline = run_cli(configured, "sync", env=secrets_env(zoho))
    assert offline.returncode == 1
    assert "cannot be reached" in offline.stderr and url.removeprefix("http://").split(":")[0] in offline.stderr


def test_login_without_a_keyring_saves_nothing(zoho: FakeZoho, configured: Path) -> None:
    out = run_cli(configured, "login", "zoho", stdin=f"{zoho.client_secret}\n{zoho.refresh_token}\n")
    assert out.returncode == 1
    assert "No usable keyring" in out.stderr and "SCANNER_APP_ZOHO_REFRESH_TOKEN" in out.stderr
    assert zoho.count() == 0  # not even tried


@pytest.fixture
def in_process_logging() -> Iterator[None]:
    """cli.main() in this process logs to the test's home folder: stop that afterwards."""
    yield
    for handler in [h for h in logging.getLogger().handlers if getattr(h, "_scanner_app", False)]:
        logging.getLogger().removeHandler(handler)
        handler.close()


@pytest.mark.usefixtures("in_process_logging")
def test_login_checks_then_stores_in_the_keyring(zoho: FakeZoho, configured: Path, memory_keyring: MemoryKeyring,
                                                 monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("SCANNER_APP_ZOHO_CLIENT_SECRET", "SCANNER_APP_ZOHO_REFRESH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{zoho.client_secret}\nnot-the-token\n"))
    assert cli.main(["--home", str(configured), "login", "zoho"]) == 1
    assert "refused" in capsys.readouterr().err and memory_keyring.store == {}

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"  {zoho.client_secret}\n\n{zoho.refresh_token}\n"))
    assert cli.main(["--home", str(configured), "login", "zoho"]) == 0
    out = capsys.readouterr().out
    assert "Connected to Zoho Inventory organisation" in out and "Saved" in out
    assert zoho.client_secret not in out and zoho.refresh_token not in out
    assert memory_keyring.store == {("scanner-app:zoho", "client_secret"): zoho.client_secret,
                                               ("scanner-app:zoho", "refresh_token"): zoho.refresh_token}
    zoho.inventory.add_items(5)
    assert cli.main(["--home", str(configured), "sync"]) == 0  # the secrets come from the keyring
    assert "5 items in the local store" in capsys.readouterr().out
