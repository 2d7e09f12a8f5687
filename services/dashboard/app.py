"""Dashboard entry point: ``streamlit run services/dashboard/app.py``."""

from __future__ import annotations

import altair as alt
import requests
import streamlit as st

from services.dashboard.client import DashboardClient, HttpDashboardClient
from services.dashboard.views import danish_number, indicators_frame, sessions_frame

NORDVEST_ID = "beboerprojekt-nordvest-2025-29"

st.set_page_config(page_title="Helhedsplaner", page_icon="🏘️", layout="wide")

if "client" not in st.session_state:
    st.session_state.client = HttpDashboardClient()
client: DashboardClient = st.session_state.client

st.title("Boligsociale helhedsplaner")
st.info("Demodata: aktiviteterne herunder er genererede eksempler, ikke rigtige tal.")

plan_id = st.text_input("Helhedsplan", value=NORDVEST_ID)
try:
    result = client.sessions(plan_id)
except requests.RequestException as error:
    st.error(f"Kunne ikke hente tal for {plan_id}: {error}")
    st.stop()

st.header(result["plan_name"])
left, right = st.columns(2)
left.metric("Sessioner i alt", danish_number(result["total_sessions"]))
right.metric("Deltagere i alt", danish_number(result["total_participants"]))

frame = sessions_frame(result)
st.subheader("Sessioner og deltagere pr. kvartal")
chart = (
    alt.Chart(frame)
    .mark_bar()
    .encode(
        x=alt.X("Kvartal:N", title="Kvartal"),
        y=alt.Y("Deltagere:Q", title="Deltagere"),
        tooltip=list(frame.columns),
    )
)
st.altair_chart(chart, width="stretch")
st.dataframe(frame, hide_index=True, width="stretch")

st.subheader("Indikatorer")
try:
    table = client.indicators(plan_id)
except requests.RequestException as error:
    st.warning(f"Indikatorerne kunne ikke hentes: {error}")
else:
    st.caption(
        f"Kvartal {table['period']['label']}. Målinger markeret som demodata er "
        "genererede. Tal under 5 vises som <5."
    )
    st.dataframe(indicators_frame(table), hide_index=True, width="stretch")
    effect = table.get("documented_effect") or {}
    if effect.get("activities"):
        st.metric(
            "Aktiviteter efter en CFBU-type med dokumenteret effekt",
            f"{effect['with_documented_effect']} af {effect['activities']}",
        )
