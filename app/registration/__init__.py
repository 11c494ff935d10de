"""Registration: meeting registrations, cluster and workshop places, waiting lists, rosters."""
