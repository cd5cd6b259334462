"""Feedback sounds: one short WAV per answer (found, not found, invalid).

QSoundEffect plays low-latency WAVs. Where there is no audio device (a headless PC, CI),
or the WAV cannot be loaded, the station stays silent rather than failing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl

from scanner_app.resources import resource_path

log = logging.getLogger(__name__)

SOUND_NAMES = ("found", "not_found", "invalid")


class FeedbackSounds(QObject):
    def __init__(self, enabled: bool = True, volume: float = 0.8, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []  # what was asked to play, newest last (for tests, diagnostics)
        self._effects: dict[str, object] = {}
        if not enabled:
            return
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if not QMediaDevices.audioOutputs():
                log.info("no audio output device: feedback sounds are silent")
                return
            for name in SOUND_NAMES:
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", f"{name}.wav"))))
                effect.setVolume(volume)
                self._effects[name] = effect
        except Exception:  # a missing multimedia backend must not stop the station
            log.warning("feedback sounds unavailable; continuing silently", exc_info=True)
            self._effects.clear()

    @property
    def audible(self) -> bool:
        return bool(self._effects)

    def play(self, name: str) -> None:
        if name not in SOUND_NAMES:
            raise ValueError(f"unknown sound {name!r}")
        self.played.append(name)
        del self.played[:-20]
        effect = self._effects.get(name)
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]
