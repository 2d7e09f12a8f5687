"""Published language: the only code one service imports from another.

Integration events travel as CloudEvents 1.0 envelopes (`envelope.IntegrationEvent`)
whose ``data`` is validated by one pydantic model per event type and version
(`registry`).
"""
