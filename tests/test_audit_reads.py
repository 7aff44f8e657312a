"""A read's audit row is written when the request commits (after the page is drawn); on
SQLite a worker whose snapshot aged meanwhile still saves it, without a refused write
first, and the page answers 200."""

from __future__ import annotations

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from sqlalchemy import event, select, text

from portal.extensions import db
from portal.models import AuditLog
from tests.committed import World
from tests.signin import sign_in_cookie

pytestmark = pytest.mark.commits


def test_a_read_is_saved_when_another_worker_wrote_while_its_page_was_drawn(
    app: Flask, committed_world: World
) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the aged snapshot is SQLite's (PostgreSQL writes from any transaction)")
    with app.app_context():
        world = committed_world.open(series="8")
        klien = world.client(1)
        db.session.commit()
        # A plain client, as a browser of a real server (not the rolled-back fixtures').
        browser = FlaskClient(app, app.response_class)
        sign_in_cookie(browser, world.pk)
        db.session.commit()
        klien_id, bapas_id, reader = klien.id, world.bapas.id, world.pk.username

    def other_worker_writes(sender: Flask, **extra: object) -> None:
        # While this request's page is drawn, another connection commits a change.
        with db.engine.connect() as other:
            other.execute(
                text("UPDATE bapas SET absences_for_case = absences_for_case + 1 WHERE id = :b"),
                {"b": bapas_id},
            )
            other.commit()

    refused: list[str] = []

    def note_error(context: object) -> None:
        refused.append(str(getattr(context, "original_exception", context)))

    template_rendered.connect(other_worker_writes, app)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "handle_error", note_error)
    try:
        answer = browser.get(f"/klien/{klien_id}")
    finally:
        template_rendered.disconnect(other_worker_writes, app)
        event.remove(engine, "handle_error", note_error)
    assert answer.status_code == 200
    # Its read transaction ended before it wrote: no write was refused and made again.
    assert refused == []
    with app.app_context():
        viewed = db.session.scalars(
            select(AuditLog).where(
                AuditLog.action == "client_viewed", AuditLog.object_id == str(klien_id)
            )
        ).all()
        assert [row.username for row in viewed] == [reader]
