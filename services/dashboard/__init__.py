"""The Streamlit dashboard, in Danish; it reads through the indicators query API."""
