"""Tamper evidence for auditors: a plan's history as a hash chain, and its check."""
