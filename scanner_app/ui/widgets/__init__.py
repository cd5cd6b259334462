"""Reusable pieces of the window: the result card and its banner, plain-text labels and
boxes, the camera panel and preview, the history panel, the outbox badge."""
