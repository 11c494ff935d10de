"""Where a redirect may go: only to a path on this site."""

from urllib.parse import urlsplit


def safe_local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: a link cannot send anyone elsewhere.

    urlsplit drops tabs and line breaks the way browsers do, so "/\t/evil.example" is caught.
    """
    if not target:
        return None
    parts = urlsplit(target)
    if target.startswith("/") and not parts.scheme and not parts.netloc:
        return target
    return None
