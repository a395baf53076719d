"""The plans' hard rules: ≥16 training, school services, buyer household, file numbers."""

from __future__ import annotations

from datetime import date

import pytest

from fanguai_desk.domain.enums import ServiceType
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.rules import (
    MIN_TRAINING_AGE,
    HouseholdRef,
    ensure_not_buyer_household,
    ensure_school_service_allowed,
    ensure_training_allowed,
    household_match_reason,
    household_matches,
    normalize_address,
    validate_file_number,
)

SERVICE_DAY = date(2026, 9, 1)
SYNTHETIC_ID_A = "510199201001010021"  # county 510199 is unassigned: not a real person
SYNTHETIC_ID_B = "510199198505050035"


def test_min_training_age_is_sixteen() -> None:
    assert MIN_TRAINING_AGE == 16


def test_training_refused_under_16_on_service_date() -> None:
    with pytest.raises(RuleViolation) as e:
        ensure_training_allowed(ServiceType.VOCATIONAL_TRAINING, SERVICE_DAY, date(2010, 9, 2), None)
    assert e.value.code == "training_under_16"
    assert e.value.params["age"] == 15
    assert e.value.params["service_date"] == "2026-09-01"


def test_training_allowed_on_sixteenth_birthday() -> None:
    ensure_training_allowed(ServiceType.VOCATIONAL_TRAINING, SERVICE_DAY, date(2010, 9, 1), None)


def test_training_with_estimated_year_uses_lower_bound_age() -> None:
    # Born "around 2010": on 1 Sep 2026 the person may still be 15, so training is refused.
    with pytest.raises(RuleViolation) as e:
        ensure_training_allowed(ServiceType.VOCATIONAL_TRAINING, SERVICE_DAY, None, 2010)
    assert e.value.code == "training_under_16"
    ensure_training_allowed(ServiceType.VOCATIONAL_TRAINING, SERVICE_DAY, None, 2009)


def test_training_refused_when_age_unknown() -> None:
    with pytest.raises(RuleViolation) as e:
        ensure_training_allowed(ServiceType.VOCATIONAL_TRAINING, SERVICE_DAY, None, None)
    assert e.value.code == "training_age_unknown"


@pytest.mark.parametrize("service_type", [t for t in ServiceType if t is not ServiceType.VOCATIONAL_TRAINING])
def test_age_rule_applies_only_to_vocational_training(service_type: ServiceType) -> None:
    ensure_training_allowed(service_type, SERVICE_DAY, date(2020, 1, 1), None)
    ensure_training_allowed(service_type, SERVICE_DAY, None, None)


def test_school_service_refused_for_known_adult() -> None:
    with pytest.raises(RuleViolation) as e:
        ensure_school_service_allowed(ServiceType.RETURN_TO_SCHOOL, SERVICE_DAY, date(2008, 9, 1), None)
    assert e.value.code == "school_service_not_school_age"
    assert e.value.params["age"] == 18


@pytest.mark.parametrize(
    ("birth", "age"), [(date(2009, 9, 1), 17), (date(2020, 9, 2), 5), (date(2021, 1, 1), 5)]
)
def test_school_service_refused_outside_compulsory_education_age(birth: date, age: int) -> None:
    """义务教育法 第十一条: from 6 (7 where conditions lack), nine years: ages 6 to 16 on the service date."""
    with pytest.raises(RuleViolation) as e:
        ensure_school_service_allowed(ServiceType.RETURN_TO_SCHOOL, SERVICE_DAY, birth, None)
    assert e.value.code == "school_service_not_school_age"
    assert e.value.params["age"] == age


@pytest.mark.parametrize(
    ("birth", "year"), [(date(2009, 9, 2), None), (date(2020, 9, 1), None), (date(2016, 1, 1), None),
                        (None, 2012), (None, None)]
)
def test_school_service_allowed_for_school_age_or_unknown_age(birth: date | None, year: int | None) -> None:
    ensure_school_service_allowed(ServiceType.RETURN_TO_SCHOOL, SERVICE_DAY, birth, year)


def test_school_rule_ignores_other_service_types() -> None:
    ensure_school_service_allowed(ServiceType.VOCATIONAL_TRAINING, SERVICE_DAY, date(1990, 1, 1), None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("青禾县 石桥镇 柳湾村 8组", "青禾县石桥镇柳湾村8组"),
        ("青禾县石桥镇柳湾村八组", "青禾县石桥镇柳湾村8组"),
        ("青禾县石桥镇柳湾村第八组", "青禾县石桥镇柳湾村8组"),
        ("青禾县石桥镇柳湾村第８组", "青禾县石桥镇柳湾村8组"),
        ("青禾县石桥镇柳湾村十八组", "青禾县石桥镇柳湾村18组"),
        ("三合村二十号", "三合村20号"),
        ("Qinghe Rd. No.5, Apt 3-2", "qingherdno5apt32"),
        ("柳湾村（8组）", "柳湾村8组"),
    ],
)
def test_normalize_address_ignores_spacing_width_punctuation_and_numeral_style(
    raw: str, expected: str
) -> None:
    assert normalize_address(raw) == expected


def test_same_address_written_differently_is_the_same_household() -> None:
    assert household_matches(
        HouseholdRef(address="青禾县石桥镇柳湾村八组"), HouseholdRef(address="青禾县 石桥镇 柳湾村 8 组")
    )


def test_address_without_county_prefix_matches_full_address() -> None:
    assert (
        household_match_reason(
            HouseholdRef(address="石桥镇柳湾村8组"), HouseholdRef(address="青禾县石桥镇柳湾村8组")
        )
        == "address"
    )


def test_different_groups_of_the_same_village_do_not_match() -> None:
    assert not household_matches(
        HouseholdRef(address="青禾县石桥镇柳湾村8组"), HouseholdRef(address="青禾县石桥镇柳湾村9组")
    )


def test_short_address_fragment_alone_does_not_match() -> None:
    assert not household_matches(HouseholdRef(address="8组"), HouseholdRef(address="青禾县石桥镇柳湾村8组"))


def test_same_head_name_matches_when_an_address_is_missing() -> None:
    assert (
        household_match_reason(
            HouseholdRef(head_name="王某某"),
            HouseholdRef(head_name="王某某", address="青禾县石桥镇柳湾村8组"),
        )
        == "head_name"
    )


def test_same_head_name_matches_when_addresses_overlap() -> None:
    assert household_matches(
        HouseholdRef(head_name="王某某", address="柳湾村8组"),
        HouseholdRef(head_name="王 某某", address="青禾县石桥镇柳湾村8组"),
    )


def test_same_head_name_in_another_village_does_not_match() -> None:
    assert not household_matches(
        HouseholdRef(head_name="王某某", address="青禾县石桥镇柳湾村8组"),
        HouseholdRef(head_name="王某某", address="白山县金桥镇松坪村2组"),
    )


def test_shared_member_id_number_matches() -> None:
    assert (
        household_match_reason(
            HouseholdRef(member_id_numbers=(SYNTHETIC_ID_B, SYNTHETIC_ID_A)),
            HouseholdRef(member_id_numbers=(" " + SYNTHETIC_ID_A.lower() + " ",)),
        )
        == "member_id"
    )


def test_empty_households_do_not_match() -> None:
    assert not household_matches(HouseholdRef(), HouseholdRef())
    assert not household_matches(HouseholdRef(member_id_numbers=("",)), HouseholdRef(member_id_numbers=("",)))


BUYER = HouseholdRef(head_name="李某某", address="青禾县石桥镇柳湾村8组", member_id_numbers=(SYNTHETIC_ID_B,))


def test_minor_cannot_be_placed_with_buyer_household() -> None:
    candidate = HouseholdRef(address="青禾县石桥镇柳湾村八组")
    with pytest.raises(RuleViolation) as e:
        ensure_not_buyer_household(True, candidate, [HouseholdRef(head_name="陈某"), BUYER])
    assert e.value.code == "minor_with_buyer_household"
    assert e.value.params == {"match": "address"}


def test_minor_cannot_be_placed_with_household_flagged_as_buyer_whatever_the_form_says() -> None:
    with pytest.raises(RuleViolation) as e:
        ensure_not_buyer_household(
            True, HouseholdRef(address="白山县金桥镇松坪村2组"), [], explicitly_flagged=True
        )
    assert e.value.params == {"match": "flagged"}


def test_minor_can_be_placed_with_another_household() -> None:
    ensure_not_buyer_household(True, HouseholdRef(head_name="陈某", address="白山县金桥镇松坪村2组"), [BUYER])


def test_adult_placement_is_not_blocked_by_buyer_household_rule() -> None:
    ensure_not_buyer_household(False, HouseholdRef(address=BUYER.address), [BUYER], explicitly_flagged=True)


def test_buyer_rule_error_carries_no_personal_data() -> None:
    with pytest.raises(RuleViolation) as e:
        ensure_not_buyer_household(True, HouseholdRef(head_name="李某某"), [BUYER])
    text = repr(e.value.params) + str(e.value)
    assert "李" not in text and "柳湾" not in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5101-2026-0001", "5101-2026-0001"),
        (" 5101-2026-12345 ", "5101-2026-12345"),
        ("５１０１－２０２６－０００１", "5101-2026-0001"),
        ("5101–2026–0001", "5101-2026-0001"),
    ],
)
def test_file_number_accepted_and_normalized(raw: str, expected: str) -> None:
    assert validate_file_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "5101-2026-001",
        "510-2026-0001",
        "5101-26-0001",
        "0101-2026-0001",
        "5101-1850-0001",
        "5101-2026-0000",
        "5101/2026/0001",
        "A101-2026-0001",
        "5101-2026-0001-1",
    ],
)
def test_malformed_file_number_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as e:
        validate_file_number(raw)
    assert e.value.code == "file_number_format"
