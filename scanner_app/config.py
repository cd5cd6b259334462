"""Station settings, kept in ``config.toml`` in the home folder: reading and writing the
file. The settings themselves (one dataclass per section, their defaults and checks) are
:mod:`scanner_app.settings`; every name there can be imported from here too.

Secrets never live here (they go to the OS keyring). Unknown sections are kept when the
file is written back, so settings added by later versions are not lost.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from scanner_app.settings import (
    BACKEND_KINDS,
    CAMERA_DECODERS,
    CAMERA_FORMATS,
    DEFAULT_CAMERA_FORMATS,
    PACKCLOUD_API_URL,
    SERIAL_TERMINATORS,
    TERMINATORS,
    ZOHO_DATA_CENTERS,
    BackendSettings,
    CameraSettings,
    ConfigError,
    FeedbackSettings,
    PackcloudSettings,
    ReceivingSettings,
    ScannerSettings,
    SerialScannerSettings,
    Settings,
    SyncSettings,
    ZohoSettings,
)

__all__ = [
    "BACKEND_KINDS", "CAMERA_DECODERS", "CAMERA_FORMATS", "DEFAULT_CAMERA_FORMATS", "PACKCLOUD_API_URL",
    "SERIAL_TERMINATORS", "TERMINATORS", "ZOHO_DATA_CENTERS", "BackendSettings", "CameraSettings", "ConfigError",
    "FeedbackSettings", "PackcloudSettings", "ReceivingSettings", "ScannerSettings", "SerialScannerSettings",
    "Settings", "SyncSettings", "ZohoSettings", "load_settings", "save_settings",
]

_SECTIONS = {
    "scanner": ScannerSettings,
    "feedback": FeedbackSettings,
    "backend": BackendSettings,
    "serial_scanner": SerialScannerSettings,
    "camera": CameraSettings,
    "zoho": ZohoSettings,
    "sync": SyncSettings,
    "packcloud": PackcloudSettings,
    "receiving": ReceivingSettings,
}


def _section(cls: type, data: Any, name: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"[{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    default = cls()
    for key, value in data.items():
        if key not in known:
            continue
        expected = type(getattr(default, key))
        if expected is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{name}.{key} must be a list of strings")
            value = tuple(value)
        elif expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif expected is str and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # e.g. camera source = 0: a camera index written as a number
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{name}.{key} must be a {expected.__name__}, not {value!r}")
        values[key] = value
    return replace(default, **values)


def load_settings(path: Path) -> Settings:
    """Read ``path``; a missing file gives the defaults, a broken one a ConfigError."""
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    sections = {name: _section(cls, data.get(name, {}), name) for name, cls in _SECTIONS.items()}
    extra = {k: v for k, v in data.items() if k not in _SECTIONS}
    settings = Settings(extra=extra, **sections)
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    for name in _SECTIONS:
        check = getattr(getattr(settings, name), "validate", None)
        if check is not None:
            check()


def save_settings(path: Path, settings: Settings) -> None:
    """Write ``settings`` to ``path`` atomically (write a sibling, then rename)."""
    _validate(settings)
    data: dict[str, Any] = dict(settings.extra)
    for name in _SECTIONS:
        section = asdict(getattr(settings, name))
        data[name] = {k: list(v) if isinstance(v, tuple) else v for k, v in section.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(path)
