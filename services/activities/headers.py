"""Danish column headers of activity spreadsheets, and the names they map to."""

from __future__ import annotations

#: Header (lower case, single spaces) -> the field it fills.
COLUMNS: dict[str, str] = {
    "id": "id",
    "hændelse": "type",
    "type": "type",
    "aktivitet": "activity_id",
    "aktivitet id": "activity_id",
    "dato": "date",
    "deltagere": "participants",
    "antal deltagere": "participants",
    "nye deltagere": "new_participants",
    "varighed": "duration_minutes",
    "note": "note",
    "bemærkning": "note",
    "deltager": "participant_ref",
    "deltager id": "participant_ref",
    "aldersgruppe": "age_band",
    "henvist af": "referral_source",
    "resultat": "kind",
    "antal": "count",
    "årsag": "reason",
    "kursusnavn": "name",
    "form": "mode",
    "workshop": "workshop",
    "frivillig": "volunteer_ref",
    "match": "match_ref",
}

#: Danish names of event types in a ``hændelse`` column.
TYPES: dict[str, str] = {
    "session": "session-held",
    "møde": "session-held",
    "gang": "session-held",
    "tilmelding": "participant-enrolled",
    "tilmeldt": "participant-enrolled",
    "gennemført": "participant-completed",
    "frafald": "participant-dropped-out",
    "resultat": "outcome-recorded",
    "kursus": "course-held",
    "frivillig rekrutteret": "volunteer-recruited",
    "frivillig stoppet": "volunteer-left",
    "match": "match-established",
    "match slut": "match-ended",
}

#: Danish outcome labels -> OutcomeKind.
OUTCOMES: dict[str, str] = {
    "startet uddannelse": "started_education",
    "gennemført uddannelse": "completed_education",
    "fået job": "got_job",
    "job": "got_job",
    "fritidsjob": "got_leisure_job",
    "tættere på arbejdsmarkedet": "closer_to_work",
    "udsættelse afværget": "eviction_averted",
    "gældsrådgivning gennemført": "debt_counselling_completed",
    "meldt ind i forening": "joined_association",
    "andet": "other",
}

REFERRALS: dict[str, str] = {
    "jobcenter": "jobcenter",
    "skole": "school",
    "socialforvaltning": "social_services",
    "sprogskole": "language_school",
    "boligsocial": "housing_social",
    "selv": "self",
    "andet": "other",
}

#: Fields that hold whole numbers, and those that are yes/no.
INTEGERS = {"participants", "new_participants", "count"}
BOOLEANS = {"workshop"}
