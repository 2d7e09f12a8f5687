"""Sammenlign: one indicator across a forum's plans and over time."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from services.dashboard.common import as_of, downloads, fetch, notice, pick_forum
from services.dashboard.views import SUPPRESSED, danish_number

st.title("Sammenlign")
notice()
forum = pick_forum()
if forum is not None:
    found = fetch(f"/fora/{forum['forum_id']}")
    shared = {
        i["indicator_id"]: f"{i['indicator_id']} {i['name']}"
        for i in (found or {}).get("shared_indicators", [])
    }
    if not shared:
        st.info("Planerne i dette forum har ingen fælles indikatorer.")
    else:
        chosen = st.selectbox("Indikator", list(shared), format_func=shared.__getitem__)
        rows, comparison = [], None
        for plan in forum["plans"]:
            series = fetch(
                f"/plans/{plan['plan_id']}/indicators/{chosen}/series", as_of=as_of()
            )
            if series is None:
                continue
            comparison = comparison or series["comparison"]
            for point in series["series"]:
                rows.append(
                    {
                        "Plan": plan["name"],
                        "Kvartal": point["period"],
                        "Værdi": point["value"],
                        "Skjult": point["suppressed"],
                    }
                )
        frame = pd.DataFrame(rows, columns=["Plan", "Kvartal", "Værdi", "Skjult"])
        lines = (
            alt.Chart(frame.dropna(subset=["Værdi"]))
            .mark_line(point=True)
            .encode(
                x=alt.X("Kvartal:N", title=None),
                y=alt.Y("Værdi:Q", title=shared[chosen]),
                color=alt.Color("Plan:N"),
                tooltip=["Plan", "Kvartal", "Værdi"],
            )
        )
        layers = [lines]
        if comparison is not None:
            layers.append(
                alt.Chart(pd.DataFrame({"Kommunen": [comparison]}))
                .mark_rule(strokeDash=[6, 3], color="black")
                .encode(y="Kommunen:Q", tooltip=["Kommunen:Q"])
            )
        st.altair_chart(alt.layer(*layers), width="stretch")
        st.caption(
            "Stiplet linje: kommunens niveau. Kvartaler med tal under 5 er udeladt."
        )
        wide = (
            frame.assign(
                Værdi=[
                    SUPPRESSED
                    if hidden
                    else ("–" if pd.isna(v) else danish_number(v, 1))
                    for v, hidden in zip(frame["Værdi"], frame["Skjult"], strict=True)
                ]
            )
            .pivot(index="Kvartal", columns="Plan", values="Værdi")
            .reset_index()
        )
        st.dataframe(wide, hide_index=True, width="stretch")
        downloads(wide, "sammenligning", "compare")
