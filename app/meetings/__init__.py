"""Meetings, their roles, agenda items, officers and documents."""
