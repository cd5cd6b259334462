"""The words the CLI and the window use for sync: what went wrong and what to do about it,
and how fresh the local copy of the catalogue is."""

from __future__ import annotations

from scanner_app.backends.errors import AuthError, BackendError, NotConnected, Offline, RateLimited, SignInAgain

LOGIN_COMMAND = "scanner-app login zoho"
SIGN_IN_AGAIN = f"sign in again: run {LOGIN_COMMAND}"


def needs_sign_in(error: BaseException) -> bool:
    """Only a person can fix it: the saved sign-in was refused."""
    return isinstance(error, SignInAgain)


def explain_sync_error(error: BaseException, sign_in_hint: str = SIGN_IN_AGAIN) -> str:
    """One sentence for a failed sync (or test connection); ``sign_in_hint`` says where to
    sign in again (the CLI names the command, the window its settings dialog)."""
    if isinstance(error, SignInAgain):
        return f"Zoho refused the saved sign-in (client secret or refresh token): {sign_in_hint}"
    if isinstance(error, Offline):
        return (f"Zoho Inventory cannot be reached: {error.message}. "
                "Scans are still answered from the local copy of the catalogue")
    if isinstance(error, RateLimited):
        wait = f" for about {error.retry_after:.0f} s" if error.retry_after else ""
        return f"Zoho asks for fewer requests{wait}: {error.message}. The next sync will try again"
    if isinstance(error, AuthError):
        return f"Zoho refused the call: {error}. Check the organisation ID and the client's scopes"
    if isinstance(error, BackendError):
        return str(error)
    return f"sync failed: {error}"


def headline_sync_error(error: BaseException) -> str:
    """A few words for a status bar (the whole sentence goes in its tooltip)."""
    if isinstance(error, SignInAgain):
        return "Zoho refused the saved sign-in"
    if isinstance(error, NotConnected):
        return "not set up for Zoho Inventory (Station > Settings)"
    if isinstance(error, Offline):
        return "offline: answering from the local copy"
    if isinstance(error, RateLimited):
        return "Zoho asks for fewer requests; trying again later"
    return "the last sync failed"


def describe_age(seconds: float) -> str:
    """"just now", "3 min ago", "2 h ago", "5 days ago"."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"
