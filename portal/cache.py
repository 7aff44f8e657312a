"""A short-lived cache for figures computed from many records (the monitoring aggregates).

``cached(namespace, key, compute)`` returns the value computed at most once per
request, and shared between requests (and between instances when
``CACHE_URL`` names a Redis server) for ``CACHE_SECONDS``. Every committed
change to a business record starts a new *generation*: entries of older
generations are never read again, on this instance or any other sharing the
store (without Redis: every process of the host, through a file in the instance
folder), so a page never shows figures older than the last saved change. The
figures kept: monitoring aggregates, reminders, candidate slots, drawn maps and
the totals of the work lists (``pagination.kept_total``).
Audit rows, sign-ins (their session, throttle and time of sign-in) and
notifications do not count as changes: no figure is computed from them, and a GET
that audits a read, a morning of sign-ins or the notification worker would
otherwise empty the cache again and again.

With ``CACHE_SECONDS = 0`` (under TESTING unless ``TEST_CACHE_SECONDS``) only
the per-request memo is kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle  # noqa: S403 - only values this module wrote to a private store
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, scoped_session

T = TypeVar("T")

_GENERATION = "portal:cache:generation"
# Tables whose rows do not change any cached figure.
_IGNORED_TABLES = {
    "audit_log",
    "login_throttle",
    "api_token",
    "user_session",
    "notification",
    "notification_delivery",
    "notification_preference",
}
# Columns of other tables whose change alone is no change to a figure.
_IGNORED_COLUMNS = {"user_account": {"last_login_at"}}


class LocalStore:
    """Values kept as they are in this process, each until its time is up.

    Alone it holds read-only values as objects (no copy): a few large tables (the
    candidate slots of each Bapas) and the monitoring summaries of each scope; as
    the base of ``MemoryStore`` it holds pickled figures.
    """

    def __init__(self, limit: int = 128) -> None:
        self._data: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, key: str) -> Any | None:
        with self._lock:
            item = self._data.get(key)
            if item is None or item[0] < time.monotonic():
                self._data.pop(key, None)
                return None
            return item[1]

    def set(self, key: str, value: Any, seconds: int) -> None:
        with self._lock:
            if len(self._data) >= self._limit:
                now = time.monotonic()
                self._data = {k: v for k, v in self._data.items() if v[0] >= now}
            if len(self._data) >= self._limit:
                # Still full: drop the half closest to expiry (older generations first).
                for old in sorted(self._data, key=lambda k: self._data[k][0])[: self._limit // 2]:
                    del self._data[old]
            self._data[key] = (time.monotonic() + seconds, value)


class MemoryStore(LocalStore):
    """One process's store (the default; each gunicorn worker has its own).

    With a ``marker`` file (in the instance folder) the generation is the host's: each
    change writes a new token there and every process reads it at its next view, so a
    change saved by one worker is never followed by another worker's older figures (the
    embedded set-up runs two workers). Without one, or when it cannot be read or written,
    the generation is this process's own.
    """

    def __init__(self, marker: str | None = None) -> None:
        super().__init__(limit=1000)
        self.local = LocalStore()
        self._marker = marker

    def generation(self) -> str:
        if self._marker is not None:
            try:
                with open(self._marker, encoding="ascii") as file:
                    return "h" + file.read(64)
            except OSError:
                pass  # not written yet, or the folder is read-only: this process's own
        item = self._data.get(_GENERATION)
        return item[1].decode() if item else "0"

    def bump(self) -> None:
        with self._lock:
            item = self._data.get(_GENERATION)
            own = int(item[1]) if item else 0
            self._data[_GENERATION] = (float("inf"), str(own + 1).encode())
        if self._marker is not None:
            # A new file put in place at once: a reader sees the old token or the new.
            written = f"{self._marker}.{os.getpid()}.{threading.get_ident()}"
            try:
                with open(written, "w", encoding="ascii") as file:
                    file.write(secrets.token_hex(8))
                os.replace(written, self._marker)
            except OSError:
                pass  # cached figures then follow this process's own changes only


class RedisStore:
    """A Redis server shared by every instance (``CACHE_URL=redis://...``)."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self.local = LocalStore()

    def get(self, key: str) -> bytes | None:
        # redis-py types get() for its sync and async clients at once (a value or an awaitable).
        return self._redis.get(key)  # type: ignore[return-value]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        self._redis.set(key, value, ex=seconds)

    def generation(self) -> str:
        return str(int(self._redis.get(_GENERATION) or 0))

    def bump(self) -> None:
        self._redis.incr(_GENERATION)


def init_app(app: Flask) -> None:
    """Choose the store from ``CACHE_URL`` (empty: this process's memory)."""
    url = app.config.get("CACHE_URL") or ""
    if app.testing:
        # Tests write records outside requests between reads: no sharing unless asked for.
        app.config["CACHE_SECONDS"] = app.config.get("TEST_CACHE_SECONDS", 0)
    # The host's generation in the instance folder; tests keep theirs in memory.
    marker = None if app.testing else os.path.join(app.instance_path, "cache-generation")
    app.extensions["portal_cache"] = RedisStore(url) if url else MemoryStore(marker)


def _store() -> MemoryStore | RedisStore:
    store: MemoryStore | RedisStore = current_app.extensions["portal_cache"]
    return store


def _memo() -> dict[str, Any]:
    if not has_request_context():
        return {}
    memo: dict[str, Any] = g.setdefault("portal_cache", {})
    return memo


def cached(namespace: str, key: str, compute: Callable[[], T], *, local: bool = False) -> T:
    """``compute()``'s value for ``key``, from the cache when a fresh one is there.

    ``local=True`` keeps the value as it is in this process instead of a copy in
    the shared store: for large tables read by many requests, where unpickling
    would cost what computing does. The generation still comes from the shared
    store, so a change saved on any instance is seen here too.
    """
    if not has_app_context():
        return compute()
    memo = _memo()
    seconds = int(current_app.config.get("CACHE_SECONDS", 60))
    if "generation" not in memo:
        memo["generation"] = _store().generation() if seconds > 0 else "0"
    full = f"portal:cache:{namespace}:{memo['generation']}:{key}"
    # The memo and the store hold what ``compute`` returned for the same key.
    if full in memo:
        return cast(T, memo[full])
    if seconds > 0:
        if local:
            found = _store().local.get(full)
            if found is not None:
                memo[full] = found
                return cast(T, found)
        else:
            raw = _store().get(full)
            if raw is not None:
                memo[full] = pickle.loads(raw)  # noqa: S301 - written by this module only
                return cast(T, memo[full])
    value = compute()
    memo[full] = value
    if seconds > 0:
        if local:
            _store().local.set(full, value, seconds)
        else:
            _store().set(full, pickle.dumps(value), seconds)
    return value


def drawn(namespace: str, inputs: Any, draw: Callable[[], T]) -> T:
    """``draw()``'s value for ``inputs`` (records given by value: tuples, numbers, text).

    For output that depends only on what it is drawn from (a rendered map): the key
    is a digest of the inputs' ``repr``, so a reader who sees other records gets
    another entry, and equal inputs share one.
    """
    digest = hashlib.blake2b(repr(inputs).encode(), digest_size=16).hexdigest()
    return cached(namespace, digest, draw)


def per_request(key: str, compute: Callable[[], T]) -> T:
    """``compute()``'s value, computed once per request until a change is flushed.

    For records read by several parts of one page (the agreements a user may see,
    read by the banner, the widgets and the filters): the objects are the
    session's own, never copied. Any flush that changes a record forgets them.
    """
    if not has_request_context():
        return compute()
    memo: dict[str, Any] = g.setdefault("portal_request_memo", {})
    if key not in memo:
        memo[key] = compute()
    return cast(T, memo[key])


def invalidate() -> None:
    """Start a new generation: every cached figure is recomputed on next use."""
    if not has_app_context():
        return
    g.pop("portal_cache", None)
    _store().bump()


def _counts(obj: Any, dirty: bool) -> bool:
    """Whether writing ``obj`` may change a cached figure."""
    table = str(getattr(obj, "__tablename__", ""))
    if table in _IGNORED_TABLES:
        return False
    ignored = _IGNORED_COLUMNS.get(table)
    if not dirty or ignored is None:
        return True
    return any(attr.history.has_changes() for attr in inspect(obj).attrs if attr.key not in ignored)


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, flush_context: Any) -> None:
    changed = any(_counts(obj, dirty=False) for obj in (*session.new, *session.deleted)) or any(
        _counts(obj, dirty=True) for obj in session.dirty
    )
    if changed:
        _changed(session)


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state: Any) -> None:
    # Bulk INSERT/UPDATE/DELETE statements bypass the unit of work's lists.
    if not state.is_select:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table not in _IGNORED_TABLES:
            _changed(state.session)


def changed(session: Session | scoped_session[Any]) -> None:
    """A record changed by a statement on the session's connection (which no ORM event
    sees): the cache starts afresh at the commit, as for any other change."""
    _changed(session() if isinstance(session, scoped_session) else session)


def _changed(session: Session) -> None:
    """A record changed: the cache starts afresh at the commit, this request's memo now."""
    session.info["portal_cache_dirty"] = True
    if has_request_context():
        g.pop("portal_request_memo", None)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    dirty = session.info.pop("portal_cache_dirty", False)
    if dirty and has_app_context() and "portal_cache" in current_app.extensions:
        invalidate()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("portal_cache_dirty", None)
