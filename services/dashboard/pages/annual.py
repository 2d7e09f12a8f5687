"""Årlig opfølgning: the annual follow-up report of one plan and year."""

from __future__ import annotations

from datetime import date

import streamlit as st

from services.dashboard.common import as_of, fetch, notice, pick_plan
from services.dashboard.views import annual_frames, annual_html, annual_xlsx

st.title("Årlig opfølgning")
notice()
plan = pick_plan()
if plan is not None:
    first = int(str(plan["period_start"])[:4])
    last = min(int(str(plan["period_end"])[:4]), date.today().year)
    years = list(range(last, first - 1, -1))
    year = st.selectbox("År", years, index=min(1, len(years) - 1))
    report = fetch(f"/plans/{plan['plan_id']}/annual/{year}", as_of=as_of())
    if report is not None:
        st.header(f"{report['plan_name']}: {year}")
        st.caption(
            "Tabellen bestyrelsen godkender og revisor kontrollerer. Tal under 5 "
            "vises som <5. Målte indikatorer: årets måling; aktivitetsindikatorer: "
            "hele året."
        )
        frames = annual_frames(report)
        for name, frame in frames.items():
            st.subheader(name)
            if frame.empty:
                st.info("Intet registreret i året.")
            else:
                st.dataframe(frame, hide_index=True, width="stretch")
        left, right = st.columns(2)
        stem = f"aarlig-opfoelgning-{report['plan_id']}-{year}"
        left.download_button(
            "Hent som Excel",
            annual_xlsx(report),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="annual-xlsx",
        )
        right.download_button(
            "Hent som HTML (kan udskrives som PDF)",
            annual_html(report).encode(),
            f"{stem}.html",
            "text/html",
            key="annual-html",
        )
