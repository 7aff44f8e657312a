"""Command-line tasks: ``flask --app portal seed | demo | create-admin | tokens | recount``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import Flask

from portal.extensions import db

if TYPE_CHECKING:
    from portal.models import User


def init_app(app: Flask) -> None:
    """Register the portal's commands on the app."""
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(tokens_group)
    app.cli.add_command(recount_command)


@click.command("seed")
def seed_command() -> None:
    """Load the reference data in seeds/ (safe to run again)."""
    from portal.seeding import load_seeds

    counts = load_seeds()
    db.session.commit()
    click.echo("Data acuan dimuat: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


@click.command("demo")
def demo_command() -> None:
    """Create the demo accounts and demo data (password: sinergi-demo)."""
    from portal.demo import DEMO_ACCOUNTS, load_demo

    load_demo()
    db.session.commit()
    click.echo("Akun demo (kata sandi: sinergi-demo): " + ", ".join(a[0] for a in DEMO_ACCOUNTS))


@click.command("create-admin")
@click.argument("username")
@click.option("--full-name", default="Admin Sistem", show_default=True)
@click.password_option("--password", prompt="Kata sandi")
def create_admin_command(username: str, full_name: str, password: str) -> None:
    """Create an admin account (or reset an existing admin's password)."""
    from portal.admin.services import UserData, save_user
    from portal.models import User
    from portal.refusals import Refused

    existing = db.session.scalar(db.select(User).where(User.username == username.lower()))
    try:
        save_user(UserData(username, full_name, None, "admin", "", password=password), existing)
    except Refused as err:
        raise click.ClickException(str(err)) from err
    db.session.commit()
    click.echo(f"Admin {username} siap.")


@click.group("tokens")
def tokens_group() -> None:
    """Personal API tokens: create, list, revoke."""


def _account(username: str) -> User:
    from portal.models import User

    user = db.session.scalar(db.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"Pengguna {username} tidak ditemukan.")
    return user


@tokens_group.command("create")
@click.argument("username")
@click.option("--name", default="Baris perintah", show_default=True, help="Nama pengenal token.")
@click.option("--days", type=int, default=None, help="Masa berlaku (hari); bawaan API_TOKEN_DAYS.")
def tokens_create_command(username: str, name: str, days: int | None) -> None:
    """Create a token for USERNAME and print only the token (shown once)."""
    from flask import current_app

    from portal.api.tokens import TokenError, create_token

    user = _account(username)
    try:
        _, plaintext = create_token(
            user, name, days or current_app.config["API_TOKEN_DAYS"], via="cli"
        )
    except TokenError as err:
        raise click.ClickException(str(err)) from err
    db.session.commit()
    click.echo(plaintext)


@tokens_group.command("list")
@click.argument("username")
def tokens_list_command(username: str) -> None:
    """List USERNAME's tokens: id, prefix, name, state, expiry, last use."""
    from portal.api.tokens import tokens_of
    from portal.models.base import utcnow

    now = utcnow()
    for token in tokens_of(_account(username)):
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "-"
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.name}\t{token.state(now)}\t"
            f"{token.expires_at.isoformat(timespec='minutes')}\t{used}"
        )


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke_command(token_id: int) -> None:
    """Revoke the token with id TOKEN_ID (see ``tokens list``)."""
    from portal.api.tokens import revoke_token
    from portal.models import ApiToken

    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"Token {token_id} tidak ditemukan.")
    revoke_token(token, via="cli")
    db.session.commit()
    click.echo(f"Token {token.prefix}… milik {token.user.username} dicabut.")


@click.command("recount")
@click.option(
    "--check",
    is_flag=True,
    help="Hanya periksa, tanpa mengubah apa pun; keluar dengan kode 1 bila ada yang salah.",
)
def recount_command(check: bool) -> None:
    """Check the totals kept beside the records and set them again from those records.

    Seats held, sessions, each placement's Bapas, OPD and weekdays, and the verified
    minutes per month: after an import or a repair made in SQL, outside the portal."""
    from portal import cache
    from portal.upkeep import recount_all

    wrong = recount_all(db.session.connection())
    for label, count in wrong.items():
        click.echo(f"{label}: " + (f"{count} baris salah" if count else "benar"))
    if check:
        db.session.rollback()
        if any(wrong.values()):
            raise click.exceptions.Exit(1)
        return
    db.session.commit()
    if any(wrong.values()):
        cache.invalidate()  # the figures computed from the wrong totals
        click.echo("Total yang salah sudah disetel ulang dari catatannya.")
