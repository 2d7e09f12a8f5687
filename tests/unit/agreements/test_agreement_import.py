"""The project's agreement file: the real Nordvest agreement, validation, import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.agreements.agreement_file import (
    AgreementFileError,
    load_agreement_file,
    parse_agreement,
)
from services.agreements.application import Agreements, AlreadyRegisteredError
from services.agreements.catalogue import activity_types
from services.agreements.data import NORDVEST_FILE
from services.agreements.importing import UnknownActivityTypeError, import_agreement
from services.agreements.summary import plan_summary

NORDVEST = "beboerprojekt-nordvest-2025-29"


@pytest.fixture
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NORDVEST_FILE.read_text(encoding="utf-8"))
    return data


def test_the_nordvest_agreement_has_the_counts_of_the_signed_agreement() -> None:
    agreement = load_agreement_file(NORDVEST_FILE)
    assert agreement.plan.id == NORDVEST
    assert len(agreement.plan.afdelinger()) == 14
    assert len(agreement.plan.survey_areas) == 5
    assert (
        sum(len(g.indicators) for g in agreement.strategic_agreement.overall_goals) == 9
    )
    assert [d.indsatsomraade for d in agreement.delaftaler] == ["UL", "BE", "KF", "SM"]
    assert sum(len(d.delmaal) for d in agreement.delaftaler) == 21
    assert len(agreement.activities()) == 12
    assert agreement.plan.totals.homes == 4646


def test_contradicting_figures_are_kept_as_separately_sourced_baselines() -> None:
    agreement = load_agreement_file(NORDVEST_FILE)
    grade = next(i for i in agreement.indicators() if i.id == "OI-1.2")
    by_source = {b.source_id: b.value for b in grade.baselines}
    assert by_source == {"boligsociale-data": 5.2, "beboerdata": 5.04}


def test_boligsociale_data_counts_dommerparken_and_leaves_out_kantorparken() -> None:
    plan = load_agreement_file(NORDVEST_FILE).plan
    source = next(s for s in plan.data_sources if s.id == "boligsociale-data")
    kantorparken = next(a for a in plan.afdelinger() if a.name == "Kantorparken")
    assert source.covers_outside_plan == ["Dommerparken"]
    assert source.excludes_afdelinger == [kantorparken.id]
    assert "Dommerparken" not in {a.name for a in plan.afdelinger()}


def test_a_yaml_copy_loads_the_same(tmp_path: Path, raw: dict[str, Any]) -> None:
    copy = tmp_path / "nordvest.yaml"
    copy.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_agreement_file(copy) == load_agreement_file(NORDVEST_FILE)


def test_a_bad_field_deep_in_the_file_is_named_by_its_path(raw: dict[str, Any]) -> None:
    raw["delaftaler"][1]["delmaal"][0]["indicators"][0]["unit"] = "procent"
    raw["plan"]["period"]["end"] = "2020-01-01"
    with pytest.raises(AgreementFileError) as error:
        parse_agreement(raw, "nordvest.json")
    message = str(error.value)
    assert "delaftaler[1].delmaal[0].indicators[0].unit: Input should be" in message
    assert "plan.period: Value error, end must be after start" in message


def test_duplicate_ids_and_unknown_references_are_refused(raw: dict[str, Any]) -> None:
    activities = raw["delaftaler"][0]["activities"]
    activities.append(dict(activities[0]))
    raw["plan"]["data_sources"][0]["excludes_afdelinger"] = ["no-such-afdeling"]
    with pytest.raises(AgreementFileError) as error:
        parse_agreement(raw)
    assert "activity id 'ul-a1' is used twice" in str(error.value)
    assert "excludes unknown afdeling 'no-such-afdeling'" in str(error.value)


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"plan": ', encoding="utf-8")
    with pytest.raises(AgreementFileError, match="not valid json"):
        load_agreement_file(broken)


def test_the_forty_cfbu_activity_types_load_and_some_have_documented_effect() -> None:
    types = activity_types()
    assert len(types) == 40
    assert types["lektiecafeer"].documented_effect is True
    assert types["image-fremme"].documented_effect is False


def test_importing_records_plan_documents_and_definitions_in_force() -> None:
    app = Agreements()
    import_agreement(app, load_agreement_file(NORDVEST_FILE))
    summary = plan_summary(app, NORDVEST)
    assert summary["counts"] == {
        "afdelinger": 14,
        "survey_areas": 5,
        "overall_indicators": 9,
        "delaftaler": 4,
        "delmaal": 21,
        "activities": 12,
    }
    assert app.forum("samarbejdsforum-koebenhavn").members == {
        NORDVEST: summary["period"]["start"]
    }
    derived = app.definition(NORDVEST, "UL-OUT-1").in_force(summary["period"]["start"])
    assert derived is not None
    assert derived["kind"] == "derived"


def test_a_refused_import_stores_nothing(raw: dict[str, Any]) -> None:
    app = Agreements()
    raw["delaftaler"][3]["activities"][0]["cfbu_activity_type"] = "no-such-type"
    with pytest.raises(UnknownActivityTypeError):
        import_agreement(app, parse_agreement(raw))
    assert app.recorder.max_notification_id() in (None, 0)


def test_importing_the_same_plan_twice_is_refused_and_changes_nothing() -> None:
    app = Agreements()
    agreement = load_agreement_file(NORDVEST_FILE)
    import_agreement(app, agreement)
    head = app.recorder.max_notification_id()
    with pytest.raises(AlreadyRegisteredError, match="already imported"):
        import_agreement(app, agreement)
    assert app.recorder.max_notification_id() == head
