"""Exports: iCalendar feeds, JSON programme, PDFs."""
