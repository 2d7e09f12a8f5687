"""Agreements: what the parties agreed (plans, Samarbejdsforum, strategisk
samarbejdsaftale, delaftaler)."""
