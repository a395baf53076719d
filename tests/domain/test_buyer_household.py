"""The buyer-household rule (不得由收买家庭继续抚养: 001 三(二)2(4), 002 三(二)4, 003 第十六条, 004 第二十一条)
against the ways the same household gets written: one test per variant."""

from __future__ import annotations

import pytest

from fanguai_desk.domain.rules import HouseholdRef, address_parts, household_match_reason, normalize_address

BUYER = HouseholdRef(head_name="石大山", address="青龙乡石门村3组")


@pytest.mark.parametrize(("variant", "address"), [
    ("house number added", "青龙乡石门村3组12号"),
    ("township dropped", "石门村3组"),
    ("乡 dropped", "青龙石门村3组"),
    ("村 dropped", "青龙乡石门3组"),
    ("村委会", "青龙乡石门村委会3组"),
    ("村民委员会", "青龙乡石门村民委员会3组"),
    ("leading zero 03组", "青龙乡石门村03组"),
    ("3社", "青龙乡石门村3社"),
    ("3队", "青龙乡石门村3队"),
    ("乡 → 镇", "青龙镇石门村3组"),
    ("Chinese numeral", "青龙乡石门村三组"),
    ("第三组", "青龙乡石门村第三组"),
    ("traditional characters", "青龍鄉石門村三組"),
    ("full-width digits and spaces", "青龙乡 石门村　３组"),
    ("county added", "某县青龙乡石门村3组"),
    ("combined", "某縣青龍鎮石門村委會03社12號"),
])
def test_same_household_written_differently_is_a_match(variant: str, address: str) -> None:
    assert household_match_reason(HouseholdRef(address=address), BUYER) == "address", variant


@pytest.mark.parametrize(("variant", "candidate"), [
    ("same head, same village, other group", HouseholdRef(head_name="石大山", address="青龙乡石门村5组")),
    ("same head, traditional name", HouseholdRef(head_name="石大山", address="青龍鄉石門村7組")),
    ("same head with spaces, village only", HouseholdRef(head_name="石 大山", address="石门村")),
    ("same head, no address", HouseholdRef(head_name="石大山")),
])
def test_same_head_of_household_in_the_same_village_is_a_match(variant: str, candidate: HouseholdRef) -> None:
    assert household_match_reason(candidate, BUYER) == "head_name", variant


@pytest.mark.parametrize(("variant", "candidate"), [
    ("other village", HouseholdRef(head_name="王某", address="青龙乡石桥村3组")),
    ("other group", HouseholdRef(head_name="王某", address="青龙乡石门村4组")),
    ("other house in the group", HouseholdRef(address="青龙乡石门村3组15号")),
    ("same village name in another township", HouseholdRef(address="白马镇石门村3组")),
    ("same head in another village", HouseholdRef(head_name="石大山", address="白马镇桃源村3组")),
    ("group number only", HouseholdRef(address="3组")),
])
def test_other_households_do_not_match(variant: str, candidate: HouseholdRef) -> None:
    buyer = HouseholdRef(head_name="石大山", address="青龙乡石门村3组12号")
    assert household_match_reason(candidate, buyer) is None, variant


def test_address_parts_and_normaliser_are_idempotent() -> None:
    parts = address_parts("某縣青龍鎮石門村委會03社12號")
    assert (parts.township, parts.village, parts.group, parts.house) == ("青龙", "石门", "3", "12")
    once = normalize_address("某縣青龍鎮石門村委會03社12號")
    assert normalize_address(once) == once == "某县青龙镇石门村3组12号"
