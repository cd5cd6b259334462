"""[zoho] in config.toml, and the data centres it names."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from scanner_app.backends.zoho import DATA_CENTERS, ZohoClient, ZohoSecrets, endpoints_for
from scanner_app.config import ZOHO_DATA_CENTERS, ConfigError, Settings, ZohoSettings, load_settings, save_settings


def test_zoho_section_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings = replace(Settings(), zoho=ZohoSettings(organization_id="10234695", data_center="eu", client_id="1000.X"))
    save_settings(path, settings)
    text = path.read_text()
    assert 'organization_id = "10234695"' in text and "[zoho]" in text
    again = load_settings(path).zoho
    assert (again.organization_id, again.data_center, again.client_id, again.requests_per_minute) == (
        "10234695", "eu", "1000.X", 90.0)


@pytest.mark.parametrize(
    "table, words",
    [
        ('data_center = "us"', "zoho.data_center"),
        ('api_url = "http://zoho.example"', "zoho.api_url must be an https"),
        ("requests_per_minute = 0", "zoho.requests_per_minute"),
        ('timeout_seconds = "soon"', "zoho.timeout_seconds"),
    ],
)
def test_bad_zoho_values_are_named(tmp_path: Path, table: str, words: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[zoho]\n{table}\n")
    with pytest.raises(ConfigError, match=words):
        load_settings(path)


def test_loopback_http_is_allowed_for_tests(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[zoho]\napi_url = "http://127.0.0.1:8080"\naccounts_url = "http://localhost:8080"\n')
    assert load_settings(path).zoho.api_url == "http://127.0.0.1:8080"


def test_config_knows_the_same_data_centres() -> None:
    assert tuple(DATA_CENTERS) == ZOHO_DATA_CENTERS


@pytest.mark.parametrize(
    "dc, api, accounts",
    [
        ("com", "https://www.zohoapis.com/inventory/v1", "https://accounts.zoho.com"),
        ("eu", "https://www.zohoapis.eu/inventory/v1", "https://accounts.zoho.eu"),
        ("ca", "https://www.zohoapis.ca/inventory/v1", "https://accounts.zohocloud.ca"),
        ("com.cn", "https://www.zohoapis.com.cn/inventory/v1", "https://accounts.zoho.com.cn"),
        ("sa", "https://www.zohoapis.sa/inventory/v1", "https://accounts.zoho.sa"),
    ],
)
def test_data_centre_servers(dc: str, api: str, accounts: str) -> None:
    endpoints = endpoints_for(dc)
    assert (endpoints.inventory_url, endpoints.accounts_url) == (api, accounts)
    assert endpoints.token_url == accounts + "/oauth/v2/token"


def test_overrides_replace_the_data_centres_servers() -> None:
    endpoints = endpoints_for("eu", "https://proxy.example/zoho/", "https://auth.example/")
    assert endpoints.inventory_url == "https://proxy.example/zoho/inventory/v1"
    assert endpoints.token_url == "https://auth.example/oauth/v2/token"


def test_a_client_needs_an_organisation_and_a_client_id() -> None:
    secrets = ZohoSecrets("s", "r")
    with pytest.raises(ValueError, match="organization_id"):
        ZohoClient(ZohoSettings(client_id="x"), secrets)
    with pytest.raises(ValueError, match="client_id"):
        ZohoClient(ZohoSettings(organization_id="1"), secrets)


def test_the_backends_load_no_qt() -> None:
    code = ("import sys, scanner_app.backends.zoho\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')]\n"
            "sys.exit(1 if bad else 0)\n")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
