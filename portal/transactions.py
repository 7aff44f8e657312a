"""One transaction per request: services flush and audit, the request commits or rolls back.

After the view has answered, a response below 400 commits everything the
request did (the records and their audit entries, reads' audit entries too);
an error answer, an exception, or a request marked failed (a refusal shown on
a form, even when the page then redirects) rolls it all back. Nothing else in
the web or API layer commits (``keep`` is for the few records that must outlive a
refusal); the CLI and the notification worker commit their
own batches.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from werkzeug.wrappers import Response

from portal import audit, database
from portal.extensions import db


def fail() -> None:
    """Mark this request failed: nothing it wrote is kept, whatever the status."""
    g.request_failed = True


def failed() -> bool:
    """Whether this request was marked failed."""
    return bool(g.get("request_failed"))


def keep() -> None:
    """Commit what the request has written so far, whatever its answer will be.

    For the few records that must outlive a refusal: a refused sign-in's count and
    audit entry (the answer may be 429), a token's last use (the API call may fail).
    """
    db.session.commit()


def finish(response: Response) -> Response:
    """Commit a successful request, roll back any other."""
    if response.status_code < 400 and not failed():
        reads = audit.reads_recorded()
        if reads and not _wrote(db.session()):
            # A request that only read: on SQLite its reads' rows are written in a
            # transaction holding the write lock from its start. Its read snapshot cannot
            # write once another worker has written since its first read, and under load
            # that is most requests (7 in 10 views of a client record with two workers
            # viewing records): each would fail its write, then roll back and write again.
            database.write_after_reading(len(reads))
        audit.save_reads(reads)
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _wrote(session: Session) -> bool:
    """Whether the session has changed anything since its transaction began."""
    return bool(session.info.get("wrote") or session.new or session.dirty or session.deleted)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: Any) -> None:
    session.info["wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info["wrote"] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop("wrote", None)


def _after_exception(error: BaseException | None) -> None:
    if error is not None:
        db.session.rollback()


def init_app(app: Flask) -> None:
    """Install the handler; register it last so it runs before the other after-request hooks."""
    app.after_request(finish)
    app.teardown_request(_after_exception)
