"""Web glue shared by all blueprints: access decorators, errors, headers, filters."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, TypeVar
from urllib.parse import urlsplit

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import Babel
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError
from jinja2.runtime import Context
from markupsafe import Markup, escape
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as SQLATimeoutError
from sqlalchemy.orm.interfaces import ORMOption
from werkzeug.exceptions import Forbidden as ForbiddenHTTP
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal import clock, codes, database, forms, policy
from portal.durations import hours_text
from portal.extensions import db, login_manager
from portal.models import Client
from portal.navigation import nav_for
from portal.refusals import Forbidden, Refused

F = TypeVar("F", bound=Callable[..., Any])

# The portal speaks Bahasa Indonesia only (Flask-Babel's locale for every request).
LOCALE = "id"


def require(action: str) -> Callable[[F], F]:
    """Decorator: signed in, and the role may do ``action``; otherwise 403."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not policy.may(current_user, action):
                abort(403)
            if request.method != "GET" or db.engine.dialect.name != "sqlite":
                return view(*args, **kwargs)
            # SQLite: a GET that audits a read cannot write once another worker wrote
            # after its first read (WAL snapshot). Nothing was saved: run it again,
            # this time holding the write lock from the start (portal.database).
            try:
                return view(*args, **kwargs)
            except OperationalError as err:
                if not database.snapshot_aged(err):
                    raise
                db.session.rollback()
                database.write_from_start()
                return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def ensure_visible(allowed: bool) -> None:
    """Abort with 404 when a record lies outside the user's organisation."""
    if not allowed:
        abort(404)


R = TypeVar("R")


def visible(record: R | None, sees: Callable[[Any, R], bool]) -> R:
    """The record read, or 404 when there is none or ``sees(current_user, record)`` says no."""
    if record is None:
        abort(404)
    ensure_visible(sees(current_user, record))
    return record


def visible_or_404(
    model: type[R], record_id: int, sees: Callable[[Any, R], bool], *options: ORMOption
) -> R:
    """The record, or 404 when it does not exist or ``sees(current_user, record)`` says no
    (``options``: what to load with it, e.g. the relations its page draws)."""
    return visible(db.session.get(model, record_id, options=options), sees)


def visible_client(client_id: int) -> Client:
    """The client, or 404 outside the user's Bapas (and for roles that see no client)."""
    return visible_or_404(Client, client_id, policy.can_see_client)


def client_record(client_id: int, model: type[R], record_id: int) -> tuple[Client, R]:
    """A record of a visible client (one of his documents, Litmas, ...), or 404."""
    client = visible_client(client_id)
    record: Any = db.session.get(model, record_id)
    if record is None or record.client_id != client.id:
        abort(404)
    return client, record


def stored_file(path: Path | None) -> Path:
    """The path of an uploaded file that is still on disk, or 404."""
    if path is None or not path.is_file():
        abort(404)
    return path


def client_file(
    client_id: int, model: type[R], record_id: int, path_of: Callable[[str, R], Path | None]
) -> tuple[Client, R, Path]:
    """A visible client's record with a stored file (a document, a Litmas) and the file's
    path on disk; 404 when either is missing."""
    client, record = client_record(client_id, model, record_id)
    return client, record, stored_file(path_of(current_app.config["UPLOAD_FOLDER"], record))


@contextmanager
def saving(done: str | Callable[[], str], *, refused: str = "Tidak disimpan: ") -> Iterator[None]:
    """Around the save of a small form posted from a section of a page: ``done`` is
    flashed when it went through; a refusal is flashed after ``refused`` and the request
    rolled back (``forms.show_refused``). Either way the view goes back to its page."""
    try:
        yield
    except Refused as refusal:
        forms.show_refused(refusal, prefix=refused)
    else:
        flash(done() if callable(done) else done, "success")


def upload_limit() -> int:
    """Largest file an upload form takes, in bytes (EVIDENCE_MAX_MB, default 5 MB): the same
    for client documents, Litmas, scanned addenda and Rencana Kerja evidence."""
    return int(current_app.config.get("EVIDENCE_MAX_MB", 5)) * 1024 * 1024


def map_settings() -> dict[str, Any]:
    """The tile server of the portal's maps, for the page's script."""
    cfg = current_app.config
    return {
        "tiles": cfg["MAP_TILE_URL"],
        "attribution": cfg["MAP_TILE_ATTRIBUTION"],
        "maxZoom": cfg["MAP_TILE_MAX_ZOOM"],
    }


def safe_next(target: str | None, default: str) -> str:
    """Accept a redirect target only when it stays on this site (no scheme, no host)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


# Short names of Indonesia's three time zones, shown after every time of day.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_name() -> str:
    """WIB, WITA or WIT for the portal's zone (PORTAL_TIMEZONE), else the zone's name."""
    key = clock.zone().key
    return ZONE_NAMES.get(key, key)


def format_date(value: date | datetime | None, fmt: str = "long") -> str:
    """A date in Indonesian (Flask-Babel, locale id): '27 November 2025' (long),
    '27-11-2025' (short); a timestamp with 'datetime': '27 November 2025, 14:30 WIB'."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = clock.local(value)
        if fmt == "datetime":
            # Babel's "d MMMM y, HH:mm": the remembered date, then the time of day.
            return f"{_date_text(value.date(), 'd MMMM y')}, {value:%H:%M} {zone_name()}"
        value = value.date()
    return _date_text(value, "dd-MM-y" if fmt == "short" else "d MMMM y")


@functools.lru_cache(maxsize=4096)
def _date_text(value: date, pattern: str) -> str:
    """Babel's text of a date in the portal's only locale, remembered: a list shows the
    same few dates many times, and each formatting costs what reading a row does."""
    return babel_dates.format_date(value, pattern, locale=LOCALE)


@functools.lru_cache(maxsize=4096)
def format_clock(start: time, end: time | None = None) -> str:
    """A time of day as the clock reads it, or a stretch of one: '08:00', '08:00–12:00'
    (a session's or a record's hours, already wall-clock times). Remembered: a list shows
    the same few hours on every row, and each time's text costs what reading a row does."""
    return f"{start:%H:%M}" if end is None else f"{start:%H:%M}–{end:%H:%M}"


def format_time(value: datetime | None) -> str:
    """A time of day with its zone: '14:30 WIB'."""
    if value is None:
        return "—"
    return f"{clock.local(value):%H:%M} {zone_name()}"  # Babel's "HH:mm" in the locale id


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """A number with Indonesian separators (Flask-Babel, locale id): 1.234,5."""
    if value is None:
        return "—"
    return _number_text(value, "#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@functools.lru_cache(maxsize=4096)
def _number_text(value: float | int, pattern: str) -> str:
    """Babel's text of a number in the portal's locale, remembered like dates."""
    return babel_numbers.format_decimal(value, format=pattern, locale=LOCALE)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Permissions-Policy", "geolocation=(self), camera=(self), microphone=()"
    )
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    tiles = g.get("csp_img_extra", "")
    # Inline scripts run only with this request's nonce (folium's map scripts carry it).
    nonce = g.get("csp_nonce")
    scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"img-src 'self' data: blob: {tiles}; "
        "style-src 'self' 'unsafe-inline'; "
        f"script-src {scripts}; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        f"base-uri 'self'; form-action 'self'{_sso_form_target()}",
    )
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # is_anonymous, not is_authenticated: the request has committed by now and the
    # latter would read the (expired) account again in a transaction of its own.
    if not current_user.is_anonymous:
        # Pages carry confidential data: keep them out of shared caches.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _sso_form_target() -> str:
    """The identity provider's origin: signing out (a form) ends at its logout page."""
    from flask import current_app

    issuer = current_app.config.get("OIDC_ISSUER")
    if not issuer or not current_app.config.get("OIDC_CLIENT_ID"):
        return ""
    parts = urlsplit(str(issuer))
    return f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def csp_nonce() -> str:
    """The request's Content-Security-Policy nonce for an inline ``<script>``."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


@functools.lru_cache(maxsize=1024)
def badge(text: str, colour: str = "secondary", icon: str | None = None) -> Markup:
    """A Bootstrap badge, optionally with an icon (a list draws one per row: a function,
    not a template macro, costs a fifth; remembered, as a list repeats a few states)."""
    mark = f'<i class="bi bi-{escape(icon)} me-1" aria-hidden="true"></i>' if icon else ""
    return Markup(f'<span class="badge text-bg-{escape(colour)}">{mark}{escape(text)}</span>')  # noqa: S704 - every value escaped


def client_label(client: Any, show_name: bool) -> Markup:
    """``client`` (anything with his ``code`` and ``full_name``: a client or a row) as a
    page names him: his name and code for the Bapas side, the code alone for everyone else
    (``policy.sees_client_identity``). The ``|klien(show_name)`` filter: attendance lists
    name one a row, and a filter costs a third of a template macro."""
    if show_name:
        name, code = escape(client.full_name), escape(client.code)
        return Markup(f'{name} <span class="text-muted small">({code})</span>')  # noqa: S704 - escaped
    return Markup(f'<span class="font-monospace">{escape(client.code)}</span>')  # noqa: S704 - escaped


def progress_bar(done: int, pending: int, label: str = "Jam terverifikasi") -> Markup:
    """A progress bar of ``done`` percent (its figure shown from 8%) and ``pending`` percent
    waiting beside it: the hours ledger's bar, drawn once per row of a list (a function)."""
    figure = f"{done}%" if done >= 8 else ""
    return Markup(  # noqa: S704 - numbers and an escaped label only
        f'<div class="progress" role="progressbar" aria-label="{escape(label)}" '
        f'aria-valuenow="{int(done)}" aria-valuemin="0" aria-valuemax="100" '
        f'style="height: 1.1rem">\n'
        f'  <div class="progress-bar bg-success" style="width: {int(done)}%">{figure}</div>\n'
        f'  <div class="progress-bar bg-warning text-dark" style="width: {int(pending)}%" '
        f'title="Menunggu verifikasi"></div>\n</div>'
    )


# Links already built, per application: a page builds the same few dozen (stylesheets,
# menu, sort headers, pages) on every view, each a walk of the URL map.
_URLS_MAX = 4096


def cached_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` for templates, each link built once per script root: the same endpoint
    and values always give the same relative URL (the portal has no URL defaults). Links
    with options (``_external``, ``_anchor``...) or values that cannot be keys are built."""
    try:
        key = (request.script_root, endpoint, tuple(sorted(values.items())))
        hash(key)
    except TypeError:
        return url_for(endpoint, **values)
    if endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    urls: dict[Any, str] = current_app.extensions.setdefault("portal_urls", {})
    url = urls.get(key)
    if url is None:
        if len(urls) >= _URLS_MAX:
            urls.clear()
        url = urls[key] = url_for(endpoint, **values)
    return url


_MARKER = 987654321


def url_pattern(endpoint: str, name: str) -> Callable[[int], str]:
    """``url_for(endpoint, **{name: id})`` for a list's many ids, the route built once:
    a list links each of its rows to its record."""
    values: dict[str, Any] = {name: _MARKER}
    url = url_for(endpoint, **values)
    head, _, tail = url.partition(str(_MARKER))
    return lambda record_id: f"{head}{int(record_id)}{tail}"


# What a template calls most (the portal's helpers, url_for, lru_cache'd helpers, a bound
# method): plain callables that Jinja's ``Context.call`` inspects at every call.
_PLAIN_CALLABLES = frozenset(
    {FunctionType, BuiltinFunctionType, MethodType, type(functools.lru_cache(len))}
)


class TemplateContext(Context):
    """Jinja's context, calling plain functions without its inspection: ``{{ f(x) }}``
    costs what ``{{ x|f }}`` does. A list calls a few helpers a row (its link, a badge, a
    date): Jinja's ``call`` looks for a ``__call__`` taking a context and asks twice whether
    the callable wants one, 1.3 microseconds a call, 5% of a placement list."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's
        """``__obj(*args, **kwargs)``; a callable marked to take the context, the
        environment or a macro goes through Jinja's ``Context.call``."""
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return Context.call(__self, __obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


_SCRIPT_TAG = re.compile(r"<script(?=[\s>])")


def with_nonce(html: Markup) -> Markup:
    """Trusted generated HTML (folium's map header) with the nonce on each ``<script>``."""
    tagged = _SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', str(html))
    return Markup(tagged)  # noqa: S704 - only an attribute is added to trusted markup


def _error_page(error: HTTPException) -> tuple[str, int] | Response:
    if _is_api_path():
        # Unknown paths and wrong methods under /api/v1 match no API view: answer in JSON.
        from portal.api.errors import handle_http_exception

        return handle_http_exception(error)
    code = error.code or 500
    template = f"errors/{code}.html" if code in (403, 404, 429) else "errors/generic.html"
    return render_template(template, error=error, code=code), code


def _forbidden(error: Forbidden) -> Any:
    """A service's Forbidden outside a form is the 403 page (JSON under /api/v1)."""
    return _error_page(ForbiddenHTTP())


def _server_error(error: Exception) -> tuple[str, int] | Response:
    if _is_api_path():
        from portal.api.errors import handle_server_error

        return handle_server_error(error)
    db.session.rollback()
    return render_template("errors/500.html", code=500), 500


RETRY_AFTER_SECONDS = "30"


def _database_unavailable(error: Exception) -> tuple[str, int, dict[str, str]] | Response:
    """The database cannot be reached: 503, nothing was written; the next request retries."""
    if isinstance(error, DBAPIError) and not (
        isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated
    ):
        raise error  # any other database error is a server error, handled (and logged) as such
    current_app.logger.warning("database unavailable (503): %s", str(error).splitlines()[0])
    # Nothing below may ask the database again: no user is loaded for this answer.
    g._login_user = AnonymousUserMixin()
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()
    headers = {"Retry-After": RETRY_AFTER_SECONDS}
    if _is_api_path():
        from portal.api.errors import ApiError, error_response

        return error_response(ApiError(503, headers=headers))
    return render_template("errors/503.html"), 503, headers


def _is_api_path() -> bool:
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")


def _csrf_error(error: CSRFError) -> Response:
    flash("Sesi formulir kedaluwarsa atau tidak sah. Silakan ulangi.", "danger")
    return redirect(safe_next(request.referrer and urlsplit(request.referrer).path, "/"))


def _tile_origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in url:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


def init_app(app: Flask) -> None:
    """Register handlers, filters and guards on the app."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
    login_manager.login_message_category = "warning"

    app.after_request(_security_headers)
    from portal import ops

    ops.init_app(app)  # /healthz, /readyz, request ids, JSON logs, Sentry
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(500, _server_error)
    app.register_error_handler(Forbidden, _forbidden)
    for unavailable in (DBAPIError, SQLATimeoutError):
        app.register_error_handler(unavailable, _database_unavailable)
    app.register_error_handler(CSRFError, _csrf_error)

    tile_origin = _tile_origin(app.config["MAP_TILE_URL"])

    @app.before_request
    def _tiles_in_csp() -> None:
        g.csp_img_extra = tile_origin

    @app.context_processor
    def _the_account() -> dict[str, Any]:
        # The account itself in place of Flask-Login's proxy (registered before): the
        # layout alone reads it a dozen times, each a lookup through the proxy.
        return {"current_user": current_user._get_current_object()}  # type: ignore[attr-defined]

    # Dates, times and numbers in Indonesian: locale id, the zone of PORTAL_TIMEZONE.
    Babel(
        app,
        default_locale=LOCALE,
        default_timezone=app.config["TIMEZONE"],
        locale_selector=lambda: LOCALE,
    )
    app.jinja_env.context_class = TemplateContext
    app.jinja_env.filters["jam"] = format_time
    app.jinja_env.filters["pukul"] = format_clock
    app.jinja_env.filters["tanggal"] = format_date
    app.jinja_env.filters["angka"] = format_number
    app.jinja_env.filters["with_nonce"] = with_nonce
    app.jinja_env.filters["klien"] = client_label
    app.jinja_env.globals.update(
        url_for=cached_url_for,
        badge=badge,
        hours_text=hours_text,
        progress_bar=progress_bar,
        url_pattern=url_pattern,
        csp_nonce=csp_nonce,
        date_pattern=forms.DATE_PATTERN,
        time_pattern=forms.TIME_PATTERN,
        codes=codes,
        may=lambda action: current_user.is_authenticated and policy.may(current_user, action),
        nav_for=nav_for,
        today=clock.today,
    )
