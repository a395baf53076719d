"""Pinyin search keys for names."""

from __future__ import annotations

import pytest

from fanguai_desk.domain.search_keys import name_search_keys, normalize_query


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("张三华", ("zhangsanhua", "zsh")),
        ("欧阳小明", ("ouyangxiaoming", "oyxm")),
        ("吕丽", ("lvli", "ll")),
        ("Maria Lopez", ("marialopez", "ml")),
        ("阿依古丽·买买提", ("ayigulimaimaiti", "ayglmmt")),
        ("ＺＨＡＮＧ Ｗｅｉ", ("zhangwei", "zw")),
        (None, ("", "")),
        ("", ("", "")),
    ],
)
def test_name_search_keys_are_full_pinyin_and_initials(name: str | None, keys: tuple[str, str]) -> None:
    assert name_search_keys(name) == keys


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("单雄信", "shanxiongxin"),
        ("曾国藩", "zengguofan"),
        ("解晓东", "xiexiaodong"),
        ("仇英", "qiuying"),
        ("朴树", "piaoshu"),
        ("区小明", "ouxiaoming"),
        ("查良镛", "zhaliangyong"),
        ("翟志刚", "zhaizhigang"),
        ("尉迟恭", "yuchigong"),
        ("万俟小燕", "moqixiaoyan"),
    ],
)
def test_heteronym_surnames_use_their_surname_reading(name: str, full: str) -> None:
    assert name_search_keys(name)[0] == full


def test_surname_reading_applies_only_to_the_first_character() -> None:
    # 曾 in a given name keeps the ordinary reading: only the surname is special.
    assert name_search_keys("王曾")[0] == "wangceng"


def test_keys_have_no_tones_spaces_or_digits() -> None:
    full, initials = name_search_keys("李 小-红 2")
    assert full == "lixiaohong"
    assert initials == "lxh"


@pytest.mark.parametrize(
    ("query", "expected"), [("  ZSH ", "zsh"), ("ｚｈａｎｇ", "zhang"), ("张三", "张三")]
)
def test_normalize_query_matches_stored_keys(query: str, expected: str) -> None:
    assert normalize_query(query) == expected
