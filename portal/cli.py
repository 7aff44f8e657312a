"""Command-line tasks: ``flask --app portal seed | demo | create-admin``."""

from __future__ import annotations

import click
from flask import Flask

from portal.extensions import db


def init_app(app: Flask) -> None:
    """Register the portal's commands on the app."""
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_admin_command)


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
    from portal.admin.services import AccountError, UserData, save_user
    from portal.models import User

    existing = db.session.scalar(db.select(User).where(User.username == username.lower()))
    try:
        save_user(UserData(username, full_name, None, "admin", "", password=password), existing)
    except AccountError as err:
        raise click.ClickException(err.message) from err
    db.session.commit()
    click.echo(f"Admin {username} siap.")
