"""No silent skips: a skipped test fails the run unless it is on the reviewed list.

The set-up (``make test`` → ``packaging/install-system-deps.sh`` and the ``test`` extra)
installs everything the tests need, so on the machines we test on nothing should skip. A
test that skips anyway (a tool missing, a platform check gone wrong) would otherwise pass
a run in silence while checking nothing. This plugin counts every skip; one whose test id
is not in :data:`ALLOWED_SKIPS` turns a green run red and is named in the summary.

``ALLOWED_SKIPS`` maps a test id (or the id of its module, which covers every test in it)
to the reason it was reviewed and accepted. Only platform checks belong here: a test for
a POSIX or Linux facility skips on other systems, where we do not run CI, and one that needs
a privilege a container may not give (mounting a filesystem).
"""

from __future__ import annotations

import pytest

ALLOWED_SKIPS: dict[str, str] = {
    "tests/scanning/test_camera_process.py::test_the_child_runs_in_its_own_session_at_a_lower_priority":
        "reads /proc: Linux only",
    "tests/scanning/test_camera_process.py::test_a_camera_process_that_dies_is_reported_and_the_station_carries_on":
        "needs SIGKILL: POSIX only",
    "tests/outbox/test_crash_safety.py": "kills a process with SIGKILL: POSIX only",
    "tests/test_faults.py::test_a_full_disk_is_named_with_its_free_space_and_nothing_is_half_written":
        "mounts a real 3 MB tmpfs in a private mount namespace: needs Linux, root and CAP_SYS_ADMIN, which an "
        "unprivileged container lacks (the issue: 'a full tmpfs where the machine allows'); the words are "
        "also checked by test_os_errors_are_read_as_faults",
}


def is_allowed(nodeid: str, allowed: dict[str, str] = ALLOWED_SKIPS) -> bool:
    """True when ``nodeid`` (a parametrised case included) or its module is on the list."""
    test_id = nodeid.split("[", 1)[0]
    return test_id in allowed or test_id.split("::", 1)[0] in allowed


class SkipPolicy:
    """Collects skipped tests and fails the session for any that are not allowed."""

    def __init__(self) -> None:
        self.unlisted: list[tuple[str, str]] = []

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail") and not is_allowed(report.nodeid):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reason = reason.removeprefix("Skipped: ")
            self.unlisted.append((report.nodeid, reason))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.unlisted and exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.unlisted:
            return
        terminalreporter.section("skipped tests not on the reviewed list (tests/skip_policy.py)", red=True)
        for nodeid, reason in self.unlisted:
            terminalreporter.line(f"{nodeid}: {reason}", red=True)
        terminalreporter.line("install what they need (packaging/install-system-deps.sh) or review them "
                              "into ALLOWED_SKIPS with a reason", red=True)


def pytest_configure(config: pytest.Config) -> None:
    """Lets ``-p tests.skip_policy`` load the policy on its own (its test does)."""
    if not config.pluginmanager.has_plugin("scanner_app_skip_policy"):
        config.pluginmanager.register(SkipPolicy(), "scanner_app_skip_policy")
