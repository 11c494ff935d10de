"""Security headers on every answer (OWASP ASVS 14.4), with a nonce for the one kind of inline
markup Plenary writes: a page's own <style> block (the programme grid's positions).

No page carries an inline script or a style attribute, so the Content-Security-Policy needs no
'unsafe-inline'; scripts come from static/ only.
"""

import secrets

from flask import Flask, g


def csp_nonce() -> str:
    """This request's nonce, for a <style> (or <script>) element the page writes itself."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_security_headers(app: Flask) -> None:
    """Set the headers on every response; HSTS only where the app says it is served on HTTPS
    (production, PLENARY_HSTS)."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # The camera is for the registration desk's badge scanner, on Plenary's own pages only.
        headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()"
        )
        if app.config.get("PLENARY_HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
