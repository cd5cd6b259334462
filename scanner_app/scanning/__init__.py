"""Scan sources and the one pipeline every source feeds (Qt-free)."""
