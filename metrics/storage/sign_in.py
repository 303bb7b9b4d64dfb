"""The sign-in token the browser keeps, and the one-time ticket that turns a checked password into it.
Never imports Streamlit.

    ticket = issue_ticket(store, user, "/import?year=2025")   # the password was right: valid once, 30 s
    found = redeem_ticket(store, ticket)                       # the server route: (user, next) or None
    value = token(found.user, key)                              # what the HttpOnly cookie holds (7 days)
    holder(store, key, value)                                   # every page run: the user, or None

A page's script cannot set an HttpOnly cookie, and a server route cannot show a form: the script
checks the password and hands the browser a ticket; the route takes it (once, within seconds) and
sets the cookie. Tickets live in the database, not in a process, so the process that checked the
password need not be the one the browser reaches next; only a ticket's SHA-256 is stored.
A token counts only with the user's current session version (``metrics.storage.users``): signing out, a new
password, a new role or a locked account ends it.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import urllib.parse
from dataclasses import dataclass

import jwt

from metrics.storage import users

TICKET_SECONDS = 30  # from the password check to the browser at the route: a redirect, never a person
TOKEN_DAYS = 7
ALGORITHM = "HS256"
_CLAIMS = {"sub": str, "ver": str, "exp": int}


@dataclass(frozen=True)
class Redeemed:
    user: users.User
    next_path: str  # the page the person was on, an address of this site only


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8")).hexdigest()


def local_path(address: str | None, fallback: str = "/") -> str:
    """``address`` if it is a path of this site (``/import?year=2025``), else ``fallback``: never another
    site (``//evil.example``, ``https://…``, ``/\\evil``) to send a person to after signing in or out."""
    text = str(address or "")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme or parts.netloc or not text.startswith("/") or text.startswith("//") or "\\" in text:
        return fallback
    if any(ord(c) < 32 for c in text):
        return fallback
    return text


def issue_ticket(store, user: users.User, next_path: str, seconds: float = TICKET_SECONDS) -> str:
    """A new one-time ticket for ``user`` (whose password was just checked); tickets past their time are
    dropped on the way."""
    ticket = secrets.token_urlsafe(32)
    with store.transaction() as cur:
        cur.execute("DELETE FROM sign_in_tickets WHERE expires_at < now()")
        cur.execute("INSERT INTO sign_in_tickets (ticket_sha256, username, session_version, next_path, expires_at) "
                    "VALUES (?, ?, ?, ?, now() + CAST(? AS DOUBLE) * INTERVAL '1 second')",
                    [_digest(ticket), user.username, user.session_version, local_path(next_path), float(seconds)])
    return ticket


def redeem_ticket(store, ticket: str | None) -> Redeemed | None:
    """The ticket's user and page, once: the ticket is gone after this, used or not. None when it is
    unknown, used, past its time, or its user was locked or signed out meanwhile."""
    if not ticket or len(ticket) > 100:
        return None
    with store.transaction() as cur:  # one writer at a time (metrics.storage.db.Access): two requests cannot both get it
        found = cur.execute("DELETE FROM sign_in_tickets WHERE ticket_sha256 = ? "
                            "RETURNING username, session_version, next_path, expires_at >= now()",
                            [_digest(ticket)]).fetchall()
    if not found or not found[0][3]:
        return None
    username, version, next_path, _ = found[0]
    user = users.get(store, username)
    if user is None or not user.active or user.session_version != version:
        return None
    return Redeemed(user, local_path(next_path))


def token(user: users.User, key: str, days: int = TOKEN_DAYS) -> str:
    """The signed token of a sign-in: who, which session version, until when."""
    claims = {"sub": user.username, "ver": user.session_version, "exp": int(time.time()) + days * 86400}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def holder(store, key: str, value: str | None) -> users.User | None:
    """The user a token signs in, as the database says now; None for anything else: no token, another
    algorithm (``alg=none``, HS512), a bad signature, a missing or odd claim, past its time, a session
    ended since, a locked account."""
    claims = _claims(key, value)
    if claims is None:
        return None
    user = users.get(store, claims["sub"])
    if user is None or not user.active or user.session_version != claims["ver"]:
        return None
    return user


def _claims(key: str, value: str | None) -> dict | None:
    if not value or len(value) > 4096:
        return None
    try:
        claims = jwt.decode(value, key, algorithms=[ALGORITHM], options={"require": list(_CLAIMS)})
    except jwt.InvalidTokenError:
        return None
    if not all(isinstance(claims.get(name), kind) for name, kind in _CLAIMS.items()):
        return None
    return claims
