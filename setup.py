"""Packaging beside pyproject.toml: the top-level templates/, static/, migrations/
and seeds/ go into the wheel as data of the ``portal`` package (``portal/templates``
...), where portal/resources.py finds them in an installed portal."""

from setuptools import find_packages, setup

DATA_DIRS = ("templates", "static", "migrations", "seeds")

setup(
    packages=find_packages(include=["portal", "portal.*"]) + [f"portal.{d}" for d in DATA_DIRS],
    package_dir={f"portal.{d}": d for d in DATA_DIRS},
    package_data={f"portal.{d}": ["**/*"] for d in DATA_DIRS},
    exclude_package_data={f"portal.{d}": ["**/__pycache__/*", "**/*.pyc"] for d in DATA_DIRS},
    include_package_data=False,
)
