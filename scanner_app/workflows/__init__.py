"""Workflows: the Qt-free state machines behind the station's pages and the CLI
(``dispatch``: serial numbers validated and mapped to an outgoing document)."""
