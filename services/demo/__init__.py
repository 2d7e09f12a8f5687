"""Demo data, plainly labelled: the real Nordvest agreement, generated events."""
