"""Chinese labels for every enum value."""

from __future__ import annotations

import inspect
from enum import StrEnum

import pytest

from fanguai_desk.domain import enums
from fanguai_desk.domain.clocks import DueState
from fanguai_desk.domain.enums import PlacementState, ServiceType, Sex
from fanguai_desk.domain.labels import LABELS, SERVICE_TYPE_LABELS, label, label_en

ENUM_CLASSES = [
    cls
    for _, cls in inspect.getmembers(enums, inspect.isclass)
    if issubclass(cls, StrEnum) and cls is not StrEnum and cls.__module__ == enums.__name__
]


@pytest.mark.parametrize("enum_class", [*ENUM_CLASSES, DueState], ids=lambda c: c.__name__)
def test_every_enum_value_has_a_chinese_label(enum_class: type[StrEnum]) -> None:
    table = LABELS[enum_class]
    assert set(table) == set(enum_class)
    for value in enum_class:
        text = label(value)
        assert text and any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("enum_class", [*ENUM_CLASSES, DueState], ids=lambda c: c.__name__)
def test_labels_are_unique_within_an_enum(enum_class: type[StrEnum]) -> None:
    texts = [label(v) for v in enum_class]
    assert len(texts) == len(set(texts))


def test_labels_use_the_plans_wording() -> None:
    assert label(ServiceType.VOCATIONAL_TRAINING) == "技能培训和就业"
    assert SERVICE_TYPE_LABELS[ServiceType.TEMPORARY_ASSISTANCE] == "临时性帮扶救助"
    assert label(PlacementState.RETURNED_TO_BIRTH_PARENTS) == "送还亲生父母"
    assert label(Sex.FEMALE) == "女"


def test_english_label_is_the_title_cased_name() -> None:
    assert label_en(ServiceType.VOCATIONAL_TRAINING) == "Vocational Training"
    assert label_en(DueState.DUE_SOON) == "Due Soon"
    assert label_en(Sex.FEMALE) == "Female"


def test_enum_without_a_table_falls_back_to_english() -> None:
    class Colour(StrEnum):
        LIGHT_BLUE = "light_blue"

    assert label(Colour.LIGHT_BLUE) == "Light Blue"
