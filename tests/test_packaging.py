"""`pip install .` gives a complete portal: the wheel carries templates, static files,
migrations and seeds inside the package, and an installed copy serves pages from them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Packaging does not depend on the database: run once, in the SQLite phase of scripts/test.sh.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("PORTAL_TEST_DATABASE_URL")), reason="runs in the SQLite phase"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # setuptools stages files in build/lib and keeps them between builds: start clean.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
    )  # fmt: skip
    (found,) = out.glob("portal_sinergi-*.whl")
    return found


def test_wheel_contains_everything_the_portal_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "portal/__init__.py",
        "portal/templates/base.html",
        "portal/templates/auth/login.html",
        "portal/static/vendor/leaflet-1.9.4/leaflet.js",
        "portal/migrations/env.py",
        "portal/migrations/alembic.ini",
        "portal/migrations/script.py.mako",
        "portal/migrations/versions/20261123_01_foundation.py",
        "portal/seeds/organisations.yaml",
    }
    assert expected <= names
    for folder in ("templates", "static", "migrations", "seeds"):
        in_repo = {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert {f"portal/{name}" for name in in_repo} <= names, folder
    assert not any("__pycache__" in name for name in names)


def test_installed_portal_migrates_and_serves_pages(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)  # what pip does with a pure-Python wheel
    script = textwrap.dedent(
        """
        import portal
        from portal import create_app, resources
        from flask_migrate import upgrade
        from portal.seeding import load_seeds
        from portal.extensions import db

        assert resources.INSTALLED, resources.ROOT
        app = create_app({"TESTING": True, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade()
            load_seeds()
            db.session.commit()
        client = app.test_client()
        page = client.get("/masuk")
        assert page.status_code == 200 and "Portal Sinergi" in page.get_data(as_text=True)
        css = client.get("/static/vendor/bootstrap-5.3.3/css/bootstrap.min.css")
        assert css.status_code == 200
        css.close()
        print("OK", portal.__file__, app.instance_path)
        """
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PYTHONPATH"] = str(target)  # the installed copy, not this checkout
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    _, module, instance = result.stdout.split()
    assert module.startswith(str(target))
    assert instance == str(work / "instance")
    assert (work / "instance" / "portal.db").is_file()
