"""The window's tab pages (Lookup, Dispatch, Receive, Assemble) and the blocks they share:
widgets laid out, no station calls; their controllers drive them (``ui.controllers``)."""
