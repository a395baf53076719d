"""Synthetic people: valid-looking, reproducible, fast, never real."""

from __future__ import annotations

import re
from datetime import date

import pytest

from fanguai_desk.domain.clocks import age_on
from fanguai_desk.domain.dna import find_dna_content
from fanguai_desk.domain.enums import Sex
from fanguai_desk.domain.idnumber import check_id_against_file, parse_id_number
from fanguai_desk.domain.search_keys import name_search_keys
from fanguai_desk.domain.synthetic import UNIT_KINDS, SyntheticPeople

ON = date(2026, 11, 1)


def test_same_seed_gives_same_people() -> None:
    a, b = SyntheticPeople(5), SyntheticPeople(5)
    assert [a.full_name(Sex.FEMALE) for _ in range(20)] == [b.full_name(Sex.FEMALE) for _ in range(20)]
    assert a.village_address() == b.village_address()


def test_different_seeds_give_different_people() -> None:
    a, b = SyntheticPeople(1), SyntheticPeople(2)
    assert [a.full_name(Sex.MALE) for _ in range(20)] != [b.full_name(Sex.MALE) for _ in range(20)]


@pytest.mark.parametrize("sex", list(Sex))
def test_full_names_are_two_to_four_han_characters_with_pinyin(sex: Sex) -> None:
    people = SyntheticPeople(3)
    for _ in range(500):
        name = people.full_name(sex)
        assert 2 <= len(name) <= 4
        assert re.fullmatch(r"[\u4e00-\u9fff]+", name)
        assert name_search_keys(name)[0]


def test_compound_surnames_occur() -> None:
    people = SyntheticPeople(11)
    names = [people.full_name(Sex.FEMALE) for _ in range(2000)]
    assert any(n.startswith(("欧阳", "司马", "上官", "诸葛")) for n in names)


@pytest.mark.parametrize(("min_age", "max_age"), [(0, 0), (6, 15), (16, 17), (18, 60), (17, 17)])
def test_birth_date_gives_an_age_within_the_range(min_age: int, max_age: int) -> None:
    people = SyntheticPeople(4)
    for on in (ON, date(2024, 2, 29)):
        for _ in range(300):
            birth = people.birth_date(min_age, max_age, on)
            age = age_on(birth, None, on)
            assert age is not None and min_age <= age <= max_age


def test_birth_date_refuses_an_inverted_range() -> None:
    with pytest.raises(ValueError):
        SyntheticPeople(1).birth_date(10, 5, ON)


def test_id_numbers_are_valid_and_in_the_unassigned_county() -> None:
    people = SyntheticPeople(9)
    for sex in (Sex.FEMALE, Sex.MALE):
        birth = people.birth_date(0, 80, ON)
        number = people.id_number(birth, sex)
        assert number.startswith("510199")
        check_id_against_file(number, birth, sex, today=ON)


def test_village_address_has_county_town_village_and_group() -> None:
    address = SyntheticPeople(2).village_address()
    assert re.fullmatch(r"\w{2}县\w{2}镇\w{2}村\d{1,2}组", address)


def test_phone_numbers_are_in_the_reserved_looking_block() -> None:
    people = SyntheticPeople(2)
    for _ in range(100):
        assert re.fullmatch(r"1990000\d{4}", people.phone())


@pytest.mark.parametrize("kind", UNIT_KINDS)
def test_unit_names_exist_for_every_kind(kind: str) -> None:
    name = SyntheticPeople(2).unit_name(kind)
    assert re.search(r"[县镇]", name)


def test_unit_names_for_civil_affairs_and_legal_aid() -> None:
    people = SyntheticPeople(2)
    assert people.unit_name("civil_affairs").endswith("镇民政办")
    assert people.unit_name("legal_aid").endswith("县法律援助中心")


def test_unknown_unit_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        SyntheticPeople(2).unit_name("bakery")


def test_free_notes_never_trip_the_dna_detector() -> None:
    people = SyntheticPeople(8)
    for _ in range(2000):
        assert find_dna_content(people.free_note()) is None


def test_ten_thousand_people_are_all_well_formed() -> None:
    """(Speed is measured by ``fanguai-desk bench``, never asserted here.)"""
    people = SyntheticPeople(1)
    for i in range(10_000):
        sex = Sex.FEMALE if i % 2 else Sex.MALE
        assert people.full_name(sex)
        birth = people.birth_date(0, 70, ON)
        number = people.id_number(birth, sex)
        parsed = parse_id_number(number)
        assert parsed.birth_date == birth and parsed.sex is sex
        assert people.village_address() and people.phone()
