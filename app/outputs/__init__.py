"""Rapporteur outputs and the Chair's Summary."""
