"""Issue #13's target: ``scanner-app sync`` from cron or a script, run after run, shares
one access token instead of asking Zoho for a new one each time (Zoho allows about ten
per ten minutes, and the 11th run used to be locked out). Real processes, as a cron job
runs them, against the fake Zoho on loopback; secrets from the environment."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.backends.fake_zoho import FakeZoho
from tests.sync.test_sync_cli import assert_no_secret_in, run_cli, secrets_env

RUNS = 30


def test_thirty_syncs_in_a_row_make_at_most_two_token_requests(zoho: FakeZoho, tmp_path: Path) -> None:
    home = tmp_path / "home"
    configured = run_cli(home, "configure", "zoho", "--organization-id", zoho.organization_id,
                         "--data-center", "eu", "--client-id", zoho.client_id, "--api-url", zoho.url,
                         "--accounts-url", zoho.url, "--requests-per-minute", "1000")
    assert configured.returncode == 0, configured.stderr
    zoho.inventory.add_items(3)

    for run in range(RUNS):
        done = run_cli(home, "sync", "--json", env=secrets_env(zoho))
        assert done.returncode == 0, (run, done.stderr)
        assert json.loads(done.stdout)["items_in_store"] == 3

    assert 1 <= zoho.refresh_count <= 2, zoho.refresh_count
    assert zoho.count("GET", "/inventory/v1/items") >= RUNS  # every run did reach Zoho
    token_file = home / "data" / "zoho-access-token.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert_no_secret_in(home, zoho)  # nor the access token itself: it is sealed
