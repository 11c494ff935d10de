"""At the venue: badges, check-in at the door, presence, attendance from it, certificates."""
