"""The station's shared Zoho access token (``SharedTokenStore``), in one process: a new
store object on the same file is what a second process sees. The file is private and
holds no secret; a token of another sign-in, an expired one and a broken file are not
used; the keyring keeps it when the secrets are there."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import keyring
import pytest

from scanner_app.backends.connect import token_in_keyring, zoho_client_from
from scanner_app.backends.log_redaction import REDACTOR
from scanner_app.backends.zoho import AccessToken, ZohoSecrets
from scanner_app.backends.zoho.token_store import SharedTokenStore, SignIn
from scanner_app.paths import StationPaths
from tests.backends.conftest import TEST_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho
from tests.backends.test_zoho_auth import SECRETS, SETTINGS, MockZoho, client_for, item_answer, unauthorised
from tests.test_secrets import MemoryKeyring, no_keyring  # noqa: F401 (a fixture)

SIGN_IN = SignIn(SETTINGS.client_id, SETTINGS.organization_id, "https://accounts.zoho.eu", SECRETS)


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "zoho-access-token.json"


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    """A usable keyring, in memory."""
    previous = keyring.get_keyring()
    made = MemoryKeyring()
    keyring.set_keyring(made)
    yield made
    keyring.set_keyring(previous)


def store(token_file: Path, sign_in: SignIn = SIGN_IN, **options: bool) -> SharedTokenStore:
    """The store as a new process would make it."""
    return SharedTokenStore(token_file, sign_in, **options)


def test_the_file_is_private_and_holds_no_secret(clock: FakeClock, token_file: Path) -> None:
    mock = MockZoho(item_answer())
    with client_for(mock, clock, token_cache=store(token_file)) as client:
        client.get_item("1")
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.with_suffix(".lock").stat().st_mode) == 0o600
    data = token_file.read_bytes()
    for secret in (SECRETS.client_secret, SECRETS.refresh_token, "1000.token-1"):
        assert secret.encode() not in data  # the access token is sealed with the secrets
    assert sorted(p.name for p in token_file.parent.iterdir()) == [token_file.name,
                                                                    token_file.with_suffix(".lock").name]
    saved = json.loads(data)["access_token"]
    assert saved["expires_at"] == clock.time() + 3600 and saved["sign_in"] == SIGN_IN.fingerprint


def test_another_process_uses_the_saved_token_until_it_is_nearly_expired(clock: FakeClock, token_file: Path) -> None:
    mock = MockZoho(item_answer())
    with client_for(mock, clock, token_cache=store(token_file)) as first:
        first.get_item("1")
    clock.advance(3000)
    with client_for(mock, clock, token_cache=store(token_file)) as second:
        second.get_item("1")
    assert len(mock.token_requests) == 1
    assert mock.api_requests[-1].headers["authorization"] == "Zoho-oauthtoken 1000.token-1"
    clock.advance(500)  # 100 s left: inside the refresh margin
    with client_for(mock, clock, token_cache=store(token_file)) as third:
        third.get_item("1")
    assert len(mock.token_requests) == 2
    assert store(token_file).load() == AccessToken("1000.token-2", clock.time() + 3600, issued_at=clock.time())


@pytest.mark.parametrize("other", [
    SignIn(SETTINGS.client_id, SETTINGS.organization_id, "https://accounts.zoho.eu",
           ZohoSecrets(SECRETS.client_secret, "1000.another-refresh-token")),
    SignIn("1000.OTHERCLIENT", SETTINGS.organization_id, "https://accounts.zoho.eu", SECRETS),
    SignIn(SETTINGS.client_id, "43", "https://accounts.zoho.eu", SECRETS),
    SignIn(SETTINGS.client_id, SETTINGS.organization_id, "https://accounts.zoho.com", SECRETS),
    SignIn(SETTINGS.client_id, SETTINGS.organization_id, "https://accounts.zoho.eu",
           ZohoSecrets("another-client-secret", SECRETS.refresh_token)),
], ids=["refresh token", "client id", "organisation", "data centre", "client secret"])
def test_a_token_saved_for_another_sign_in_is_not_used(clock: FakeClock, token_file: Path, other: SignIn) -> None:
    store(token_file).save(AccessToken("1000.token-of-the-first", clock.time() + 3600, issued_at=clock.time()))
    assert store(token_file).load() is not None
    assert store(token_file, other).load() is None
    mock = MockZoho(item_answer())
    with client_for(mock, clock, token_cache=store(token_file, other)) as client:
        client.get_item("1")
    assert len(mock.token_requests) == 1  # its own token, saved for the station in place of the other
    assert store(token_file, other).load() is not None and store(token_file).load() is None


@pytest.mark.parametrize("broken", [
    b"", b"{", b"\xff\xfe", b"[1, 2]", b'{"access_token": "1000.plain"}',
    b'{"access_token": {"sign_in": "x", "expires_at": 1e12, "sealed": "AAAA"}}',
    b'{"refreshes": "many", "access_token": null}',
])
def test_a_broken_file_is_no_token(clock: FakeClock, token_file: Path, broken: bytes) -> None:
    token_file.parent.mkdir(parents=True)
    token_file.write_bytes(broken)
    assert store(token_file).load() is None
    assert store(token_file).refresh_times() == []
    mock = MockZoho(item_answer())
    with client_for(mock, clock, token_cache=store(token_file)) as client:
        client.get_item("1")
    assert len(mock.token_requests) == 1
    assert store(token_file).load() is not None  # replaced by a good one


def test_a_changed_token_record_is_no_token(clock: FakeClock, token_file: Path) -> None:
    store(token_file).save(AccessToken("1000.token-1", clock.time() + 60, issued_at=clock.time()))
    record = json.loads(token_file.read_text())
    longer = {**record, "access_token": {**record["access_token"], "expires_at": clock.time() + 86_400}}
    token_file.write_text(json.dumps(longer))
    assert store(token_file).load() is None  # the expiry is sealed with the token
    sealed = record["access_token"]["sealed"]
    flipped = sealed[:30] + ("A" if sealed[30] != "A" else "B") + sealed[31:]
    token_file.write_text(json.dumps({**record, "access_token": {**record["access_token"], "sealed": flipped}}))
    assert store(token_file).load() is None


def test_a_rejected_token_is_replaced_for_every_process(clock: FakeClock, token_file: Path) -> None:
    # API answers in order: A's call; B's call (401) and its retry; C's call; A's next (401) and its retry.
    mock = MockZoho(item_answer(), unauthorised(), item_answer(), item_answer(), unauthorised(), item_answer())
    with client_for(mock, clock, token_cache=store(token_file)) as a, \
            client_for(mock, clock, token_cache=store(token_file)) as b, \
            client_for(mock, clock, token_cache=store(token_file)) as c:
        a.get_item("1")
        b.get_item("1")  # Zoho refused token-1: B fetches token-2 for the station
        c.get_item("1")
        a.get_item("1")  # A still holds token-1; refused, it finds token-2 saved by B
    assert len(mock.token_requests) == 2 and len(mock.api_requests) == 6  # each 401 answered by one retry
    # (a retried request is the same object, re-sent with the new header)
    used = [request.headers["authorization"].split()[-1] for request in mock.api_requests]
    assert used == ["1000.token-1"] + ["1000.token-2"] * 5


def test_the_refresh_cap_counts_every_store_on_the_file(clock: FakeClock, token_file: Path) -> None:
    mock = MockZoho(item_answer(), token_answer={"access_token": "1000.short-lived", "expires_in": 60})
    for _ in range(5):
        with client_for(mock, clock, token_cache=store(token_file)) as client:
            client.get_item("1")
        clock.advance(31)
    with client_for(mock, clock, token_cache=store(token_file)) as client:
        with pytest.raises(Exception, match="stopped asking Zoho for new access tokens: 5 already"):
            client.get_item("1")
        clock.advance(600)
        client.get_item("1")
    assert len(mock.token_requests) == 6
    assert len(store(token_file).refresh_times()) == 6


def test_a_token_loaded_from_the_file_is_redacted_in_logs(clock: FakeClock, token_file: Path) -> None:
    writer = store(token_file)
    token = AccessToken("1000.written-by-another-process-0123456789", clock.time() + 3600, issued_at=clock.time())
    token_file.parent.mkdir(parents=True)
    token_file.write_text(json.dumps({"version": 1, "refreshes": [], "access_token": writer._seal(token)}))
    assert token.value not in REDACTOR._secrets  # sealed without registering: as if another process saved it
    assert store(token_file).load() == token
    assert token.value not in REDACTOR.redact(f"Authorization: {token.value}")


def test_the_keyring_keeps_it_when_the_secrets_are_there(ring: MemoryKeyring, clock: FakeClock,
                                                          token_file: Path) -> None:
    mock = MockZoho(item_answer())
    with client_for(mock, clock, token_cache=store(token_file, in_keyring=True)) as client:
        client.get_item("1")
    saved = json.loads(ring.store[("scanner-app:zoho", "access_token")])
    assert saved == {"value": "1000.token-1", "expires_at": clock.time() + 3600, "issued_at": clock.time(),
                     "sign_in": SIGN_IN.fingerprint}
    assert "access_token" not in json.loads(token_file.read_text())  # the file keeps the refresh times only
    assert store(token_file, in_keyring=True).load() is not None
    other = SignIn(SETTINGS.client_id, SETTINGS.organization_id, "https://accounts.zoho.eu",
                   ZohoSecrets(SECRETS.client_secret, "1000.another-refresh-token"))
    assert store(token_file, other, in_keyring=True).load() is None


@pytest.mark.usefixtures("ring")
def test_where_the_token_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCANNER_APP_ZOHO_CLIENT_SECRET", "SCANNER_APP_ZOHO_REFRESH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert token_in_keyring()  # secrets in the keyring: the token too
    monkeypatch.setenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", "1000.from-the-environment")
    assert not token_in_keyring()  # a headless station: the 0600 file


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_token_is_kept_in_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCANNER_APP_ZOHO_CLIENT_SECRET", "SCANNER_APP_ZOHO_REFRESH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert not token_in_keyring()


@pytest.mark.usefixtures("no_keyring")
def test_station_clients_share_and_plain_ones_do_not(zoho: FakeZoho, tmp_path: Path, clock: FakeClock) -> None:
    paths = StationPaths(config_dir=tmp_path, data_dir=tmp_path / "data", log_dir=tmp_path / "logs").ensure()
    for _ in range(3):
        with zoho_client_from(zoho.settings(), zoho.secrets(), home=paths, policy=TEST_POLICY) as client:
            client.get_item(zoho.inventory.add_item("Widget")["item_id"])
    assert zoho.refresh_count == 1
    assert sorted(p.name for p in paths.data_dir.iterdir()) == [
        "zoho-access-token.json", "zoho-access-token.lock", "zoho-request-budget.json", "zoho-request-budget.lock"]
    for _ in range(2):
        with zoho_client_from(zoho.settings(), zoho.secrets(), policy=TEST_POLICY) as client:
            client.get_item(zoho.inventory.add_item("Widget")["item_id"])
    assert zoho.refresh_count == 3  # each its own, as before


def test_what_the_file_holds_does_not_open_zoho_by_itself(zoho: FakeZoho, token_file: Path) -> None:
    sign_in = SignIn(zoho.client_id, zoho.organization_id, zoho.url, zoho.secrets())
    with zoho_client_from(zoho.settings(), zoho.secrets(), token_cache=SharedTokenStore(token_file, sign_in),
                          policy=TEST_POLICY) as client:
        client.tokens.current()
    sealed = json.loads(token_file.read_text())["access_token"]["sealed"]
    refused = httpx.get(f"{zoho.url}/inventory/v1/items", params={"organization_id": zoho.organization_id},
                        headers={"Authorization": f"Zoho-oauthtoken {sealed}"})
    assert refused.status_code == 401
    assert zoho.issued_tokens[0].encode() not in token_file.read_bytes()
