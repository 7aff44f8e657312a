"""Loading the reference data in seeds/ into the database, idempotently.

Every record is found by its natural key (a code or a number) and updated in
place, so running the loader twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy import select

from portal import resources
from portal.extensions import db
from portal.models import (
    Agreement,
    Bapas,
    JobCategory,
    JobForm,
    Opd,
    Pemda,
    PlaceType,
    WorkplanActivity,
)

SEEDS_DIR = resources.SEEDS
M = TypeVar("M")


def _load(name: str, seeds_dir: Path) -> dict[str, Any]:
    with (seeds_dir / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _upsert(model: type[M], key: dict[str, Any], values: dict[str, Any]) -> M:
    """Find the row by ``key`` or create it, then set ``values``; count changes in ``stats``."""
    stmt = select(model).filter_by(**key)
    row = db.session.scalar(stmt)
    if row is None:
        row = model(**key)
        db.session.add(row)
    for field, value in values.items():
        if getattr(row, field, None) != value:
            setattr(row, field, value)
    return row


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _pick(data: dict[str, Any], *fields: str, default: Callable[[], Any] = str) -> dict[str, Any]:
    return {f: data[f] if data.get(f) is not None else default() for f in fields}


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> dict[str, int]:
    """Load organisations, agreements and the catalogue; return row counts by kind."""
    orgs = _load("organisations.yaml", seeds_dir)
    bapas_by_code: dict[str, Bapas] = {}
    for item in orgs.get("bapas", []):
        values = _pick(item, "name", "full_name", "address", "city", "phone", "email", "head_name")
        values.update(lat=item.get("lat"), lng=item.get("lng"))
        bapas_by_code[item["code"]] = _upsert(Bapas, {"code": item["code"]}, values)
    pemda_by_code: dict[str, Pemda] = {}
    for item in orgs.get("pemda", []):
        values = _pick(
            item, "name", "short_name", "address", "phone", "email", "head_name", "head_title"
        )
        values["boundary"] = item.get("boundary") or []
        pemda_by_code[item["code"]] = _upsert(Pemda, {"code": item["code"]}, values)
    db.session.flush()
    opd_by_code: dict[str, Opd] = {}
    for item in orgs.get("opds", []):
        values = _pick(item, "name", "short_name", "address", "phone")
        values.update(
            pemda_id=pemda_by_code[item["pemda"]].id, lat=item.get("lat"), lng=item.get("lng")
        )
        opd_by_code[item["code"]] = _upsert(Opd, {"code": item["code"]}, values)
    db.session.flush()

    for item in _load("agreements.yaml", seeds_dir).get("agreements", []):
        bapas = bapas_by_code[item["bapas"]]
        pemda = pemda_by_code[item["pemda"]]
        values = _pick(item, "title", "signatory_bapas", "signatory_pemda", "notes")
        values.update(
            number_bapas=item.get("number_bapas"),
            number_pemda=item.get("number_pemda"),
            signed_on=_date(item.get("signed_on")),
            valid_until=_date(item.get("valid_until")),
            status=item.get("status", "draft"),
        )
        agreement = _upsert(Agreement, {"bapas_id": bapas.id, "pemda_id": pemda.id}, values)
        db.session.flush()
        for act in item.get("workplan", []):
            opd_code = act.get("responsible_opd")
            values = _pick(act, "stage_name", "activity", "responsible", "output", "outcome")
            values.update(
                stage=int(act["stage"]),
                responsible_party=act.get("responsible_party") or "bapas",
                responsible_opd_id=opd_by_code[opd_code].id if opd_code else None,
                period_start=_date(act.get("period_start")),
                period_end=_date(act.get("period_end")),
                metric=act.get("metric"),
            )
            _upsert(
                WorkplanActivity, {"agreement_id": agreement.id, "seq": int(act["seq"])}, values
            )

    catalogue = _load("catalogue.yaml", seeds_dir)
    for sort, item in enumerate(catalogue.get("job_categories", [])):
        _upsert(
            JobCategory,
            {"code": item["code"]},
            {"name": item["name"], "examples": list(item.get("examples") or []), "sort": sort},
        )
    for sort, item in enumerate(catalogue.get("place_types", [])):
        _upsert(
            PlaceType,
            {"code": item["code"]},
            {"name": item["name"], "description": item.get("description") or "", "sort": sort},
        )
    for sort, item in enumerate(catalogue.get("job_forms", [])):
        _upsert(
            JobForm,
            {"body": item["body"]},
            {
                "kind": item["kind"],
                "sector": item.get("sector") or "other",
                "category": item.get("category"),
                "place_type": item.get("place_type"),
                "forms": list(item.get("forms") or []),
                "sort": sort,
            },
        )
    db.session.flush()
    return seed_counts()


def seed_counts() -> dict[str, int]:
    """Row counts of the seeded tables, to show that a second run changes nothing."""
    models = {
        "bapas": Bapas,
        "pemda": Pemda,
        "opd": Opd,
        "agreement": Agreement,
        "workplan_activity": WorkplanActivity,
        "job_category": JobCategory,
        "place_type": PlaceType,
        "job_form": JobForm,
    }
    return {
        name: db.session.scalar(select(db.func.count()).select_from(model)) or 0
        for name, model in models.items()
    }
