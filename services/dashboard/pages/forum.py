"""Samarbejdsforum: the forum's plans side by side on the indicators they share."""

from __future__ import annotations

import streamlit as st

from services.dashboard.common import as_of, downloads, fetch, notice, pick_forum
from services.dashboard.views import (
    colour_status,
    forum_chart,
    forum_frame,
    status_matrix,
)

st.title("Samarbejdsforum")
notice()
forum = pick_forum()
if forum is not None:
    overview = fetch(f"/fora/{forum['forum_id']}/overview", as_of=as_of())
    if overview is not None:
        st.markdown(
            f"**{overview['forum_name']}** følger {len(overview['plans'])} "
            f"helhedsplaner: " + ", ".join(p["name"] for p in overview["plans"]) + "."
        )
        effect = st.columns(max(len(overview["plans"]), 1))
        for column, plan in zip(effect, overview["plans"], strict=False):
            share = plan["documented_effect"]
            column.metric(
                plan["name"],
                f"{share['with_documented_effect']} af {share['activities']}",
                help="Aktiviteter efter en CFBU-type med dokumenteret effekt",
            )
        st.subheader("Status på de fælles indikatorer")
        st.caption(
            "Seneste værdi og status pr. plan. Grøn: på rette vej; rød: ikke på "
            "rette vej. Tal under 5 vises som <5."
        )
        matrix = status_matrix(overview)
        st.dataframe(matrix.style.map(colour_status), hide_index=True, width="stretch")
        downloads(matrix, "status-paa-faelles-indikatorer", "matrix")
        st.subheader("Baseline → seneste → mål")
        frame = forum_frame(overview)
        st.dataframe(frame, hide_index=True, width="stretch")
        downloads(frame, "samarbejdsforum", "forum")
        names = {
            i["indicator_id"]: f"{i['indicator_id']} {i['name']}"
            for i in overview["indicators"]
        }
        if names:
            chosen = st.selectbox(
                "Indikator i diagrammet", list(names), format_func=names.__getitem__
            )
            st.altair_chart(forum_chart(overview, chosen), width="stretch")
            st.caption("Stiplet linje: kommunens niveau.")
