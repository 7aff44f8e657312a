"""WSGI entry points for the page benchmark (bench/scale_pages.py), served by gunicorn.

``portal_app``: the portal on ``BENCH_DATABASE_URL`` with the clock frozen at the
data set's date; ``bare_app``: a bare Flask + SQLAlchemy page rendering 50 slot
rows of the same database, the baseline. Both add a ``Server-Timing: app;dur=ms``
header measured around the application call.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from flask import Flask, render_template_string
from sqlalchemy import Date, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench.db")
TODAY = date.fromisoformat(os.environ.get("BENCH_TODAY", "2026-11-23"))


class ServerTiming:
    """WSGI middleware: the time spent in the application, as a Server-Timing header."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        t0 = time.perf_counter()

        def timed_start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            ms = (time.perf_counter() - t0) * 1000
            headers.append(("Server-Timing", f"app;dur={ms:.2f}"))
            return start_response(status, headers, *exc)

        return self.app(environ, timed_start)


def _wrap(app: Flask) -> Flask:
    app.wsgi_app = ServerTiming(app.wsgi_app)  # type: ignore[method-assign]
    return app


class Base(DeclarativeBase):
    pass


class BareSlot(Base):
    __tablename__ = "slot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String)
    address: Mapped[str] = mapped_column(String)
    capacity: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date] = mapped_column(Date)


BARE_PAGE = """<!doctype html><title>x</title><table>{% for s in slots %}
<tr><td>{{ s.id }}</td><td>{{ s.title }}</td><td>{{ s.address }}</td><td>{{ s.capacity }}</td>
<td>{{ s.valid_until }}</td></tr>{% endfor %}</table>"""


def _bare() -> Flask:
    app = Flask(__name__)
    engine = create_engine(URL)

    @app.route("/")
    def page() -> str:
        with Session(engine) as session:
            slots = session.scalars(select(BareSlot).order_by(BareSlot.id.desc()).limit(50)).all()
            return render_template_string(BARE_PAGE, slots=slots)

    return _wrap(app)


def __getattr__(name: str) -> Any:
    # Built on first use, so each gunicorn app loads only what it serves.
    if name == "portal_app":
        return _wrap(_portal_app())
    if name == "bare_app":
        return _bare()
    raise AttributeError(name)


def _portal_app() -> Flask:
    from portal import clock, create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": URL, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    clock.freeze(TODAY)
    return app
