"""Revision: the event log, where each value came from, what changed since the
last approval, and a rebuild that proves the numbers follow from the log."""

from __future__ import annotations

from datetime import date

import streamlit as st

from services.dashboard.common import (
    as_of,
    client,
    danish_moment,
    downloads,
    fetch,
    notice,
    pick_plan,
)
from services.dashboard.views import (
    EVENT_TYPE,
    changes_frame,
    events_frame,
    indicators_frame,
    lineage_frame,
)

TYPE_PREFIX = "dk.helhedsplan.activity."

st.title("Revision")
notice()
st.caption(
    "Vælg »Kendt pr.« i sidepanelet for at se alle sider, som tallene var kendt "
    "på en dato. Rettelser og for sent indberettede hændelser bevares i loggen."
)
plan = pick_plan()
if plan is not None:
    plan_id, moment = plan["plan_id"], as_of()

    st.subheader("Hændelsesloggen")
    left, middle, right = st.columns(3)
    kinds = {"": "Alle typer"} | {f"{TYPE_PREFIX}{k}": v for k, v in EVENT_TYPE.items()}
    kind = left.selectbox("Type", list(kinds), format_func=kinds.__getitem__)
    source = middle.text_input("Kilde (begynder med)", "")
    flags = {
        "": "Alle",
        "late": "Kun for sent indberettede",
        "corrected": "Kun rettede",
    }
    flag = right.selectbox("Markering", list(flags), format_func=flags.__getitem__)
    period = st.date_input(
        "Periode (hændelsens dag)",
        value=(date(2023, 1, 1), date.today()),
        format="DD.MM.YYYY",
    )
    since, until = (period[0], period[1]) if len(period) == 2 else (None, None)
    log = fetch(
        f"/plans/{plan_id}/events",
        as_of=moment,
        type=kind,
        source=source,
        flag=flag,
        since=since,
        until=until,
        limit=500,
    )
    if log is not None:
        st.caption(f"{log['total']} hændelser; de nyeste 500 vises.")
        events = events_frame(log)
        st.dataframe(events, hide_index=True, width="stretch")
        downloads(events, "haendelser", "events")

    st.subheader("Hvor kommer tallet fra?")
    table = fetch(f"/plans/{plan_id}/indicators", as_of=moment)
    if table is not None:
        frame = indicators_frame(table)
        st.caption(
            f"Kvartal {table['period']['label']}. "
            "Klik på en række for at se dens kilder."
        )
        picked = st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key="lineage-table",
        )
        chosen_rows = picked.selection.rows if picked is not None else []
        ids = list(frame["Indikator"])
        fallback = st.selectbox("… eller vælg indikator", ids, key="lineage-pick")
        indicator = ids[chosen_rows[0]] if chosen_rows else fallback
        lineage = fetch(
            f"/plans/{plan_id}/indicators/{indicator}/lineage", as_of=moment
        )
        if lineage is not None:
            value = next(
                r for r in table["indicators"] if r["indicator_id"] == indicator
            )
            st.markdown(
                f"**{indicator} {value['name']}**: {len(lineage['events'])} hændelser "
                f"ligger bag værdien i {lineage['period']['label']}."
            )
            sources = lineage_frame(lineage)
            st.dataframe(sources, hide_index=True, width="stretch")
            downloads(sources, f"oprindelse-{indicator}", "lineage")

    st.subheader("Ændret siden seneste godkendelse")
    changes = fetch(f"/plans/{plan_id}/changes-since-approval")
    if changes is not None:
        if changes["since"] is None:
            st.info("Planen har ingen godkendelse eller opfølgning endnu.")
        else:
            counts = changes["events"]
            st.markdown(
                f"Siden {danish_moment(changes['since'])} er der registreret "
                f"{counts['recorded']} hændelser, heraf {counts['late']} for sent "
                f"indberettede og {counts['corrections']} rettelser."
            )
            changed = changes_frame(changes)
            if changed.empty:
                st.success("Ingen værdier er ændret siden godkendelsen.")
            else:
                st.dataframe(changed, hide_index=True, width="stretch")
                downloads(changed, "aendringer", "changes")

    st.subheader("Genberegning fra loggen")
    st.caption(
        "Genopbygger alle indikatortabeller fra tjenesternes hændelseslogge og "
        "sammenligner et fingeraftryk (SHA-256) med de tal, der vises."
    )
    if st.button("Genberegn og kontrollér", key="rebuild"):
        with st.spinner("Genberegner fra loggen ..."):
            try:
                answer = client().post("/rebuild-check")
            except Exception as error:
                st.error(f"Genberegningen kunne ikke gennemføres: {error}")
            else:
                st.session_state.rebuild_check = answer
    check = st.session_state.get("rebuild_check")
    if check:
        st.code(f"genberegnet: {check['rebuilt']}\nvist:        {check['live']}")
        if check["equal"]:
            st.success(
                f"Identiske: {check['events']} hændelser genberegnet på "
                f"{check['seconds']} s giver præcis de viste tal."
            )
        else:
            st.error("Genberegningen afviger fra de viste tal.")
