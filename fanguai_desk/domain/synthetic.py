"""Synthetic people for demo data and tests — never real ones.

Names are common surnames with generated given names; ID numbers use the unassigned county code
``510199`` (see ``idnumber.synthetic_id_number``); phone numbers are ``1990000xxxx``; addresses and
units are built from generated place names.  Everything is reproducible from the seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from fanguai_desk.domain.enums import Sex
from fanguai_desk.domain.idnumber import SYNTHETIC_REGION_CODE, synthetic_id_number

__all__ = ["PHONE_PREFIX", "UNIT_KINDS", "SyntheticPeople"]

PHONE_PREFIX = "1990000"

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
_GIVEN_FEMALE = "秀英华兰芳玉梅丽敏静燕艳娟霞婷雪琳佳欣怡悦蓉萍红春桂珍琴云凤洁晓雨思梦月彩丹"
_GIVEN_MALE = "伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆林峰文建国志成海龙东亮兵"
_GIVEN_ANY = "小子嘉一诗思天新永长春秋安宁"
_PLACE_FIRST = "青石白柳桃杏梨松竹梅兰清云水山河溪江湾坪坝塘岭沟桥林花金银新平安和丰乐福"
_PLACE_SECOND = "禾桥湾坪坝塘岭沟林田溪川山水阳源泉口岗冲堡寨庄园"

#: The kinds ``unit_name`` knows: generic ones, and the service types whose responsible unit they name.
UNIT_KINDS = (
    "civil_affairs",
    "civil_affairs_bureau",
    "legal_aid",
    "police",
    "police_station",
    "rescue_station",
    "welfare",
    "school",
    "education",
    "hospital",
    "health",
    "human_resources",
    "women_federation",
    "social_work",
    "court",
    "temporary_assistance",
    "family_tracing",
    "hukou_registration",
    "medical",
    "rehabilitation",
    "return_to_school",
    "vocational_training",
    "return_to_family",
    "continuing_support",
    "social_assistance",
)

_UNIT_TEMPLATES = {
    "civil_affairs": "{town}镇民政办",
    "civil_affairs_bureau": "{county}县民政局",
    "legal_aid": "{county}县法律援助中心",
    "police": "{county}县公安局",
    "police_station": "{county}县公安局{town}派出所",
    "rescue_station": "{county}县救助管理站",
    "welfare": "{county}县儿童福利院",
    "school": "{town}镇中心小学",
    "education": "{county}县教育局",
    "hospital": "{county}县人民医院",
    "health": "{county}县卫生健康局",
    "human_resources": "{county}县人力资源和社会保障局",
    "women_federation": "{county}县妇女联合会",
    "social_work": "{county}县社会工作服务中心",
    "court": "{county}县人民法院",
    "temporary_assistance": "{county}县救助管理站",
    "family_tracing": "{county}县公安局",
    "hukou_registration": "{county}县公安局{town}派出所",
    "medical": "{county}县人民医院",
    "rehabilitation": "{county}县社会工作服务中心",
    "return_to_school": "{town}镇中心小学",
    "vocational_training": "{county}县人力资源和社会保障局",
    "return_to_family": "{town}镇民政办",
    "continuing_support": "{town}镇民政办",
    "social_assistance": "{county}县民政局",
}

# Ordinary caseworker sentences.  No DNA wording (tested): demo notes must pass the DNA detector.
_NOTE_OPENINGS = (
    "今日入户走访，",
    "电话回访，",
    "到学校了解情况，",
    "与村委会干部一同走访，",
    "到工作单位回访，",
    "在镇民政办约谈，",
)
_NOTE_BODIES = (
    "本人情绪稳定，生活基本正常",
    "孩子已按时到校上课，成绩中等",
    "家中收入主要靠务农，生活较为困难",
    "本人表示希望参加技能培训",
    "监护人对安置情况表示满意",
    "身体状况良好，按时复诊",
    "睡眠不好，需要继续心理疏导",
    "已在县城一家餐馆务工，收入稳定",
    "住房漏雨，已反映给村委会",
    "与家人关系融洽，邻里相处和睦",
)
_NOTE_CLOSINGS = (
    "建议纳入低保范围。",
    "下次回访时间另行通知。",
    "已协调镇卫生院跟进。",
    "已告知法律援助申请渠道。",
    "将联系县人社局了解培训安排。",
    "无其他特殊需求。",
)


class SyntheticPeople:
    """Generated, reproducible identities: ``SyntheticPeople(seed=1).full_name(Sex.FEMALE)``."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    @property
    def rng(self) -> random.Random:
        """The generator itself, for callers that need more random choices from the same seed."""
        return self._rng

    def full_name(self, sex: Sex) -> str:
        rng = self._rng
        surname = rng.choice(_COMPOUND_SURNAMES) if rng.random() < 0.03 else rng.choice(_SURNAMES)
        if sex is Sex.FEMALE:
            pool = _GIVEN_FEMALE
        elif sex is Sex.MALE:
            pool = _GIVEN_MALE
        else:
            pool = _GIVEN_FEMALE + _GIVEN_MALE
        if rng.random() < 0.3:
            given = rng.choice(pool)
        else:
            given = rng.choice(_GIVEN_ANY + pool) + rng.choice(pool)
        return surname + given

    def birth_date(self, min_age: int, max_age: int, on: date) -> date:
        """A birth date of someone aged ``min_age``..``max_age`` (inclusive) on ``on``."""
        if min_age < 0 or max_age < min_age:
            raise ValueError("need 0 <= min_age <= max_age")
        latest = _years_before(on, min_age)
        earliest = _years_before(on, max_age + 1) + timedelta(days=1)
        span = (latest - earliest).days
        return earliest + timedelta(days=self._rng.randint(0, span))

    def id_number(self, birth_date: date, sex: Sex, region_code: str = SYNTHETIC_REGION_CODE) -> str:
        return synthetic_id_number(self._rng, birth_date, sex, region_code)

    def _place(self) -> str:
        return self._rng.choice(_PLACE_FIRST) + self._rng.choice(_PLACE_SECOND)

    def village_address(self) -> str:
        """A made-up address such as 青禾县石桥镇柳湾村3组."""
        return f"{self._place()}县{self._place()}镇{self._place()}村{self._rng.randint(1, 12)}组"

    def phone(self) -> str:
        """An 11-digit mobile-style number in the ``1990000xxxx`` block."""
        return f"{PHONE_PREFIX}{self._rng.randrange(10000):04d}"

    def unit_name(self, kind: str) -> str:
        """A responsible-unit name for ``kind`` (one of ``UNIT_KINDS``, which include the service types)."""
        template = _UNIT_TEMPLATES.get(kind)
        if template is None:
            raise ValueError(f"unknown unit kind {kind!r}; known: {', '.join(UNIT_KINDS)}")
        return template.format(county=self._place(), town=self._place())

    def free_note(self) -> str:
        """An ordinary follow-up sentence (no personal names, no DNA wording)."""
        rng = self._rng
        return rng.choice(_NOTE_OPENINGS) + rng.choice(_NOTE_BODIES) + "。" + rng.choice(_NOTE_CLOSINGS)


def _years_before(on: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February in a common year."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)
