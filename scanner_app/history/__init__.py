"""The scan history: every scan, its understanding, its answer and its timings."""

from scanner_app.history.store import HistoryEntry, HistoryStore

__all__ = ["HistoryEntry", "HistoryStore"]
