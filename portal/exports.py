"""Excel exports that stay data: every user-supplied string is written as text.

openpyxl treats a string starting with ``=`` as a formula, so a slot titled
``=HYPERLINK(...)`` would run as one in an official's Excel. ``write_sheet`` forces
every string cell to the text type, and long digit strings (NIK, NIP) stay text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML 1.0 cannot hold; openpyxl raises IllegalCharacterError on them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    """A cell of a sheet written here: never part of a merged range, so it can take a value."""
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell)
    return cell


def set_safe(cell: Cell, value: Any) -> None:
    """Write ``value``; strings always as text, never as a formula."""
    if isinstance(value, str):
        cell.value = _ILLEGAL.sub("", value)
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "DD-MM-YYYY HH:MM"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "DD-MM-YYYY"
    else:
        cell.value = value


def write_sheet(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    heading: str | None = None,
) -> None:
    """A sheet with an optional heading line, a bold header row and the rows, all safe."""
    row_no = 1
    if heading:
        set_safe(_cell(ws, 1, 1), heading)
        _cell(ws, 1, 1).font = Font(bold=True, size=13)
        row_no = 3
    fill = PatternFill("solid", fgColor="DDEBE9")
    for col, header in enumerate(headers, start=1):
        cell = _cell(ws, row_no, col)
        set_safe(cell, header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in headers]
    for values in rows:
        row_no += 1
        for col, value in enumerate(values, start=1):
            cell = _cell(ws, row_no, col)
            set_safe(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[col - 1] = max(widths[col - 1], min(len(str(value or "")), 60))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(10, width + 2)
    ws.freeze_panes = _cell(ws, (3 if heading else 1) + 1, 1)


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def single_sheet(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], heading: str | None = None
) -> bytes:
    """An .xlsx file with one safe sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    write_sheet(ws, headers, rows, heading)
    return workbook_bytes(wb)
