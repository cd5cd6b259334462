"""Which server URLs secrets may go to, decided on the parsed URL: https:// anywhere, http://
only when the parsed host is exactly localhost, in 127.0.0.0/8 or ::1. The same table is
checked in the three places that decide it: config.toml, ``configure`` and the HTTP client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scanner_app.backends.http import check_base_url
from scanner_app.config import ConfigError, load_settings
from scanner_app.url_safety import is_loopback_host, url_problem

ROOT = Path(__file__).resolve().parents[2]

GOOD = [
    "http://127.0.0.1:8080",
    "http://127.0.0.2:9000/",
    "http://127.255.255.254",
    "http://localhost:8080",
    "http://LOCALHOST",
    "http://[::1]:9000",
    "https://www.zohoapis.eu",
    "https://www.zohoapis.eu/inventory/v1",
    "https://api.pack.cloud",
]

# (url, the words that say why)
BAD = [
    ("http://127.0.0.1.evil.example", ("must be an https:// URL: plain http:// goes only to this machine "
                                       "(localhost, 127.0.0.0/8 or [::1]), and 127.0.0.1.evil.example is not")),
    ("http://localhost.evil.example:8080", "and localhost.evil.example is not"),
    ("http://127.0.0.1@127.0.0.2:8080", "must not hold a user name or password (user@host): name the server only"),
    ("https://user:pw@www.zohoapis.eu", "must not hold a user name or password"),
    ("http://evil.example#@127.0.0.1", "must not have a query (?...) or fragment (#...)"),
    ("http://evil.example?@127.0.0.1", "must not have a query (?...) or fragment (#...)"),
    ("http://127.0.0.1\\@evil.example", "must not contain spaces, control characters or backslashes"),
    ("http://128.0.0.1", "and 128.0.0.1 is not"),
    ("http://[::2]:9000", "and ::2 is not"),
    ("http://0.0.0.0:8080", "and 0.0.0.0 is not"),
    ("http://zoho.example", "and zoho.example is not"),
    ("ftp://127.0.0.1", "must be an https:// URL (secrets are only sent over TLS)"),
    ("https://", "has no server name"),
    ("http://127.0.0.1:99999", "is not a URL"),
    ("http://[::1", "is not a URL"),
]


@pytest.mark.parametrize("url", GOOD)
def test_good_urls_pass_everywhere(url: str, tmp_path: Path) -> None:
    assert url_problem(url) is None
    assert str(check_base_url(url)).rstrip("/") == url.rstrip("/").replace("LOCALHOST", "localhost")
    path = tmp_path / "config.toml"
    path.write_text(f'[zoho]\napi_url = "{url}"\naccounts_url = "{url}"\n[packcloud]\napi_url = "{url}"\n')
    assert load_settings(path).zoho.api_url == url


@pytest.mark.parametrize("url, words", BAD)
def test_bad_urls_are_refused_everywhere_with_words(url: str, words: str, tmp_path: Path) -> None:
    problem = url_problem(url)
    assert problem is not None and words in problem
    with pytest.raises(ValueError) as refused:
        check_base_url(url)
    assert str(refused.value) == f"{url!r} {problem}"
    path = tmp_path / "config.toml"
    path.write_text(f"[zoho]\napi_url = {json.dumps(url)}\n")
    with pytest.raises(ConfigError) as at_load:
        load_settings(path)
    assert str(at_load.value) == (f"{path}: zoho.api_url {problem} (not {url!r}); fix it, or move it aside to "
                                  "start with the default settings")


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.9.9.9", True), ("::1", True),
                                            ("[::1]", True), ("localhost", True), ("127.0.0.1.nip.io", False),
                                            ("localhost.", False), ("::ffff:127.0.0.1", False), ("10.0.0.1", False)])
def test_loopback_is_the_parsed_host_exactly(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize("url", ["http://127.0.0.1.evil.example", "http://localhost.evil.example:8080",
                                 "http://127.0.0.1@127.0.0.2:8080"])
def test_configure_refuses_the_attackers_urls_and_writes_nothing(url: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), "configure", "zoho",
                          "--organization-id", "10234695", "--client-id", "1000.X", "--api-url", url],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert out.returncode == 2
    assert out.stderr == f"scanner-app configure zoho: zoho.api_url {url_problem(url)} (not {url!r}) (nothing written)\n"
    assert not (home / "config.toml").exists()


def test_a_config_file_with_an_attackers_url_is_refused_at_start_not_at_sync(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url = "http://127.0.0.1@127.0.0.2:8080"
    (home / "config.toml").write_text(f'[backend]\nkind = "zoho"\n[zoho]\norganization_id = "1"\n'
                                      f'client_id = "1000.X"\napi_url = "{url}"\n')
    out = subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), "sync"], capture_output=True,
                         text=True, cwd=ROOT, timeout=60, check=False)
    assert out.returncode == 3
    assert out.stderr == (f"scanner-app: {home / 'config.toml'}: zoho.api_url must not hold a user name or password "
                          f"(user@host): name the server only (not {url!r}); fix it, or move it aside to start with "
                          "the default settings\n")
