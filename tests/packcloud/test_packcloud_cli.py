"""``scanner-app configure packcloud``, ``login packcloud``, ``import`` of product links and
``packcloud serial`` as scripts use them: real subprocesses against the fake Pack.cloud on
loopback. Every test ends by searching the home folder (config.toml, databases, logs) for
the token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.fake_packcloud import FakePackcloud
from tests.packcloud.conftest import CATALOGUE
from tests.sync.test_sync_cli import run_cli

FILE_KEYRING = "tests.packcloud.file_keyring.FileKeyring"
TOKEN_ENV = "SCANNER_APP_PACKCLOUD_TOKEN"


def assert_token_not_in(home: Path, packcloud: FakePackcloud) -> None:
    files = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name == "config.toml" for path in files)
    for path in files:
        assert packcloud.token.encode() not in path.read_bytes(), f"the token is in {path}"


@pytest.fixture
def configured(packcloud: FakePackcloud, tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    done = run_cli(home, "configure", "packcloud", "--organization-id", packcloud.organization_id,
                   "--api-url", packcloud.url, "--timeout", "5")
    assert done.returncode == 0, done.stderr
    assert "Next: scanner-app login packcloud" in done.stdout
    yield home
    assert_token_not_in(home, packcloud)


def test_configure_writes_the_section_and_refuses_bad_values(packcloud: FakePackcloud, configured: Path) -> None:
    text = (configured / "config.toml").read_text()
    assert "[packcloud]" in text and f'organization_id = "{packcloud.organization_id}"' in text
    assert f'api_url = "{packcloud.url}"' in text and "timeout_seconds = 5.0" in text and 'kind = "packcloud"' in text
    for bad, words in ((["--organization-id", "org 7"], "no spaces"),
                       (["--api-url", "http://api.pack.example"], "https://")):
        refused = run_cli(configured, "configure", "packcloud", *bad)
        assert refused.returncode == 2 and words in refused.stderr and "nothing written" in refused.stderr
    assert (configured / "config.toml").read_text() == text
    kept = run_cli(configured, "configure", "packcloud", "--requests-per-minute", "30", "--keep-backend", "--json")
    assert kept.returncode == 0 and json.loads(kept.stdout)["requests_per_minute"] == 30.0
    first = run_cli(configured.parent / "fresh", "configure", "packcloud")
    assert first.returncode == 2 and "--organization-id needed" in first.stderr


def test_login_without_a_keyring_asks_nothing_and_saves_nothing(packcloud: FakePackcloud, configured: Path) -> None:
    out = run_cli(configured, "login", "packcloud", stdin=packcloud.token + "\n")
    assert out.returncode == 1 and "No usable keyring" in out.stderr and TOKEN_ENV in out.stderr
    assert packcloud.count() == 0


def test_login_tries_the_token_then_keeps_it_in_the_keyring(packcloud: FakePackcloud, configured: Path,
                                                            tmp_path: Path) -> None:
    ring = tmp_path / "keyring.json"
    env = {"PYTHON_KEYRING_BACKEND": FILE_KEYRING, "TEST_KEYRING_FILE": str(ring)}
    refused = run_cli(configured, "login", "packcloud", stdin="pc_live_not_it\n", env=env)
    assert refused.returncode == 1 and "refused this token (nothing saved)" in refused.stderr
    assert not ring.exists()
    blank = run_cli(configured, "login", "packcloud", stdin="\n", env=env)
    assert blank.returncode == 1 and "no API token given" in blank.stderr
    saved = run_cli(configured, "login", "packcloud", stdin=f"  {packcloud.token}  \n", env=env)
    assert saved.returncode == 0, saved.stderr
    assert "Connected to Pack.cloud organisation" in saved.stdout and packcloud.token not in saved.stdout
    assert json.loads(ring.read_text()) == {"scanner-app:packcloud/token": packcloud.token}
    packcloud.add_serial("CAM-0001", "prod-cam")
    asked = run_cli(configured, "packcloud", "serial", "CAM-0001", env=env)  # the token from the keyring
    assert asked.returncode == 0 and "FOUND: serial number CAM-0001" in asked.stdout


def test_serial_lookup_and_dispatch_check(packcloud: FakePackcloud, configured: Path) -> None:
    catalogue = configured / "catalogue.json"
    catalogue.write_text(json.dumps(CATALOGUE))
    imported = run_cli(configured, "import", catalogue.as_posix(), "--json")
    assert imported.returncode == 0 and json.loads(imported.stdout)["packcloud_products"] == 3
    packcloud.add_serial("CAM-0001", "prod-cam", stock_id="stock-main")
    packcloud.add_serial("CAM-0002", "prod-cam", stock_id=None, fulfillment_line_id="fl-311")
    env = {TOKEN_ENV: packcloud.token}

    found = run_cli(configured, "packcloud", "serial", "CAM-0002", "--json", env=env)
    assert found.returncode == 0, found.stderr
    match = json.loads(found.stdout)["matches"][0]
    assert (match["item"]["name"], match["shipped"], match["stock_id"]) == ("Camera X100", True, None)
    text = run_cli(configured, "packcloud", "serial", "CAM-0001", env=env).stdout
    assert "'Camera X100' (item I-CAM); in stock stock-main" in text
    unknown = run_cli(configured, "packcloud", "serial", "CAM-0404", env=env)
    assert unknown.returncode == 1 and "NOT FOUND" in unknown.stdout

    ok = run_cli(configured, "packcloud", "serial", "CAM-0001", "--item", "CAM-X100", "--json", env=env)
    assert ok.returncode == 0 and json.loads(ok.stdout)["verdict"] == "ok"
    shipped = run_cli(configured, "packcloud", "serial", "CAM-0002", "--item", "4006381333931", env=env)
    assert shipped.returncode == 1 and shipped.stdout.startswith("REFUSED: serial number CAM-0002 of 'Camera X100' "
                                                                 "has already shipped")
    other = run_cli(configured, "packcloud", "serial", "CAM-0001", "--item", "LENS-50", env=env)
    assert other.returncode == 1 and "belongs to 'Camera X100', not to 'Lens 50mm'" in other.stdout
    no_item = run_cli(configured, "packcloud", "serial", "CAM-0001", "--item", "NO-SUCH", env=env)
    assert no_item.returncode == 1 and "no item 'NO-SUCH' in the local store" in no_item.stderr

    calls = packcloud.count()
    local = run_cli(configured, "lookup", "CAM-X100", env=env)
    assert local.returncode == 0 and packcloud.count() == calls  # lookup stays local
    demo = run_cli(configured, "lookup", "PKG-BOX-433")
    assert demo.returncode == 1  # a Pack.cloud station gets no demo catalogue


def test_not_configured_not_signed_in_and_refused(packcloud: FakePackcloud, configured: Path, tmp_path: Path) -> None:
    bare = run_cli(tmp_path / "bare", "packcloud", "serial", "CAM-0001")
    assert bare.returncode == 1 and "not configured" in bare.stderr and "scanner-app configure packcloud" in bare.stderr
    missing = run_cli(configured, "packcloud", "serial", "CAM-0001")
    assert missing.returncode == 1 and "not signed in" in missing.stderr and TOKEN_ENV in missing.stderr
    revoked = run_cli(configured, "packcloud", "serial", "CAM-0001", env={TOKEN_ENV: "pc_live_revoked"})
    assert revoked.returncode == 1 and "run scanner-app login packcloud" in revoked.stderr
