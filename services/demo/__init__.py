"""Demo data, plainly labelled as such: the real Nordvest agreement, generated events."""
