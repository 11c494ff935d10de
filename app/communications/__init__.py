"""Messages from a meeting's organisers to a filtered group of its participants, and the
meeting's outbox (every message of the meeting with its state)."""
