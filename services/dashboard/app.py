"""Dashboard entry point: ``streamlit run services/dashboard/app.py``.

The pages read the indicators service's query API only; the "as of" moment each
page shows in the sidebar (`common.notice`) turns every page into what was known
then.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).with_name("pages")

st.set_page_config(page_title="Helhedsplaner", page_icon="🏘️", layout="wide")

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
