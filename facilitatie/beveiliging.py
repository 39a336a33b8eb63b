"""What every response carries, and which proxies are believed.

Headers come from flask-talisman (`extensions.talisman`), set up here and called from
create_app:

- a strict Content-Security-Policy: scripts, styles, images, fonts and connections only from
  this origin (`'self'` includes this host's ws:/wss: for the socket), no inline script or
  style, no eval (htmx is told so in base.html's `htmx-config`), no framing
  (`frame-ancestors 'none'` plus X-Frame-Options DENY), forms post only here;
- X-Content-Type-Options nosniff, a Referrer-Policy that keeps paths (deelnamecodes, volglinks)
  inside the site, a Permissions-Policy that switches off what Ontmoet never uses;
- HSTS only on a response to an https request (browsers ignore it over http anyway);
- `Cache-Control: no-store` on every response to a signed-in user, so a shared computer's back
  button or cache does not show someone's work after they signed out.

Proxies (`ONTMOET_PROXIES`, CONTRACT.md): N trusted hops. werkzeug's ProxyFix takes the client
address and the scheme from the last N entries of X-Forwarded-For / X-Forwarded-Proto, and
nothing else (no X-Forwarded-Host: a proxy that passes a client's header through unchanged
would let it choose the links in mails). With 0, nothing a client sends in those headers
counts. The session cookie is Secure whenever the request is https (`SessionInterface` in
create_app), and the sign-in and join limits count `request.remote_addr`: the real client.
"""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from facilitatie.extensions import talisman

SELF = "'self'"

CSP: dict[str, str] = {
    "default-src": SELF,
    "script-src": SELF,
    "style-src": SELF,
    "img-src": SELF,
    "font-src": SELF,
    "connect-src": SELF,
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": SELF,
    "frame-ancestors": "'none'",
}

# Features no page of Ontmoet uses; the QR code is scanned by the phone's own camera app.
PERMISSIONS_POLICY: dict[str, str] = {
    "accelerometer": "()",
    "browsing-topics": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
    "interest-cohort": "()",
}

REFERRER_POLICY = "strict-origin-when-cross-origin"
HSTS_SECONDEN = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Security headers on every response; no-store for signed-in users."""
    # Registered before Talisman's own hook, so it runs after it (Flask runs them in reverse)
    # and a page that asked for no referrer at all keeps that.
    app.after_request(_geen_referrer_waar_gevraagd)
    talisman.init_app(
        app,
        content_security_policy=CSP,
        permissions_policy=PERMISSIONS_POLICY,
        frame_options="DENY",
        referrer_policy=REFERRER_POLICY,
        # No redirect to https here: TLS ends at the proxy, and `make run` serves plain http.
        force_https=False,
        strict_transport_security=True,
        strict_transport_security_max_age=HSTS_SECONDEN,
        strict_transport_security_include_subdomains=False,
        # Not forced on for every request: Secure per request, whenever it came in over https.
        session_cookie_secure=False,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )
    app.after_request(_niet_bewaren)


def statische_headers() -> dict[str, str]:
    """The same security headers for static files, which are answered before Flask (statisch.py)."""
    return {
        "Content-Security-Policy": "; ".join(f"{k} {v}" for k, v in CSP.items()),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
        "Permissions-Policy": ", ".join(f"{k}={v}" for k, v in PERMISSIONS_POLICY.items()),
    }


def https_headers() -> dict[str, str]:
    """What only a response to an https request carries."""
    return {"Strict-Transport-Security": f"max-age={HSTS_SECONDEN}"}


_GEEN_REFERRER = "ontmoet_geen_referrer"


def geen_referrer() -> None:
    """This response sends no Referer at all, not even within the site: a page whose address is
    itself a secret (the volglink, /volg/<token>) must not hand it to the next page's log."""
    request.environ[_GEEN_REFERRER] = True  # per request (not `g`, which an app context can outlive)


def _geen_referrer_waar_gevraagd(response: Response) -> Response:
    if request.environ.get(_GEEN_REFERRER):
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _niet_bewaren(response: Response) -> Response:
    """A signed-in user's pages are never stored (shared computers, the back button)."""
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def vertrouw_proxies(app: Flask, hops: int) -> None:
    """Believe X-Forwarded-For and X-Forwarded-Proto from `hops` trusted proxies (0: none).

    Wraps the whole WSGI stack, the Socket.IO middleware included, so socket connections see the
    same client address and scheme as pages do.
    """
    if hops < 0:
        raise ValueError("ONTMOET_PROXIES is het aantal vertrouwde proxies: 0 of meer.")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)  # type: ignore[method-assign]
