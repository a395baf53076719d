"""The DNA detector, measured (issue 12): evasions of a synthetic profile are refused, ordinary notes are not.

Both sets are written for this test and generated from a fixed seed: ≥ 100 synthetic DNA profiles and
results in varied formats (tables, JSON, underscores, zero-width and soft-hyphen characters, Cyrillic and
Greek look-alikes, separators inside locus names, split lines, base64, Y-STR, mtDNA, SNP ids, Chinese and
English comparison results) and ≥ 500 ordinary caseworker notes (school, maths and biology lessons,
prices and CPI, blood types, room and bus numbers, the police taking samples, results not yet back).
The rates are printed (``pytest -s``) and bounded: every positive refused, ≤ 1 % false positives.
"""

from __future__ import annotations

import base64
import json
import random

from fanguai_desk.domain.dna import find_dna_content

LOCI = ["D8S1179", "D21S11", "D7S820", "CSF1PO", "D3S1358", "TH01", "D13S317", "D16S539", "D2S1338", "D19S433",
        "vWA", "TPOX", "D18S51", "D5S818", "FGA", "D6S1043", "D12S391", "D1S1656", "Penta E", "SE33"]
CHROMOSOME_LOCI = [x for x in LOCI if x.startswith("D") and "S" in x]
Y_LOCI = ["DYS19", "DYS390", "DYS391", "DYS392", "DYS393", "DYS437", "DYS438", "DYS439", "DYS456", "DYS635"]
CYRILLIC = {"D": "Ԁ", "S": "Ѕ", "A": "А", "T": "Т", "H": "Н", "O": "О", "C": "С", "P": "Р", "E": "Е",
            "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х"}
GREEK = {"A": "Α", "T": "Τ", "H": "Η", "O": "Ο", "P": "Ρ", "E": "Ε", "o": "ο"}


def _allele(rng: random.Random) -> str:
    v = rng.randint(6, 32)
    return f"{v}.{rng.choice([1, 2, 3])}" if rng.random() < 0.15 else str(v)


def _pair(rng: random.Random, sep: str = ",") -> str:
    return f"{_allele(rng)}{sep}{_allele(rng)}"


def _insert(locus: str, rng: random.Random, char: str) -> str:
    i = rng.randint(1, len(locus) - 1)
    return locus[:i] + char + locus[i:]


def positives(rng: random.Random) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def add(form: str, text: str) -> None:
        out.append((form, text))

    for _ in range(6):
        loci = rng.sample(LOCI, 4)
        add("colon", "；".join(f"{x}: {_pair(rng)}" for x in loci))
        add("equals", " ".join(f"{x}={_pair(rng, '/')}" for x in loci[:2]))
        add("table", "Locus\tA1\tA2\n" + "\n".join(f"{x}\t{_allele(rng)}\t{_allele(rng)}" for x in loci))
        add("json", json.dumps({x: [_allele(rng), _allele(rng)] for x in loci[:2]}))
        add("underscore", f"{rng.choice(CHROMOSOME_LOCI)}_{_allele(rng)}_{_allele(rng)}")
        locus = rng.choice(CHROMOSOME_LOCI)
        add("zwsp", f"{_insert(locus, rng, chr(0x200B))}: {_pair(rng)}")
        add("soft hyphen", f"{_insert(locus, rng, chr(0xAD))} {_pair(rng)}")
        add("word joiner", f"{_insert(locus, rng, chr(0x2060))}={_pair(rng)}")
        add("cyrillic", "".join(CYRILLIC.get(ch, ch) for ch in locus) + f": {_pair(rng)}")
        add("greek", "".join(GREEK.get(ch, ch) for ch in "TPOX") + f": {_pair(rng)}")
        d, s = locus.split("S", 1)
        add("space inside", f"{d} S{s} {_pair(rng)}")
        add("hyphen inside", f"{d}-S{s}: {_pair(rng)}")
        add("split line", f"{d}S\n{s}: {_pair(rng)}")
        add("base64", "附：" + base64.b64encode(f"{locus}: {_pair(rng)}".encode()).decode())
        add("y-str", f"{rng.choice(Y_LOCI)} {_allele(rng)}，{rng.choice(Y_LOCI)} {_allele(rng)}")
        add("mtdna", f"mtDNA：{rng.randint(16024, 16569)}T {rng.randint(60, 300)}G")
        add("mtdna bare", " ".join(f"{rng.randint(16024, 16569)}{rng.choice('ACGT')}" for _ in range(3)))
        add("snp", f"rs{rng.randint(1000, 99999999)} {rng.choice(['AG', 'CT', 'A/G', 'GG'])}")
        add("result zh", rng.choice(["DNA比对结果：与其母亲存在亲缘关系", "D N A 比对结果：一致",
                                     "经DNA鉴定，系其亲生女儿", "亲子鉴定结论：支持生物学母亲关系",
                                     f"累计亲权指数{rng.randint(10, 99)}×10^6"]))
        add("result en", rng.choice(["DNA match confirmed with the mother", "D.N.A. profile attached",
                                     f"paternity index {rng.randint(100, 9999)}", "genotype: 12/14"]))
    return out


SCHOOL = ["孩子已返校上课，{n}年级，班主任反映学习认真。", "期中考试语文{n}分，数学{m}分。",
          "在{n}班就读，住校，每周五回家。", "学校减免书本费{n}元。"]
MATHS = ["数学课学习圆周率，PI=3.14，她能背到小数点后{n}位。", "练习题：半径{n}厘米的圆，面积=3.14×{n}×{n}。",
         "数学作业：{n}+{m}={s}，全部做对。", "学习了π≈3.14159。"]
BIOLOGY = ["生物课学习了等位基因和孟德尔遗传定律。", "生物课讲了DNA双螺旋结构，她很感兴趣。",
           "生物课学习了基因型和表现型。", "科学课介绍了DNA是遗传物质。", "生物考试{n}分，题目有染色体和基因。"]
PRICES = ["当月CPI为{c}，物价略有上涨。", "CPI同比上涨{p}%。", "大米每斤{n}元，猪肉每斤{m}元。",
          "CPI=102.{n}，低保标准随之调整。", "低保金每月{n}元。"]
BLOOD = ["血型：{b}型，Rh阳性。", "体检：血型{b}，血红蛋白{n}g/L。", "就医时告知医生血型为{b}型。"]
PLACES = ["住{n}号楼{m}单元{s}室。", "乘D{n}路公交车到镇上。", "房号D{n}，已更换门锁。", "儿童福利机构D区{n}号床。",
          "坐{n}路车，在第{m}站下车。", "地址：幸福路{n}号{m}栋。"]
POLICE = ["民警采集了血样，用于寻亲。", "公安机关已采集DNA样本，比对结果尚未出来。", "DNA比对结果：尚未出来。",
          "DNA比对结果还没有出来，家属在等待。", "民警告知将进行DNA比对。", "已告知家属DNA采集由公安机关负责，本单位不收集。",
          "等待公安机关DNA比对结果。", "家属到派出所采血{n}次。"]
OTHER = ["今日入户走访，本人情绪稳定。", "身高{n}cm，体重{m}kg。", "电话199{n:04d}{m:04d}。", "{n}月{m}日回访，祖母身体尚可。",
         "领取救助金{n}元。", "第{n}组第{m}户。", "复印件共{n}页，{m}份。", "编号A-{n}/{m}。", "VW汽车维修{n}元。"]
ALL = SCHOOL + MATHS + BIOLOGY + PRICES + BLOOD + PLACES + POLICE + OTHER


def ordinary(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        parts = rng.sample(ALL, rng.randint(1, 3))
        n, m = rng.randint(1, 99), rng.randint(1, 99)
        out.append("".join(t.format(n=n, m=m, s=n + m, c=f"{rng.uniform(98, 106):.1f}", p=f"{rng.uniform(0, 5):.1f}",
                                    b=rng.choice(["A", "B", "AB", "O"])) for t in parts))
    return out + ALL


def test_detector_rates() -> None:
    rng = random.Random(1212)
    pos = positives(rng)
    neg = ordinary(rng, 560)
    assert len(pos) >= 100 and len(neg) >= 500
    missed = [(form, text) for form, text in pos if find_dna_content(text) is None]
    false_positive = [text for text in neg if find_dna_content(text) is not None]
    refused_rate = 1 - len(missed) / len(pos)
    fp_rate = len(false_positive) / len(neg)
    print(f"\nDNA detector: {len(pos) - len(missed)}/{len(pos)} synthetic profiles refused ({refused_rate:.1%}); "
          f"{len(false_positive)}/{len(neg)} ordinary notes refused ({fp_rate:.2%} false positives)")
    assert not missed, missed[:5]
    assert fp_rate <= 0.01, false_positive[:5]
