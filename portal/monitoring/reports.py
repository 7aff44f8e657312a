"""Exports of the monitoring: the Excel workbook and the PDF "Laporan Monitoring dan Evaluasi".

Both take the public view of ``portal.monitoring.indicators`` (small cells already
hidden) and the Rencana Kerja progress, so they show exactly what the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup
from openpyxl import Workbook

from portal.exports import workbook_bytes, write_sheet
from portal.models import Agreement
from portal.monitoring import charts, indicators
from portal.monitoring.workplan import ActivityProgress

DASH = "—"


def shown(value: Any, suffix: str = "") -> Any:
    """A cell as the reader sees it: '< 3' stays, None is a dash, numbers stay numbers."""
    if value is None:
        return DASH
    if indicators.is_small(value):
        return value
    return f"{value}{suffix}" if suffix else value


def headline_rows(view: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(indicator, value, definition) rows of the headline figures."""
    rate = view["completion_rate"]
    days = view["days_to_first_work"]
    return [
        (
            "Klien diterima",
            shown(view["clients_total"]),
            "klien dengan surat eksekusi dalam periode",
        ),
        ("Menunggu keputusan OPD", shown(view["clients_waiting"]), "pemesanan belum dijawab"),
        ("Sedang menjalani", shown(view["clients_active"]), "penempatan diterima atau berjalan"),
        ("Selesai menjalani", shown(view["clients_completed"]), "seluruh jam putusan terpenuhi"),
        ("Berakhir tanpa selesai", shown(view["clients_terminated"]), "sanksi, meninggal, pindah"),
        ("Penempatan", shown(view["placements_total"]), "tidak termasuk yang ditolak OPD"),
        ("Jam putusan", shown(view["hours_ordered"]), "jam kerja sosial menurut putusan"),
        ("Jam terverifikasi", shown(view["hours_verified"]), "daftar hadir yang diverifikasi"),
        (
            "Tingkat penyelesaian (%)",
            shown(round(rate * 100, 1) if rate is not None else None),
            "selesai ÷ (selesai + berakhir tanpa selesai)",
        ),
        (
            "Klien siap hidup bermasyarakat (%) — LKjIP",
            shown(view["ready_for_society_percent"]),
            "klien tanpa pelanggaran ÷ seluruh klien × 100",
        ),
        (
            "Penerimaan masyarakat (%) — LKjIP",
            shown(view["community_acceptance_percent"]),
            "klien diikutsertakan Ketua RT/pengurus masyarakat dalam kegiatan sosial "
            "kemasyarakatan ÷ seluruh klien × 100",
        ),
        (
            "Pemberdayaan masyarakat (%) — LKjIP",
            shown(view["community_empowerment_percent"]),
            f"(mitra tahun ini {view['partners_this_year']} − tahun lalu "
            f"{view['partners_last_year']}) ÷ tahun lalu × 100; mitra = OPD dengan slot terbit "
            "dan mitra dengan PKS (termasuk Pokmas Lipas)",
        ),
        ("Slot terbit", view["slots_total"], "slot berstatus terbit yang berlaku dalam periode"),
        ("Kapasitas (kursi)", view["capacity_total"], "jumlah kapasitas slot tersebut"),
        ("Kursi terisi", shown(view["occupied_total"]), "penempatan yang memegang kursi saat ini"),
        ("Utilisasi (%)", shown(view["utilisation_percent"]), "kursi terisi ÷ kapasitas × 100"),
        (
            "Hari dari putusan ke hari kerja pertama (rata-rata)",
            shown(days["mean"]),
            "hari kerja pertama = kehadiran terverifikasi pertama",
        ),
        ("Hari dari putusan ke hari kerja pertama (median)", shown(days["median"]), ""),
    ]


def workplan_rows(progress: Sequence[ActivityProgress]) -> list[list[Any]]:
    """One row per Rencana Kerja activity."""
    return [
        [
            p.activity.stage,
            p.activity.stage_name,
            p.activity.seq,
            p.activity.activity,
            p.activity.responsible_opd.name
            if p.activity.responsible_opd
            else p.activity.responsible,
            p.activity.output,
            shown(p.percent),
            p.expected,
            p.status_label,
            "dihitung dari data portal"
            if p.derived
            else ("laporan manual" if p.source == "manual" else DASH),
            p.basis,
        ]
        for p in progress
    ]


WORKPLAN_HEADERS = [
    "Tahap",
    "Nama tahap",
    "No",
    "Kegiatan",
    "Penanggung jawab",
    "Keluaran",
    "Capaian (%)",
    "Target saat ini (%)",
    "Status",
    "Sumber",
    "Dasar perhitungan",
]


def indicators_workbook(
    view: dict[str, Any],
    scope_label: str,
    workplans: Sequence[tuple[Agreement, Sequence[ActivityProgress]]],
) -> bytes:
    """The Excel workbook: indicators, by OPD, by month, violations, Rencana Kerja."""
    period = f"{view['period']['start']} s.d. {view['period']['end']}"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Indikator"
    write_sheet(
        ws,
        ["Indikator", "Nilai", "Definisi"],
        headline_rows(view),
        heading=f"Indikator monitoring · {scope_label} · {period}",
    )
    write_sheet(
        wb.create_sheet("Per OPD"),
        ["OPD", "Slot", "Kapasitas", "Terisi", "Utilisasi (%)", "Klien", "Jam rencana",
         "Jam terverifikasi"],
        [
            [r["opd"], r["slots"], r["capacity"], shown(r["occupied"]),
             shown(r["utilisation_percent"]), shown(r["clients"]), r["hours_planned"],
             r["hours_verified"]]
            for r in view["by_opd"]
        ],
    )  # fmt: skip
    write_sheet(
        wb.create_sheet("Per bulan"),
        ["Bulan", "Diterima", "Mulai bekerja", "Selesai", "Jam terverifikasi", "Pelanggaran"],
        [
            [label, shown(r["received"]), shown(r["started"]), shown(r["completed"]),
             r["hours_verified"], shown(r["violations"])]
            for label, r in zip(indicators.month_labels(view), view["by_month"], strict=True)
        ],
    )  # fmt: skip
    write_sheet(
        wb.create_sheet("Pelanggaran"),
        ["Jenis pelanggaran", "Jumlah"],
        [[r["label"], shown(r["count"])] for r in view["violations_by_type"]],
    )
    for agreement, progress in workplans:
        title = f"Rencana Kerja {agreement.pemda.short_name}"[:31]
        write_sheet(
            wb.create_sheet(title),
            WORKPLAN_HEADERS,
            workplan_rows(progress),
            heading=f"Rencana Kerja {agreement.bapas.name} × {agreement.pemda.name}",
        )
    note = wb.create_sheet("Catatan")
    write_sheet(
        note,
        ["Catatan"],
        [
            ["Jumlah orang 1 atau 2 ditulis '< 3'; persentase atas 1–2 orang tidak ditampilkan "
             "(—), untuk menjaga kerahasiaan klien (NK Pasal 9)."],
            ["Klien dihitung pada periode ketika diterima (tanggal surat eksekusi, atau tanggal "
             "putusan bila belum ada)."],
        ],
    )  # fmt: skip
    return workbook_bytes(wb)


def report_charts(view: dict[str, Any]) -> dict[str, Markup]:
    """The PDF's charts as SVG, from the same public view as the page's charts."""
    labels = [m.split()[0] for m in indicators.month_labels(view)]
    return {
        "months": charts.bar_chart(
            labels,
            [
                ("Diterima", indicators.chart_series(view, "received")),
                ("Mulai bekerja", indicators.chart_series(view, "started")),
                ("Selesai", indicators.chart_series(view, "completed")),
            ],
            "Klien per bulan",
        ),
        "hours": charts.bar_chart(
            labels,
            [("Jam terverifikasi", indicators.chart_series(view, "hours_verified"))],
            "Jam kerja sosial terverifikasi per bulan",
            height=200,
        ),
        "opds": charts.hbar_chart(
            [r["opd"] for r in view["by_opd"]],
            [
                ("Kapasitas", [r["capacity"] for r in view["by_opd"]]),
                ("Terisi", indicators.chart_series(view, "occupied", "by_opd")),
            ],
            "Kapasitas dan kursi terisi per Perangkat Daerah",
        ),
    }
