"""Sign-in, sign-out, password and profile (by password or SSO), sessions and API tokens."""

from portal.auth import oidc  # noqa: F401 - the SSO pages register on bp
from portal.auth.routes import bp

__all__ = ["bp"]
