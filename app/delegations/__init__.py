"""Delegations: States and organisations at a meeting, their focal points and the window."""
