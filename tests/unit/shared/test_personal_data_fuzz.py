"""The personal-data guard, fuzzed: generated CPR numbers, e-mail addresses and
Danish phone numbers anywhere in nested data are found and their field named;
opaque references and ordinary numbers pass."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.contracts.personal_data import scan

SETTINGS = settings(max_examples=300, derandomize=True, database=None, deadline=None)

days = st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31))
cprs = st.builds(
    lambda day, serial, dash: f"{day:%d%m%y}{'-' if dash else ''}{serial:04d}",
    days,
    st.integers(0, 9999),
    st.booleans(),
)
emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._-]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True),
    st.sampled_from(["dk", "com", "org", "net", "eu"]),
)
phones = st.builds(
    lambda digits, prefix, sep: (
        prefix + sep.join(digits[i : i + 2] for i in range(0, 8, 2))
    ),
    st.from_regex(r"[2-9][0-9]{7}", fullmatch=True),
    st.sampled_from(["", "+45 ", "0045 ", "+45"]),
    st.sampled_from(["", " ", "."]),
)
personal = st.one_of(cprs, emails, phones)
keys = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ", max_size=30)


@st.composite
def nested_with_one(draw: st.DrawFn) -> tuple[Any, str]:
    """Nested dicts and lists with one personal value, and its path."""
    secret = draw(personal)
    text = (
        f"{draw(words)} {secret} {draw(words)}".strip()
        if draw(st.booleans())
        else secret
    )
    value: Any = text
    path: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            key = draw(keys)
            siblings = draw(st.dictionaries(keys, words, max_size=3))
            siblings.pop(key, None)
            value = {**siblings, key: value}
            path.insert(0, f".{key}")
        else:
            before = draw(st.lists(words, max_size=2))
            value = [*before, value]
            path.insert(0, f"[{len(before)}]")
    return {"data": value}, "data" + "".join(path)


@SETTINGS
@given(nested_with_one())
def test_personal_data_anywhere_in_nested_fields_is_found_and_its_field_named(
    case: tuple[Any, str],
) -> None:
    event, path = case
    findings = scan(event)
    assert path in {finding.field for finding in findings}, (event, findings)


@SETTINGS
@given(cprs)
def test_every_real_cpr_number_is_called_a_cpr_number(cpr: str) -> None:
    [finding] = scan({"note": cpr})
    assert finding.kind == "a CPR number"


refs = st.from_regex(r"[a-z]{1,6}-[0-9]{1,5}", fullmatch=True)
counts = st.integers(0, 100_000).map(str)
years = st.integers(2000, 2035).map(lambda y: f"{y}-Q{y % 4 + 1}")
iso_days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)).map(
    date.isoformat
)


@SETTINGS
@given(
    st.lists(st.one_of(refs, counts, years, iso_days, words), max_size=8),
    st.lists(st.one_of(refs, years, iso_days, words), max_size=8),
)
def test_opaque_references_counts_periods_and_dates_pass(
    values: list[str], words_: list[str]
) -> None:
    # (two counts side by side, "1000 1000", are refused: Danes write phone
    # numbers as "1234 5678"; the guard errs on the side of refusing)
    assert scan({"data": {"participant_refs": values, "note": " ".join(words_)}}) == []


def test_two_four_digit_numbers_side_by_side_are_refused_as_a_phone_number() -> None:
    assert [f.kind for f in scan({"note": "1000 1000"})] == ["a phone number"]


def test_a_cpr_number_with_an_impossible_date_is_not_a_cpr_number() -> None:
    assert scan({"note": "310299-1234"}) == []  # 31 February
    assert scan({"note": f"{date(1990, 1, 1) + timedelta(days=3):%d%m%y}-1234"}) != []
