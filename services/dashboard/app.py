"""Dashboard entry point: ``streamlit run services/dashboard/app.py``.

The pages read the indicators service's query API only; the "as of" moment in the
sidebar turns every page into what was known then.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from services.dashboard.common import end_of_day

PAGES = Path(__file__).with_name("pages")

st.set_page_config(page_title="Helhedsplaner", page_icon="🏘️", layout="wide")

with st.sidebar:
    st.markdown("### Kendt pr.")
    then = st.toggle(
        "Vis tallene som de var kendt på en dato",
        key="as_of_on",
        help="Revision: alle sider viser det, der var registreret ved dagens slutning.",
    )
    if then:
        day = st.date_input(
            "Dato", value=date.today(), format="DD.MM.YYYY", key="as_of_day"
        )
        st.session_state.as_of = end_of_day(day)
    else:
        st.session_state.as_of = None
    st.caption("Demodata: se forklaringen øverst på hver side.")

navigation = st.navigation(
    [
        st.Page(PAGES / "forum.py", title="Samarbejdsforum", icon="🤝", default=True),
        st.Page(PAGES / "plan.py", title="Helhedsplan", icon="🏘️"),
        st.Page(PAGES / "compare.py", title="Sammenlign", icon="📈"),
        st.Page(PAGES / "audit.py", title="Revision", icon="🔎"),
        st.Page(PAGES / "annual.py", title="Årlig opfølgning", icon="📄"),
    ]
)
navigation.run()
