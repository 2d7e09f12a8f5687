"""The project's own shared code: contracts, bus, store and settings."""
