"""Least exposure: masked names, ID numbers, phones and addresses."""

from __future__ import annotations

import pytest

from fanguai_desk.domain.masking import HIDDEN_NAME, mask_address, mask_id_number, mask_name, mask_phone


def test_hidden_name_is_seven_stars() -> None:
    assert HIDDEN_NAME == "*******"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三华", "张**"),
        ("张三", "张*"),
        ("欧阳小明", "欧阳**"),
        ("欧阳明", "欧阳*"),
        ("司马光", "司马*"),
        ("诸葛亮", "诸葛*"),
        ("上官婉儿", "上官**"),
        ("张", "*"),
        ("Maria Lopez", "M****"),
        ("Li", "L****"),
        ("Alexandra Konstantinopoulou", "A****"),
        (" 张三华 ", "张**"),
        (None, ""),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_name_keeps_the_surname_and_hides_every_given_name_character(name: str | None, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_name_never_shows_a_given_name_character() -> None:
    masked = mask_name("阿依古丽买买提")
    assert masked == "阿******"


def test_every_identifying_field_of_every_record_type_has_a_mask() -> None:
    from datetime import date

    from fanguai_desk.domain.masking import mask_field
    from fanguai_desk.store.models import Base

    identifying = {"name", "alias", "head_name", "household_head", "guardian_name", "id_number",
                   "caregiver_id_number", "member_id_numbers", "phone", "address", "household_registration",
                   "current_residence", "birth_date", "name_pinyin", "name_initials", "id_tail"}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.key in identifying:
                assert mask_field(column.key, "王小红" if column.key != "birth_date" else date(2001, 4, 5)) != (
                    "王小红" if column.key != "birth_date" else date(2001, 4, 5)), (table.name, column.key)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("51010119900101123X", "5101**********123X"),
        ("51010119900101123x", "5101**********123X"),
        ("510101 19900101 123X", "5101**********123X"),
        ("510101900101123", "5101*******1123"),
        ("E12345678", "*********"),
        (None, ""),
        ("", ""),
    ],
)
def test_mask_id_number_shows_first_four_and_last_four(number: str | None, masked: str) -> None:
    assert mask_id_number(number) == masked


def test_masked_id_number_never_shows_more_than_eight_characters() -> None:
    for length in range(1, 25):
        masked = mask_id_number("9" * length)
        assert len(masked.replace("*", "")) <= 8


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("19900001234", "199****1234"),
        ("199 0000 1234", "199****1234"),
        ("199-0000-1234", "199****1234"),
        ("028-85551234", "028****1234"),
        ("12345", "*****"),
        (None, ""),
    ],
)
def test_mask_phone_shows_first_three_and_last_four_digits(phone: str | None, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("青禾县石桥镇柳湾村8组", "青禾县石桥镇…"),
        ("青禾县石桥镇", "青禾县…"),
        ("柳湾村", "柳…"),
        ("桃源村5组12号", "桃源…"),
        ("四川省成都市青龙镇石门村", "四川省成都市…"),
        (None, ""),
        ("", ""),
    ],
)
def test_mask_address_keeps_only_the_beginning(address: str | None, masked: str) -> None:
    assert mask_address(address) == masked


def test_the_shortcuts_mask_exactly_as_the_general_rule() -> None:
    """mask_name skips the Latin check for a name starting with a CJK letter, mask_id_number skips NFKC for
    a plain ASCII number: over generated names and numbers, the same result as the general rule."""
    import random
    import unicodedata

    from fanguai_desk.domain import masking

    def general_name(name: str) -> str:
        text = name.strip()
        if not text:
            return ""
        words = text.split()
        if all(masking._is_latin_word(w) for w in words):
            return text[0] + "****"
        chars = "".join(words)
        if len(chars) == 1:
            return "*"
        surname = 2 if len(chars) > 2 and chars[:2] in masking.COMPOUND_SURNAMES else 1
        return chars[:surname] + "*" * (len(chars) - surname)

    def general_id(number: str) -> str:
        text = "".join(unicodedata.normalize("NFKC", number).split()).upper()
        return "*" * len(text) if len(text) < 15 else text[:4] + "*" * (len(text) - 8) + text[-4:]

    rng = random.Random(16)
    alphabet = "王欧阳小明红司马 MariaLópezΑβ１２xX0123456789　-ü"
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20)))
        assert mask_name(s) == general_name(s), s
        assert mask_id_number(s) == general_id(s), s
