"""The Qt layer: the only package that imports PySide6. It subscribes to the core and
shows it; the core never calls it."""
