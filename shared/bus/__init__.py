"""The bus: relays publish each service's log; followers apply it exactly once."""
