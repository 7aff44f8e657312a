"""Sign a test client in without the password form, with a real server-side session."""

from __future__ import annotations

from flask.testing import FlaskClient

from portal.auth.sessions import SESSION_KEY, open_session
from portal.models import User


def sign_in_cookie(client: FlaskClient, account: User) -> None:
    """Give a test client the cookie of a fresh server-side session of ``account``."""
    token = open_session(account)
    with client.session_transaction() as session:
        session["_user_id"] = account.get_id()
        session["_fresh"] = True
        session[SESSION_KEY] = token
