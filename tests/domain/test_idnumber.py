"""GB 11643-1999 resident ID numbers."""

from __future__ import annotations

import random
from datetime import date

import pytest

from fanguai_desk.domain.enums import Sex
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.idnumber import (
    IdNumberInfo,
    check_character,
    check_id_against_file,
    id_tail,
    parse_id_number,
    synthetic_id_number,
)

TODAY = date(2026, 11, 1)
# The standard's own worked examples (GB 11643-1999, appendix): not real people.
FEMALE_1949 = "11010519491231002X"
MALE_1880 = "440524188001010014"


def _synthetic(birth: date, sex: Sex, seed: int = 7) -> str:
    return synthetic_id_number(random.Random(seed), birth, sex)


@pytest.mark.parametrize(("first17", "expected"), [(FEMALE_1949[:17], "X"), (MALE_1880[:17], "4")])
def test_check_character_matches_worked_examples(first17: str, expected: str) -> None:
    assert check_character(first17) == expected


@pytest.mark.parametrize("bad", ["", "1234", "1101051949123100X", "11010519491231002X"])
def test_check_character_requires_exactly_17_digits(bad: str) -> None:
    with pytest.raises(ValidationError) as e:
        check_character(bad)
    assert e.value.code == "id_number_format"


def test_worked_example_female_1949_parses() -> None:
    info = parse_id_number(FEMALE_1949, today=TODAY)
    assert info == IdNumberInfo(FEMALE_1949, "110105", date(1949, 12, 31), Sex.FEMALE)


def test_worked_example_male_1880_parses_because_years_from_1800_are_accepted() -> None:
    info = parse_id_number(MALE_1880, today=TODAY)
    assert info.birth_date == date(1880, 1, 1)
    assert info.sex is Sex.MALE
    assert info.region_code == "440524"


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 110105 19491231 002x ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105\t19491231002X\n",
    ],
)
def test_parse_normalizes_spaces_lowercase_x_and_full_width(raw: str) -> None:
    assert parse_id_number(raw, today=TODAY).number == FEMALE_1949


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "11010519491231002",
        "110105194912310021X",
        "11010519491231002Y",
        "1101051949123100XX",
        "abcdefghijklmnopqr",
    ],
)
def test_parse_refuses_wrong_length_or_characters(raw: str) -> None:
    with pytest.raises(ValidationError) as e:
        parse_id_number(raw, today=TODAY)
    assert e.value.code == "id_number_format"


@pytest.mark.parametrize(
    "birth_part",
    ["20230229", "19491331", "19490001", "19490230", "17991231", "20261102", "29990101"],
)
def test_parse_refuses_impossible_future_or_too_old_birth_date(birth_part: str) -> None:
    first17 = "510199" + birth_part + "002"
    with pytest.raises(ValidationError) as e:
        parse_id_number(first17 + check_character(first17), today=TODAY)
    assert e.value.code == "id_number_birth_date"


def test_parse_accepts_birth_date_equal_to_today() -> None:
    number = _synthetic(TODAY, Sex.FEMALE)
    assert parse_id_number(number, today=TODAY).birth_date == TODAY


def test_parse_refuses_bad_check_character() -> None:
    with pytest.raises(ValidationError) as e:
        parse_id_number(FEMALE_1949[:17] + "1", today=TODAY)
    assert e.value.code == "id_number_checksum"


def test_errors_never_carry_the_number() -> None:
    with pytest.raises(ValidationError) as e:
        parse_id_number(FEMALE_1949[:17] + "1", today=TODAY)
    assert FEMALE_1949[:17] not in repr(e.value.params)
    assert FEMALE_1949[:17] not in str(e.value)


def test_parse_uses_system_date_when_today_not_given() -> None:
    assert parse_id_number(FEMALE_1949).birth_date == date(1949, 12, 31)


def test_check_against_file_accepts_matching_birth_date_and_sex() -> None:
    info = check_id_against_file(FEMALE_1949, date(1949, 12, 31), Sex.FEMALE, today=TODAY)
    assert info.sex is Sex.FEMALE


def test_check_against_file_refuses_other_birth_date() -> None:
    with pytest.raises(RuleViolation) as e:
        check_id_against_file(FEMALE_1949, date(1949, 12, 30), None, today=TODAY)
    assert e.value.code == "id_number_birth_mismatch"


def test_check_against_file_refuses_other_sex() -> None:
    with pytest.raises(RuleViolation) as e:
        check_id_against_file(FEMALE_1949, None, Sex.MALE, today=TODAY)
    assert e.value.code == "id_number_sex_mismatch"


@pytest.mark.parametrize("sex", [None, Sex.UNKNOWN])
def test_check_against_file_skips_unknown_sex_and_missing_birth_date(sex: Sex | None) -> None:
    assert check_id_against_file(MALE_1880, None, sex, today=TODAY).sex is Sex.MALE


def test_check_against_file_still_validates_the_number() -> None:
    with pytest.raises(ValidationError):
        check_id_against_file("123", None, None, today=TODAY)


@pytest.mark.parametrize("sex", [Sex.FEMALE, Sex.MALE])
def test_synthetic_numbers_are_valid_and_match_birth_date_and_sex(sex: Sex) -> None:
    rng = random.Random(42)
    for offset in range(200):
        birth = date(1950 + offset % 70, 1 + offset % 12, 1 + offset % 28)
        number = synthetic_id_number(rng, birth, sex)
        info = check_id_against_file(number, birth, sex, today=TODAY)
        assert info.region_code == "510199"


def test_synthetic_number_for_unknown_sex_is_valid() -> None:
    number = _synthetic(date(2010, 5, 6), Sex.UNKNOWN)
    assert parse_id_number(number, today=TODAY).birth_date == date(2010, 5, 6)


def test_synthetic_numbers_are_reproducible_from_the_seed() -> None:
    assert _synthetic(date(2012, 3, 4), Sex.FEMALE, seed=3) == _synthetic(
        date(2012, 3, 4), Sex.FEMALE, seed=3
    )


def test_synthetic_number_honours_another_region_code() -> None:
    number = synthetic_id_number(random.Random(1), date(2000, 1, 1), Sex.MALE, region_code="990101")
    assert number.startswith("990101")
    parse_id_number(number, today=TODAY)


def test_synthetic_number_refuses_malformed_region_code() -> None:
    with pytest.raises(ValueError):
        synthetic_id_number(random.Random(1), date(2000, 1, 1), Sex.MALE, region_code="5101")


def test_id_tail_returns_last_characters_normalized() -> None:
    assert id_tail(FEMALE_1949) == "002X"
    assert id_tail("11010519491231002x", 2) == "2X"
    assert id_tail(FEMALE_1949, 0) == ""
