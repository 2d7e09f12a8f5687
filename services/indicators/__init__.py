"""Indicators: projections of agreements' and activities' events into numbers."""
