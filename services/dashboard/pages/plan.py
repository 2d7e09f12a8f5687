"""Helhedsplan: goals → delmål → indicators, outputs, activities and revisions."""

from __future__ import annotations

import altair as alt
import streamlit as st

from services.dashboard.common import as_of, downloads, fetch, notice, pick_plan
from services.dashboard.views import (
    DOCUMENT,
    activities_frame,
    history_chart,
    history_frame,
    indicators_frame,
    outputs_frame,
    outputs_long,
    series_chart,
    series_frame,
    shown,
)

st.title("Helhedsplan")
notice()
plan = pick_plan()
if plan is not None:
    plan_id, moment = plan["plan_id"], as_of()
    table = fetch(f"/plans/{plan_id}/indicators", as_of=moment)
    series = fetch(f"/plans/{plan_id}/series", as_of=moment)
    outputs = fetch(f"/plans/{plan_id}/outputs", grain="quarter", as_of=moment)
    history = fetch(f"/plans/{plan_id}/history", as_of=moment)
    if table and series and outputs and history:
        st.header(table["plan_name"])
        st.caption(f"Seneste kvartal med aktivitet: {table['period']['label']}.")
        rows = {r["indicator_id"]: r for r in table["indicators"]}
        st.subheader("Mål, delmål og indikatorer")
        frame = indicators_frame(table)
        st.dataframe(frame, hide_index=True, width="stretch")
        downloads(frame, "indikatorer", "indicators")
        by_document: dict[str, list[dict]] = {}
        for indicator in series["indicators"]:
            by_document.setdefault(indicator["document"], []).append(indicator)
        for document, indicators in by_document.items():
            with st.expander(DOCUMENT.get(document, document)):
                goals: dict[str, list[dict]] = {}
                for indicator in indicators:
                    goals.setdefault(
                        indicator["goal_text"] or "Aktivitetsindikatorer", []
                    ).append(indicator)
                for goal, members in goals.items():
                    st.markdown(f"**{goal}**")
                    for indicator in members:
                        row = rows.get(indicator["indicator_id"], {})
                        unit = indicator["unit"]
                        latest = shown(
                            row.get("value"), unit, row.get("suppressed", False)
                        )
                        st.markdown(
                            f"{indicator['indicator_id']} {indicator['name']}: "
                            f"seneste {latest}"
                            f", baseline {shown(row.get('baseline'), unit)}"
                            f", kommunen {shown(row.get('comparison'), unit)}"
                        )
                        points = series_frame(indicator)
                        if points["Værdi"].notna().any():
                            st.altair_chart(
                                series_chart(
                                    points,
                                    row.get("baseline"),
                                    row.get("comparison"),
                                    indicator["name"],
                                ),
                                width="stretch",
                            )
        st.subheader("Aktiviteternes output pr. kvartal")
        produced = outputs_frame(outputs)
        chart = (
            alt.Chart(outputs_long(outputs))
            .mark_bar()
            .encode(
                x=alt.X("Kvartal:N", title=None),
                y=alt.Y("Antal:Q"),
                color=alt.Color("Output:N", title=None),
                xOffset="Output:N",
                tooltip=["Kvartal", "Output", "Antal"],
            )
        )
        st.altair_chart(chart, width="stretch")
        st.dataframe(produced, hide_index=True, width="stretch")
        downloads(produced, "output", "outputs")
        st.subheader("Aktiviteter")
        activities = activities_frame(outputs)
        st.dataframe(activities, hide_index=True, width="stretch")
        downloads(activities, "aktiviteter", "activities")
        st.subheader("Revisioner og godkendelser")
        timeline = history_frame(history)
        if not timeline.empty:
            st.altair_chart(history_chart(timeline), width="stretch")
        st.dataframe(timeline, hide_index=True, width="stretch")
        downloads(timeline, "historik", "history")
