"""The station's settings as values: one frozen dataclass per ``config.toml`` section,
each with its defaults and ``validate()`` (a :class:`ConfigError` names the key and what
it must be), and :class:`Settings`, all of them together. Reading and writing the file is
:mod:`scanner_app.config`'s, which re-exports every name here.

Why the wedge defaults are what they are: USB HID scanners type one key every 1-15 ms;
a person, even a fast typist, leaves 60-200 ms between keys (roll-over pairs can be
closer, but never a whole run). Odoo cuts a burst at 100-150 ms and InvenTree at 250 ms
because they only watch for a burst when no input has focus; this station also captures
scans while a text field has focus, so it needs a cut-off that a human cannot match for a
whole run of ``min_length`` keys: 40 ms is 2.5x the slowest scanner and well under
human typing. Wireless scanners that jitter more can raise it in the settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from scanner_app.url_safety import url_problem

TERMINATORS = ("enter", "tab")


class ConfigError(ValueError):
    """config.toml holds a value the station cannot use; the message says which."""


def check_number(key: str, value: float, low: float, high: float, *, unit: str = "") -> None:
    """A ConfigError naming ``key`` unless ``value`` is a finite number in [low, high]
    (NaN and infinities are refused, not compared)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        suffix = f" {unit}" if unit else ""
        raise ConfigError(f"{key} must be a number between {low:g} and {high:g}{suffix}, not {value!r}")


@dataclass(frozen=True)
class ScannerSettings:
    """How keystroke bursts from a keyboard-wedge scanner are told from typing."""

    max_key_gap_ms: float = 40.0
    min_length: int = 4
    terminators: tuple[str, ...] = TERMINATORS
    gs_substitute: str = ""  # a string some scanners send instead of ASCII 29, e.g. "~"

    def validate(self) -> None:
        check_number("scanner.max_key_gap_ms", self.max_key_gap_ms, 1, 1000)
        if not 1 <= self.min_length <= 100:
            raise ConfigError("scanner.min_length must be between 1 and 100")
        unknown = [t for t in self.terminators if t not in TERMINATORS]
        if unknown or not self.terminators:
            raise ConfigError(f"scanner.terminators must be some of {list(TERMINATORS)}")


SERIAL_TERMINATORS = ("cr", "lf", "crlf", "tab")


@dataclass(frozen=True)
class SerialScannerSettings:
    """A scanner on a serial port (USB CDC / COM). An empty ``port`` means none."""

    port: str = ""  # e.g. "/dev/ttyACM0", "/dev/serial/by-id/usb-...", "COM3"
    baud_rate: int = 9600
    terminator: str = "cr"  # what the scanner sends after each code: cr, lf, crlf or tab
    reconnect_seconds: float = 2.0

    def validate(self) -> None:
        if self.baud_rate not in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200):
            raise ConfigError("serial_scanner.baud_rate must be a standard rate such as 9600 or 115200")
        if self.terminator not in SERIAL_TERMINATORS:
            raise ConfigError(f"serial_scanner.terminator must be one of {list(SERIAL_TERMINATORS)}")
        check_number("serial_scanner.reconnect_seconds", self.reconnect_seconds, 0.1, 60)


@dataclass(frozen=True)
class FeedbackSettings:
    sound: bool = True
    volume: float = 0.8  # 0 (silent) to 1 (full)

    def validate(self) -> None:
        check_number("feedback.volume", self.volume, 0, 1)


BACKEND_KINDS = ("embedded", "zoho", "packcloud")  # the built-in ones (backends/registry.py)


@dataclass(frozen=True)
class BackendSettings:
    """[backend]: where the station's inventory lives. "embedded": the local SQLite store
    only; "zoho": Zoho Inventory, synced into the local store, which answers the scans;
    "packcloud": the local store's catalogue with Pack.cloud as the serial-number register
    (dispatch checks each serial there; see [packcloud])."""

    kind: str = "embedded"

    def validate(self) -> None:
        # Which kinds exist is the backend registry's to say (scanner_app/backends/registry.py,
        # checked when a Station starts): a test or a plug-in may register one more.
        if not isinstance(self.kind, str) or not self.kind.strip():
            raise ConfigError(f"backend.kind must name a backend, one of {list(BACKEND_KINDS)}, not {self.kind!r}")


# Symbologies the camera may read (names used in config.toml; camera/symbologies.py maps
# them to the decoders'). Defaults: what a warehouse sees on goods, cases and pallets.
CAMERA_FORMATS = (
    "ean13", "ean8", "upca", "upce", "code128", "code39", "code93", "codabar", "itf",
    "databar", "databar_expanded", "databar_limited", "datamatrix", "qrcode", "pdf417", "aztec",
)
DEFAULT_CAMERA_FORMATS = (
    "ean13", "ean8", "upca", "upce", "code128", "code39", "itf", "databar", "databar_expanded",
    "datamatrix", "qrcode",
)
CAMERA_DECODERS = ("zxing", "zbar")


@dataclass(frozen=True)
class CameraSettings:
    """A webcam or IP camera as a scanner (camera/camera.py).

    ``source`` is a camera index ("0") or a video file path or stream URL (rtsp://, http://).
    ``hold_off_seconds``: how long an accepted code is not accepted again after it was
    accepted (it must also have left the view). Width, height and fps are what the camera is
    asked for; it may offer less.
    """

    source: str = "0"
    autostart: bool = False  # start the camera with the window (a station with no wedge scanner)
    decoder: str = "zxing"
    formats: tuple[str, ...] = DEFAULT_CAMERA_FORMATS
    hold_off_seconds: float = 2.0
    width: int = 1280
    height: int = 720
    fps: int = 30

    def validate(self) -> None:
        if not self.source.strip():
            raise ConfigError('camera.source must be a camera index such as "0", a file or a URL')
        if self.decoder not in CAMERA_DECODERS:
            raise ConfigError(f"camera.decoder must be one of {list(CAMERA_DECODERS)}")
        unknown = [f for f in self.formats if f not in CAMERA_FORMATS]
        if unknown or not self.formats:
            raise ConfigError(f"camera.formats must be some of {list(CAMERA_FORMATS)}, not {unknown}")
        check_number("camera.hold_off_seconds", self.hold_off_seconds, 0, 600)
        if not (160 <= self.width <= 7680 and 120 <= self.height <= 4320 and 1 <= self.fps <= 240):
            raise ConfigError("camera.width/height/fps must be a real resolution (e.g. 1280x720) and 1-240 fps")


# Zoho's data centres; scanner_app/backends/zoho/datacenters.py has their servers (a test
# keeps the two lists equal; this module stays free of the HTTP stack for a fast start).
ZOHO_DATA_CENTERS = ("com", "eu", "in", "com.au", "jp", "ca", "com.cn", "sa")


def check_server_url(key: str, url: str) -> None:
    """A ConfigError naming ``key`` unless ``url`` is empty, https://, or http:// to this
    machine (:mod:`scanner_app.url_safety`: the parsed host, not the text's start)."""
    problem = url_problem(url) if url else None
    if problem is not None:
        raise ConfigError(f"{key} {problem} (not {url!r})")


@dataclass(frozen=True)
class ZohoSettings:
    """[zoho]: the Zoho Inventory organisation this station works with.

    Non-secret values only: the client secret and refresh token live in the keyring
    (scanner_app/secrets.py). ``api_url`` (the API server's root, without
    /inventory/v1) and ``accounts_url`` override the data centre's servers, for tests
    and proxies; empty means the data centre's. ``requests_per_minute`` is this
    station's own budget (Zoho allows about 100 per minute per organisation, for all
    its stations together).
    """

    organization_id: str = ""
    data_center: str = "com"
    client_id: str = ""
    api_url: str = ""
    accounts_url: str = ""
    requests_per_minute: float = 90.0
    timeout_seconds: float = 30.0

    def validate(self) -> None:
        if self.organization_id and not self.organization_id.isdigit():
            raise ConfigError("zoho.organization_id must be the organisation's ID, digits only (e.g. 10234695; "
                              "Zoho Inventory shows it under Settings > Organization Profile)")
        if self.client_id != self.client_id.strip():
            raise ConfigError("zoho.client_id must not start or end with spaces")
        if self.data_center not in ZOHO_DATA_CENTERS:
            raise ConfigError(f"zoho.data_center must be one of {list(ZOHO_DATA_CENTERS)}")
        for name in ("api_url", "accounts_url"):
            check_server_url(f"zoho.{name}", getattr(self, name))
        check_number("zoho.requests_per_minute", self.requests_per_minute, 1, 1000)
        check_number("zoho.timeout_seconds", self.timeout_seconds, 1, 300)


PACKCLOUD_API_URL = "https://api.pack.cloud"


@dataclass(frozen=True)
class PackcloudSettings:
    """[packcloud]: the Pack.cloud organisation whose serial-number register this station
    checks (scanner_app/backends/packcloud/). The API token lives in the keyring (or
    SCANNER_APP_PACKCLOUD_TOKEN), never here. ``api_url`` is the API server's root
    (without /v1); empty means https://api.pack.cloud. ``requests_per_minute`` is this
    station's own budget. ``stock_warehouses``: which of this station's warehouses each
    Pack.cloud stock is, as ``"STOCK_ID=WAREHOUSE_ID"`` (Pack.cloud's stock ids are not the
    catalogue's warehouse ids; a stock not listed is said to be unmapped, never guessed).
    """

    organization_id: str = ""
    api_url: str = ""
    requests_per_minute: float = 60.0
    timeout_seconds: float = 30.0
    stock_warehouses: tuple[str, ...] = ()

    def stock_map(self) -> dict[str, str]:
        """Pack.cloud stock id -> warehouse id, from ``stock_warehouses``."""
        return dict(entry.split("=", 1) for entry in self.stock_warehouses)

    def validate(self) -> None:
        org = self.organization_id
        if org and (org != org.strip() or any(ch.isspace() or ch in "/?#" for ch in org) or len(org) > 100):
            raise ConfigError("packcloud.organization_id must be the organisation's ID as Pack.cloud shows it "
                              "(no spaces or slashes)")
        check_server_url("packcloud.api_url", self.api_url)
        check_number("packcloud.requests_per_minute", self.requests_per_minute, 1, 1000)
        check_number("packcloud.timeout_seconds", self.timeout_seconds, 1, 300)
        stocks = [entry.split("=", 1) for entry in self.stock_warehouses]
        if any(len(pair) != 2 or not all(p and p == p.strip() for p in pair) for pair in stocks):
            raise ConfigError('packcloud.stock_warehouses entries must be "STOCK_ID=WAREHOUSE_ID"')
        if len({pair[0] for pair in stocks}) != len(stocks):
            raise ConfigError("packcloud.stock_warehouses names a stock twice")


@dataclass(frozen=True)
class SyncSettings:
    """[sync]: keeping the local store in step with a cloud inventory (scanner_app/sync/).

    ``interval_minutes``: how often the window syncs in the background (0: only when
    asked, with "Sync now"). ``full_sync_hours``: a sync is a full one when the last full
    sync is older than this (a full sync also drops items deleted in the cloud); the others
    fetch only what changed. ``details_max_age_minutes``: serial numbers and batches of a
    tracked item are fetched again when the item is scanned and they are older than this.
    """

    interval_minutes: float = 15.0
    full_sync_hours: float = 24.0
    details_max_age_minutes: float = 10.0

    def validate(self) -> None:
        if self.interval_minutes != 0:
            try:
                check_number("sync.interval_minutes", self.interval_minutes, 1, 24 * 60)
            except ConfigError:
                raise ConfigError(f"sync.interval_minutes must be 0 (only on demand) or a number between 1 and "
                                  f"1440, not {self.interval_minutes!r}") from None
        check_number("sync.full_sync_hours", self.full_sync_hours, 1, 24 * 30)
        check_number("sync.details_max_age_minutes", self.details_max_age_minutes, 0, 24 * 60)


@dataclass(frozen=True)
class ReceivingSettings:
    """[receiving]: ``expiry_warning_days``: a batch received with its expiry within this
    many days (or already past) is taken only when a person confirms it. The receiving
    warehouse and bin are remembered per station in the inventory database."""

    expiry_warning_days: int = 30

    def validate(self) -> None:
        if not 0 <= self.expiry_warning_days <= 3650:
            raise ConfigError("receiving.expiry_warning_days must be between 0 and 3650")


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class LoggingSettings:
    """[logging]: ``level`` of the log file (logs/scanner-app.log): "INFO" by default;
    "DEBUG" for support (every HTTP call, every wait; secrets stay redacted). ``--debug``
    and SCANNER_APP_LOG_LEVEL override it."""

    level: str = "INFO"

    def validate(self) -> None:
        if self.level.upper() not in LOG_LEVELS:
            raise ConfigError(f"logging.level must be one of {list(LOG_LEVELS)}, not {self.level!r}")


@dataclass(frozen=True)
class StorageSettings:
    """[storage]: ``lock_wait_seconds``: how long the station waits for a database another
    program holds (saying so while it waits) before it gives up with words."""

    lock_wait_seconds: float = 10.0

    def validate(self) -> None:
        check_number("storage.lock_wait_seconds", self.lock_wait_seconds, 0, 600)


@dataclass(frozen=True)
class Settings:
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    backend: BackendSettings = field(default_factory=BackendSettings)
    serial_scanner: SerialScannerSettings = field(default_factory=SerialScannerSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    zoho: ZohoSettings = field(default_factory=ZohoSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    packcloud: PackcloudSettings = field(default_factory=PackcloudSettings)
    receiving: ReceivingSettings = field(default_factory=ReceivingSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    extra: dict[str, Any] = field(default_factory=dict)  # sections this version does not know
