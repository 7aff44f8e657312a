"""The seed loader: the documents' data, and a second run changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from portal.models import Agreement, Bapas, JobCategory, Opd, Pemda
from portal.models.agreement import WorkplanActivity
from portal.seeding import load_seeds, seed_counts


def test_seed_twice_leaves_the_same_rows(db: Any) -> None:
    before = seed_counts()
    assert load_seeds() == before
    assert load_seeds() == before


def test_madiun_ngawi_agreement_as_signed(db: Any) -> None:
    ngawi = db.session.scalar(select(Pemda).where(Pemda.code == "NGAWI"))
    madiun = db.session.scalar(select(Bapas).where(Bapas.code == "MDN"))
    agreement = db.session.scalar(
        select(Agreement).where(Agreement.pemda_id == ngawi.id, Agreement.bapas_id == madiun.id)
    )
    assert agreement.number_bapas == "WP.15.PAS.42.HK.01.02-1671"
    assert agreement.number_pemda == "400.9.4.3/11.05/NK/404.101.1/2025"
    assert agreement.signed_on == date(2025, 11, 27)
    assert agreement.valid_until == date(2026, 11, 27)
    assert agreement.status == "active"
    # The Lampiran lists twelve activities (4+2+2+2+2) in five stages.
    acts = agreement.activities
    assert [a.stage for a in acts] == [1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert acts[0].output == "Laporan Litmas lengkap"
    venue = next(a for a in acts if a.metric == "venue")
    assert venue.responsible_opd is not None
    assert venue.responsible_opd.code == "NGAWI-DINSOS"


def test_ngawi_has_the_eight_opds_of_the_workplan(db: Any) -> None:
    ngawi = db.session.scalar(select(Pemda).where(Pemda.code == "NGAWI"))
    names = {o.short_name for o in ngawi.opds}
    assert len(names) == 8
    assert "RSUD dr. Soeroto Ngawi" in {o.name for o in ngawi.opds} | names
    for opd in ngawi.opds:
        assert opd.lat is not None
        assert -7.8 < opd.lat < -7.1
        assert opd.lng is not None
        assert 111.0 < opd.lng < 111.8


def test_trenggalek_draft_and_magelang(db: Any) -> None:
    kediri = db.session.scalar(select(Bapas).where(Bapas.code == "KDR"))
    draft = db.session.scalar(select(Agreement).where(Agreement.bapas_id == kediri.id))
    assert draft.status == "draft"
    assert draft.signed_on is None
    assert db.session.scalar(select(Bapas).where(Bapas.code == "MGL")) is not None
    assert db.session.scalars(select(Opd).join(Pemda).where(Pemda.code == "TRENGGALEK")).all()


def test_job_catalogue_has_the_five_groups(db: Any) -> None:
    codes = [c.code for c in db.session.scalars(select(JobCategory).order_by(JobCategory.sort))]
    assert codes == [
        "social_institution",
        "public_service",
        "environment_cleaning",
        "light_admin",
        "teaching_training",
    ]
    assert db.session.scalar(select(WorkplanActivity).limit(1)) is not None
