"""Where the portal's templates, static files, migrations and seeds are.

In the repository they sit at its top level, beside ``portal/``; an installed
wheel carries them inside the package (``portal/templates`` ..., see setup.py).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
INSTALLED = (PACKAGE_DIR / "templates").is_dir()
ROOT = PACKAGE_DIR if INSTALLED else PACKAGE_DIR.parent

TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
MIGRATIONS = ROOT / "migrations"
SEEDS = ROOT / "seeds"


def instance_path() -> Path:
    """Writable files (demo database, secret key, uploads): PORTAL_INSTANCE_PATH, else
    ``instance/`` in the repository, or in the working directory for an installed portal."""
    configured = os.environ.get("PORTAL_INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    return (Path.cwd() if INSTALLED else ROOT) / "instance"
