"""The programme: tracks, rooms, people, sessions, clusters, conflicts, and its public pages."""
