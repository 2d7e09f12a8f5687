"""The project's own shared code: contracts (published language), bus, store and settings."""
