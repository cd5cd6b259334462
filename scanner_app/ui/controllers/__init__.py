"""The pages' controllers: each drives one Qt-free workflow from its page (scans, buttons,
background tasks) and is registered as a page unit in ``ui.workflow_pages``."""
