"""``flask --app portal notify --once | --loop``: time-based events, then the outbox."""

from __future__ import annotations

import logging
import time

import click

from portal.extensions import db
from portal.notifications.delivery import Outcome

log = logging.getLogger(__name__)


def run_once(batch: int = 200) -> tuple[int, Outcome]:
    """One pass: find time-based events (committed), then send what is due."""
    from portal.notifications.delivery import deliver_due
    from portal.notifications.scan import scan

    try:
        found = scan()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    outcome = deliver_due(batch=batch)
    return found, outcome


@click.command("notify")
@click.option("--once", "mode", flag_value="once", default=True, help="Satu putaran lalu keluar.")
@click.option("--loop", "mode", flag_value="loop", help="Terus berjalan (di samping gunicorn).")
@click.option("--interval", default=60, show_default=True, help="Jeda antarputaran (detik).")
@click.option("--batch", default=200, show_default=True, help="Pesan per transaksi.")
def notify_command(mode: str, interval: int, batch: int) -> None:
    """Find due time-based events and deliver e-mails and gateway messages."""
    from portal.notifications.delivery import available_channels

    if not available_channels():
        click.echo(
            "Peringatan: PORTAL_MAIL_SERVER dan PORTAL_WEBHOOK_URL belum diatur; "
            "pemberitahuan hanya masuk kotak masuk portal.",
            err=True,
        )
    while True:
        try:
            found, outcome = run_once(batch)
        except Exception as error:
            if mode == "once":
                raise
            # The database or a server may be away for a while: try again next round.
            db.session.rollback()
            log.exception("putaran notifikasi gagal: %s", error)
        else:
            click.echo(
                f"Kejadian terjadwal baru: {found}; terkirim: {outcome.sent}, "
                f"diulang nanti: {outcome.retried}, gagal: {outcome.failed}"
            )
        if mode == "once":
            return
        db.session.remove()
        time.sleep(interval)
