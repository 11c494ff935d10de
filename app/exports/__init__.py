"""Exports: iCalendar feeds, the JSON programme and its OpenAPI description, and PDFs."""
