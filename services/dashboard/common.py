"""What every page shares: the client, the "as of" moment, cached reads, pickers,
downloads and the demo notice."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import streamlit as st

from services.dashboard.client import HttpDashboardClient, ServiceError
from services.dashboard.views import to_csv_bytes, to_xlsx_bytes

if TYPE_CHECKING:
    import pandas as pd

    from services.dashboard.client import DashboardClient

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DEMO_PREFIX = "demo-"
CACHE_SECONDS = 60
AS_OF_TOGGLE = "Vis tallene som de var kendt på en dato"
AS_OF_DAY = "Kendt pr. dato"


def client() -> DashboardClient:
    if "client" not in st.session_state:
        st.session_state.client = HttpDashboardClient()
    found: DashboardClient = st.session_state.client
    return found


def as_of() -> str | None:
    """The moment every page shows "as known then", or None for now."""
    moment: str | None = st.session_state.get("as_of")
    return moment


def end_of_day(day: date) -> str:
    """The last moment of a Danish day, as an ISO time."""
    return datetime.combine(day, time(23, 59, 59), COPENHAGEN).isoformat()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _cached(_client: Any, key: str, path: str, params: str) -> dict[str, Any]:
    result: dict[str, Any] = _client.get(path, **json.loads(params))
    return result


def fetch(path: str, **params: Any) -> dict[str, Any] | None:
    """A cached GET; on an error, a Danish message on the page and None."""
    found = client()
    key = getattr(found, "base_url", None) or str(id(found))
    try:
        return _cached(
            found, key, path, json.dumps(params, sort_keys=True, default=str)
        )
    except ServiceError as error:
        st.error(f"Indikatortjenesten afviste forespørgslen: {error}")
    except Exception as error:  # a service that is down or slow
        st.error(f"Indikatortjenesten kunne ikke nås: {error}")
    return None


def as_of_control() -> None:
    """The sidebar's "as of" control: every page shows what was known then.

    Widget state does not follow the reader from page to page, so the choice is
    kept under keys of its own and given to each page's widgets as their value."""
    state = st.session_state
    with st.sidebar:
        st.markdown("### Kendt pr.")
        then = st.toggle(
            AS_OF_TOGGLE,
            value=state.get("_as_of_on", False),
            help="Revision: alle sider viser det, der var registreret ved dagens "
            "slutning.",
        )
        day = st.date_input(
            AS_OF_DAY,
            value=state.get("_as_of_day", date.today()),
            format="DD.MM.YYYY",
            disabled=not then,
        )
    state._as_of_on, state._as_of_day = then, day
    state.as_of = end_of_day(day) if then and isinstance(day, date) else None


def notice() -> None:
    """The "as of" control, the demo notice and the moment shown, on every page."""
    as_of_control()
    st.caption(
        "Planer hvis navn begynder med »Demo:« og alle aktiviteter og målinger "
        "er **demodata**: genererede eksempler, ikke rigtige tal. Beboerprojekt "
        "Nordvests aftale (mål, baselines, delaftaler) er den rigtige."
    )
    moment = as_of()
    if moment:
        st.warning(f"Viser tallene som de var kendt {danish_moment(moment)}.")


def danish_moment(moment: str) -> str:
    parsed = datetime.fromisoformat(moment).astimezone(COPENHAGEN)
    return parsed.strftime("%d.%m.%Y kl. %H.%M")


def pick_forum() -> dict[str, Any] | None:
    fora = fetch("/fora")
    if not fora or not fora["fora"]:
        st.info(
            "Ingen samarbejdsfora endnu. Kør »helhed demo« for at indlæse demodata."
        )
        return None
    names = {f["forum_id"]: f["name"] for f in fora["fora"]}
    chosen = st.selectbox(
        "Samarbejdsforum",
        list(names),
        format_func=names.__getitem__,
        index=_kept("forum", list(names)),
    )
    st.session_state._forum = chosen
    forum: dict[str, Any] = next(f for f in fora["fora"] if f["forum_id"] == chosen)
    return forum


def pick_plan(label: str = "Helhedsplan") -> dict[str, Any] | None:
    fora = fetch("/fora")
    if not fora:
        return None
    plans = {p["plan_id"]: p for f in fora["fora"] for p in f["plans"]}
    if not plans:
        st.info("Ingen helhedsplaner endnu. Kør »helhed demo« for at indlæse demodata.")
        return None
    chosen = st.selectbox(
        label,
        list(plans),
        format_func=lambda p: plans[p]["name"],
        index=_kept("plan", list(plans)),
    )
    st.session_state._plan = chosen
    plan: dict[str, Any] = plans[chosen]
    return plan


def _kept(key: str, options: list[str]) -> int:
    """Where the reader's last choice (on any page) is among the options."""
    kept = st.session_state.get(f"_{key}")
    return options.index(kept) if kept in options else 0


def downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV (Danish Excel opens it) and Excel downloads of a table."""
    left, right = st.columns(2)
    left.download_button(
        "Hent som CSV",
        to_csv_bytes(frame),
        f"{name}.csv",
        "text/csv",
        key=f"{key}-csv",
    )
    right.download_button(
        "Hent som Excel",
        to_xlsx_bytes(frame, name),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
    )
