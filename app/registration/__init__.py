"""Registration area: meeting registrations, cluster places and waiting lists."""
