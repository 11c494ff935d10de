"""Spreadsheet downloads: CSV that spreadsheet programs open as UTF-8, and that cannot smuggle
a formula into a cell (OWASP's CSV injection)."""

import csv
import io

from flask import Response


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
