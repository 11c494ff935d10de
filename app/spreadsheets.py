"""Spreadsheets: CSV and XLSX downloads that spreadsheet programs open as UTF-8 and that cannot
smuggle a formula into a cell (OWASP's CSV injection), and uploads read back as text rows
(openpyxl for XLSX), bounded in bytes, rows and columns."""

import csv
import io
from datetime import date, datetime, time

from flask import Response
from flask_babel import gettext as _

from app.errors import DomainError


def csv_response(rows: list[list], filename: str) -> Response:
    """A CSV download that spreadsheets open as UTF-8 (BOM), with CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    body = "\ufeff" + buffer.getvalue()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def safe_cell(value) -> str:
    """A cell's text; one starting with = + - @ (a formula in a spreadsheet) gets a quote."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def xlsx_response(rows: list[list], filename: str, *, sheet: str = "Sheet1") -> Response:
    """An XLSX download of the same rows as the CSV (text cells; formulas neutralised)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])
    for row in rows:
        page.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class SpreadsheetError(DomainError):
    """A file that cannot be read as a table (wrong kind, too large, too many rows)."""


def _cell_text(value) -> str:
    """A cell as text: dates as 2020-02-27, times as 09:30, numbers without a stray ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    # What safe_cell added on the way out comes off on the way back in.
    if text[:2] in ("'=", "'+", "'-", "'@"):
        text = text[1:]
    return text.strip()


def read_table(
    filename: str, data: bytes, *, max_bytes: int, max_rows: int, formulas: bool = False
) -> list[list[str]]:
    """The rows of a CSV or XLSX file (its first sheet) as text cells, header row first.

    With `formulas`, an XLSX formula cell reads as its formula ("=SUM(A1:A3)") rather than
    its last computed value, so that an import can refuse it.

    Refused with a SpreadsheetError: an empty or larger file, another kind of file, more
    rows than `max_rows` (beside the header).
    """
    if not data:
        raise SpreadsheetError(_("Choose a file to upload."), "file")
    if len(data) > max_bytes:
        raise SpreadsheetError(_("The file is larger than %(n)d kB.", n=max_bytes // 1024), "file")
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data, max_rows, formulas)
    elif name.endswith((".csv", ".txt")) or not name:
        rows = _read_csv(data, max_rows)
    else:
        raise SpreadsheetError(_("Upload a CSV or XLSX file."), "file")
    rows = [_trimmed(row) for row in rows if any(cell for cell in row)]
    if len(rows) > max_rows + 1:
        raise SpreadsheetError(_("The file has more than %(n)d rows.", n=max_rows), "file")
    return rows


def _trimmed(row: list[str]) -> list[str]:
    """A row without the empty cells after its last value (a sheet's used range runs wider)."""
    while row and not row[-1]:
        row = row[:-1]
    return row


def _read_csv(data: bytes, max_rows: int) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _("Save the CSV file as UTF-8 and upload it again."), "file"
        ) from None
    reader = csv.reader(io.StringIO(text.replace("\x00", "")))
    rows = []
    try:
        for row in reader:
            rows.append([_cell_text(cell) for cell in row[:MAX_COLUMNS]])
            if len(rows) > max_rows + 1:
                break
    except csv.Error:
        raise SpreadsheetError(_("The CSV file could not be read."), "file") from None
    return rows


def _read_xlsx(data: bytes, max_rows: int, formulas: bool = False) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    except (BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise SpreadsheetError(_("The XLSX file could not be read."), "file") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return []
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append([_cell_text(cell).replace("\x00", "") for cell in row])
            if len(rows) > max_rows + 1:
                break
        return rows
    finally:
        book.close()


# Columns read from any row: more than any Plenary table has, so a sheet cannot grow the work.
MAX_COLUMNS = 40


# ---- An import's preview: what each row would do (the programme's, the delegations') ----------

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"


class PlanCounts:
    """What an import plan (a dataclass with `rows`, each with `outcome` and `line`, and a
    `problem` with the whole file) says in numbers, for its preview and its confirm button."""

    rows: list
    problem: str

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.outcome == ERROR) + bool(self.problem)

    @property
    def changes(self) -> int:
        return sum(1 for row in self.rows if row.outcome in (NEW, UPDATE))

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def error_rows(self) -> list[int]:
        return [row.line for row in self.rows if row.outcome == ERROR]
