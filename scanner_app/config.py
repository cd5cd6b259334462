"""Station settings, kept in ``config.toml`` in the home folder: reading and writing the
file. The settings themselves (one dataclass per section, their defaults and checks) are
:mod:`scanner_app.settings`; every name there can be imported from here too.

Secrets never live here (they go to the OS keyring). Unknown sections are kept when the
file is written back, so settings added by later versions are not lost. A file that cannot
be read (a folder in its place, no permission, not UTF-8, not TOML) or holds a value the
station cannot use is a :class:`ConfigError` naming the file, what is wrong and what to do.
"""

from __future__ import annotations

import contextlib
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
    LoggingSettings,
    PackcloudSettings,
    ReceivingSettings,
    ScannerSettings,
    SerialScannerSettings,
    Settings,
    StorageSettings,
    SyncSettings,
    ZohoSettings,
)

__all__ = [
    "BACKEND_KINDS", "CAMERA_DECODERS", "CAMERA_FORMATS", "DEFAULT_CAMERA_FORMATS", "PACKCLOUD_API_URL",
    "SERIAL_TERMINATORS", "TERMINATORS", "ZOHO_DATA_CENTERS", "BackendSettings", "CameraSettings", "ConfigError",
    "FeedbackSettings", "LoggingSettings", "PackcloudSettings", "ReceivingSettings", "ScannerSettings",
    "SerialScannerSettings",
    "Settings", "StorageSettings", "SyncSettings", "ZohoSettings", "load_settings", "save_settings",
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
    "logging": LoggingSettings,
    "storage": StorageSettings,
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


_FIX = "fix it, or move it aside to start with the default settings"


def load_settings(path: Path) -> Settings:
    """Read ``path``; a missing file gives the defaults, a broken one a ConfigError that
    names the file, what is wrong with it and what to do."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder, not a settings file: move it aside (scanner-app then starts "
                          f"with the default settings and writes the file when a setting is saved)") from None
    except PermissionError:
        raise ConfigError(f"{path} cannot be read: permission denied; let the user running scanner-app "
                          f"read it, or use another home folder (--home DIR)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not a text file in UTF-8 (byte {exc.start}): {_FIX}") from None
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read ({exc.strerror or exc}): {_FIX}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}): {_FIX}") from None
    except RecursionError:  # tomllib recurses per nested array or table: "a = [[[[..." thousands deep
        raise ConfigError(f"{path} is not valid TOML (nested too deeply to read): {_FIX}") from None
    try:
        sections = {name: _section(cls, data.get(name, {}), name) for name, cls in _SECTIONS.items()}
        extra = {k: v for k, v in data.items() if k not in _SECTIONS}
        settings = Settings(extra=extra, **sections)
        _validate(settings)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}; {_FIX}") from None
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
    try:
        tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
        tmp.replace(path)
    except BaseException:  # a full disk, a denied folder: the old file stays as it was
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
