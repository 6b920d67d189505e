"""The synthetic demo city: a Xiamen-like city's subjects (信用主体) and the records its departments send.

Everything is deterministic for a seed (one ``random.Random``) and streams: nothing here holds more
than a few hundred rows, so the same generators feed ``xinyong demo``, the tests and the
1,000,000-row benchmark. No database access: rows are the ``{Chinese header: text}`` mappings a
department's export carries, and they enter the platform through the real intake pipeline.

Codes are unique within a run *by construction* (an affine permutation of a counter per code space),
so a million subjects need no set of every code issued.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from math import gcd
from pathlib import Path
from types import TracebackType
from typing import NamedTuple, TypeVar

from xinyong.core import clock
from xinyong.subjects.codes import (
    NO_USCC_PLACEHOLDER,
    USCC_CHARSET,
    complete_resident_id,
    complete_uscc,
    uscc_check_char,
)

T = TypeVar("T")

ORGANISATION = "法人及非法人组织"
INDIVIDUAL_BUSINESS = "个体工商户"
PERSON = "自然人"
ID_CARD = "身份证"
#: Data scope of the special report (厦信用办〔2024〕1号): violations since this day.
SINCE = dt.date(2020, 8, 1)
#: 有效期至 of a long-term licence.
LONG_TERM = "2099-12-31"

# ---------------------------------------------------------------------------------------------------
# Catalogue columns (data/catalogue/kinds/*.yaml; a test keeps these in step with the schemas)

# fmt: off
_SUBJECT = ("行政相对人名称", "行政相对人类别", "统一社会信用代码", "工商注册号")
_OTHER_CODES = ("组织机构代码", "税务登记号", "事业单位证书号", "社会组织登记证号")
_PEOPLE = ("法定代表人", "法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码")
_SOURCE = ("数据来源单位", "数据来源单位统一社会信用代码")
_LISTED = ("名单类型", "认定文书号", "列入事由", "列入依据")
_ENDED = ("列入日期", "有效期至", "移出日期", "移出原因", "认定机关", "认定机关统一社会信用代码", *_SOURCE, "备注")

#: Every column of each kind in catalogue order: the CSV header of a department's export.
HEADERS: dict[str, tuple[str, ...]] = {
    "penalty": (*_SUBJECT, *_OTHER_CODES, *_PEOPLE, "行政处罚决定书文号", "违法行为类型", "违法事实",
                "处罚依据", "处罚类别", "处罚内容", "罚款金额(万元)", "没收违法所得/非法财物金额(万元)",
                "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期", "公示截止期", "处罚机关",
                "处罚机关统一社会信用代码", *_SOURCE, "程序类型", "失信严重程度", "备注"),
    "licence": (*_SUBJECT, *_OTHER_CODES, *_PEOPLE, "行政许可决定文书名称", "行政许可决定文书号", "许可类别",
                "许可证书名称", "许可编号", "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关",
                "许可机关统一社会信用代码", *_SOURCE, "备注"),
    "enforcement": (*_SUBJECT, *_OTHER_CODES, *_PEOPLE, "行政强制决定书文号", "行政强制类别", "行政强制事由",
                    "行政强制依据", "行政强制内容", "涉案财物名称及数量", "涉案金额(万元)", "行政强制决定日期",
                    "解除行政强制措施日期", "公示截止期", "行政强制机关", "行政强制机关统一社会信用代码",
                    "失信严重程度", *_SOURCE, "备注"),
    "serious_dishonesty_list": (*_SUBJECT, *_PEOPLE, *_LISTED, "惩戒措施", *_ENDED),
    "key_attention_list": (*_SUBJECT, *_PEOPLE, *_LISTED, "监管措施", *_ENDED),
    "abnormal_operation": (*_SUBJECT, *_PEOPLE, "列入决定书文号", "列入经营异常名录原因", "列入日期", "列入决定机关",
                           "列入决定机关统一社会信用代码", "移出经营异常名录原因", "移出日期", "移出决定机关",
                           *_SOURCE, "备注"),
    "arrears": (*_SUBJECT, *_PEOPLE, "欠缴类别", "欠缴认定文书号", "欠缴项目", "欠缴所属期", "欠缴金额(万元)",
                "认定日期", "缴清日期", "认定机关", "认定机关统一社会信用代码", *_SOURCE, "备注"),
    "commitment_breach": (*_SUBJECT, *_PEOPLE, "认定文书号", "承诺类型", "承诺书编号", "承诺事项", "承诺日期",
                          "违诺情形", "处理措施", "认定日期", "认定机关", "认定机关统一社会信用代码", "失信严重程度",
                          *_SOURCE, "备注"),
    "commendation": (*_SUBJECT, *_PEOPLE, "表彰决定文号", "荣誉名称", "表彰级别", "表彰内容", "表彰日期", "有效期至",
                     "表彰单位", "表彰单位统一社会信用代码", *_SOURCE, "备注"),
    "commitment": (*_SUBJECT, *_PEOPLE, "承诺书编号", "承诺类型", "承诺事项", "承诺内容", "承诺日期", "践诺期限",
                   "践诺情况", "承诺受理单位", "承诺受理单位统一社会信用代码", *_SOURCE, "备注"),
    "interview": (*_SUBJECT, *_PEOPLE, "约谈编号", "约谈类型", "约谈日期", "约谈地点", "参加人员", "约谈事由",
                  "督促履行的义务", "整改期限", "整改结果", "整改情况", "约谈部门", "约谈部门统一社会信用代码", *_SOURCE,
                  "备注"),
}
#: Per kind: the column that identifies a record (key_field), its decision date, and the deciding
#: unit's name and USCC columns (filled with the providing department itself).
_KIND_COLUMNS: dict[str, tuple[str, str, str, str]] = {
    "penalty": ("行政处罚决定书文号", "处罚决定日期", "处罚机关", "处罚机关统一社会信用代码"),
    "licence": ("许可编号", "许可决定日期", "许可机关", "许可机关统一社会信用代码"),
    "enforcement": ("行政强制决定书文号", "行政强制决定日期", "行政强制机关", "行政强制机关统一社会信用代码"),
    "serious_dishonesty_list": ("认定文书号", "列入日期", "认定机关", "认定机关统一社会信用代码"),
    "key_attention_list": ("认定文书号", "列入日期", "认定机关", "认定机关统一社会信用代码"),
    "abnormal_operation": ("列入决定书文号", "列入日期", "列入决定机关", "列入决定机关统一社会信用代码"),
    "arrears": ("欠缴认定文书号", "认定日期", "认定机关", "认定机关统一社会信用代码"),
    "commitment_breach": ("认定文书号", "认定日期", "认定机关", "认定机关统一社会信用代码"),
    "commendation": ("表彰决定文号", "表彰日期", "表彰单位", "表彰单位统一社会信用代码"),
    "commitment": ("承诺书编号", "承诺日期", "承诺受理单位", "承诺受理单位统一社会信用代码"),
    "interview": ("约谈编号", "约谈日期", "约谈部门", "约谈部门统一社会信用代码"),
}
# fmt: on
KINDS = tuple(HEADERS)
KEY_HEADER = {kind: columns[0] for kind, columns in _KIND_COLUMNS.items()}
DATE_HEADER = {kind: columns[1] for kind, columns in _KIND_COLUMNS.items()}

# ---------------------------------------------------------------------------------------------------
# The city's departments: one per report domain of 厦信用办〔2024〕1号


@dataclass(frozen=True, slots=True)
class Authority:
    """A department that decides and reports (信息提供单位), with the abbreviation of its 文号."""

    domain: int
    name: str
    abbreviation: str
    uscc: str


# Named after each domain's city unit (厦信用办〔2024〕1号); a unit serving two domains gets a suffix per domain.
# fmt: off
_DEPARTMENTS = (
    (1, "厦门市中级人民法院", "厦中法"), (2, "厦门市发展和改革委员会", "厦发改"), (3, "厦门市教育局", "厦教"),
    (4, "厦门市科技局", "厦科"), (5, "厦门市工业和信息化局", "厦工信"), (6, "厦门市民族与宗教事务局", "厦民宗"),
    (7, "厦门市公安局", "厦公"), (8, "厦门市民政局", "厦民"), (9, "厦门市司法局", "厦司"), (10, "厦门市财政局", "厦财"),
    (11, "厦门市人力资源和社会保障局", "厦人社"), (12, "厦门市自然资源和规划局", "厦资规"),
    (13, "厦门市生态环境局", "厦环"), (14, "厦门市建设局", "厦建"), (15, "厦门市交通运输局", "厦交"),
    (16, "厦门市农业农村局(水利)", "厦农水"), (17, "厦门市农业农村局", "厦农"), (18, "厦门市商务局", "厦商"),
    (19, "厦门市文化和旅游局", "厦文旅"), (20, "厦门市卫生健康委员会", "厦卫"), (21, "厦门市应急管理局", "厦应急"),
    (22, "厦门市审计局", "厦审"), (23, "厦门市农业农村局(林业)", "厦农林"), (24, "厦门市海洋发展局", "厦海洋"),
    (25, "厦门市市场监督管理局", "厦市监"), (26, "厦门市文化和旅游局(广播电视)", "厦文旅广"),
    (27, "厦门市体育局", "厦体"), (28, "厦门市统计局", "厦统"), (29, "厦门市国防动员办公室", "厦国动"),
    (30, "厦门市医疗保障管理局", "厦医保"), (31, "中共厦门市委金融委员会办公室", "厦金融"),
    (32, "厦门市市场监督管理局(药品监管)", "厦市监药"), (33, "厦门市税务局", "厦税"),
    (34, "厦门市消防救援支队", "厦消"), (35, "厦门市气象局", "厦气"), (36, "厦门市应急管理局(地震)", "厦应急震"),
    (37, "厦门市烟草专卖局", "厦烟"),
)
# fmt: on


def department_uscc(domain: int) -> str:
    """The fixed USCC of a domain's department (机构编制 1, 机关 1, 350200). Its organisation code starts
    with "00", which no subject's does (see ``CodeFactory``), so a department never collides with one."""
    return complete_uscc(f"11350200004{domain:05d}")


DEPARTMENTS: dict[int, Authority] = {
    number: Authority(number, name, abbreviation, department_uscc(number))
    for number, name, abbreviation in _DEPARTMENTS
}

# ---------------------------------------------------------------------------------------------------
# Random draws. ``randrange`` costs five times ``random()``, and a row makes a dozen draws.


def _below(rng: random.Random, n: int) -> int:
    """A uniform integer in ``[0, n)``."""
    return int(rng.random() * n)


def _between(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in ``[low, high)``."""
    return low + int(rng.random() * (high - low))


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


# ---------------------------------------------------------------------------------------------------
# Unique codes


class UniqueSequence:
    """Distinct pseudo-random integers in ``[0, size)``: the affine permutation ``i·a + b mod size`` of
    a counter, unique without remembering what was issued."""

    def __init__(self, size: int, rng: random.Random) -> None:
        step = rng.randrange(size // 3, size)
        while gcd(step, size) != 1:
            step += 1
        self._size, self._step, self._offset, self._next = size, step, rng.randrange(size), 0

    def take(self) -> int:
        if self._next >= self._size:
            raise OverflowError("synthetic code space exhausted")
        value = (self._next * self._step + self._offset) % self._size
        self._next += 1
        return value


DIVISIONS = ("350200", "350203", "350205", "350206", "350211", "350212", "350213")
DISTRICTS = {
    "350203": "思明区",
    "350205": "海沧区",
    "350206": "湖里区",
    "350211": "集美区",
    "350212": "同安区",
    "350213": "翔安区",
}
#: Area codes on residents' ID cards, with 开元区 (350204), merged into 思明 in 2003.
RESIDENT_AREAS = ("350203", "350204", "350205", "350206", "350211", "350212", "350213")
_BIRTH_FIRST = dt.date(1950, 1, 1).toordinal()
_BIRTH_DAYS = dt.date(2004, 12, 31).toordinal() - _BIRTH_FIRST + 1


#: Every 3-character base-31 string in the USCC charset: an organisation code body is two lookups.
_BASE31_TRIPLES = tuple(a + b + c for a in USCC_CHARSET for b in USCC_CHARSET for c in USCC_CHARSET)
_TRIPLE_COUNT = len(_BASE31_TRIPLES)


def _base31_6(number: int) -> str:
    high, low = divmod(number, _TRIPLE_COUNT)
    return _BASE31_TRIPLES[high] + _BASE31_TRIPLES[low]


def registration_check_digit(first14: str) -> str:
    """Check digit of a 15-digit 工商注册号 (GB/T 17710, ISO 7064 MOD 11,10)."""
    product = 10
    for char in first14:
        total = (product + int(char)) % 10 or 10
        product = total * 2 % 11
    return str((11 - product) % 10)


class CodeFactory:
    """Valid, run-unique USCCs, resident ID numbers and registration numbers (工商注册号)."""

    def __init__(self, rng: random.Random) -> None:
        # Market-supervision registrations since 2015 carry "MA" + 6 characters; other bodies an
        # 8-digit organisation code from 10000000 up (departments have 00…, see department_uscc).
        self._ma = UniqueSequence(31**6, rng)
        self._digits = UniqueSequence(9 * 10**7, rng)
        self._people = UniqueSequence(len(RESIDENT_AREAS) * _BIRTH_DAYS * 1000, rng)
        self._registrations = UniqueSequence(10**7, rng)

    def market_uscc(self, type_char: str, division: str) -> str:
        """9 (市场监管) + type (1 企业, 2 个体工商户) + division + MA-style organisation code."""
        return complete_uscc(f"9{type_char}{division}MA{_base31_6(self._ma.take())}")

    def organisation_uscc(self, authority_char: str, type_char: str, division: str) -> str:
        """A 1 (机构编制) or 5 (民政) registration with a numeric organisation code."""
        return complete_uscc(f"{authority_char}{type_char}{division}{10_000_000 + self._digits.take():08d}")

    def resident_id(self) -> str:
        value, sequence = divmod(self._people.take(), 1000)
        area, day = divmod(value, _BIRTH_DAYS)
        born = dt.date.fromordinal(_BIRTH_FIRST + day)
        return complete_resident_id(f"{RESIDENT_AREAS[area]}{born:%Y%m%d}{sequence:03d}")

    def registration_no(self, division: str) -> str:
        """An individual business's 15-digit number: registering division, 6 (个体), sequence, check."""
        first14 = f"{division}6{self._registrations.take():07d}"
        return first14 + registration_check_digit(first14)


def with_wrong_check_character(uscc: str) -> str:
    """The same USCC with another check character: well-formed but failing its check (重错码)."""
    right = USCC_CHARSET.index(uscc_check_char(uscc[:17]))
    return uscc[:17] + USCC_CHARSET[(right + 7) % len(USCC_CHARSET)]


# ---------------------------------------------------------------------------------------------------
# Subjects

# fmt: off
_SURNAMES = ("陈林黄张李王吴刘蔡杨郑许谢洪郭邱曾廖赖周徐苏叶庄吕江何萧罗高潘简朱钟彭游詹胡施沈余赵卢梁颜"
             "柯孙魏翁戴范宋方邓杜傅侯曹温薛丁马蒋唐卓蓝冯姚石董纪欧程连古汪汤姜田康邹白涂尤巫韩龚严袁钱")
_GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏飞志鑫晨欣怡婷雪琳梅兰丹"
          "佳俊宏海波毅峰晓燕颖慧思雅琪瑶嘉恒锦荣福春金水添德清源泉榕鸿雄耀旺顺发家宗祥国庆少聪振炜")
_BRAND_WORDS = ("鹭江", "海韵", "嘉禾", "鼓浪", "筼筜", "五缘", "鹭岛", "白鹭", "闽南", "海峡", "东渡", "天湖",
                "金鹭", "鹭港", "海沧", "集美", "同安", "翔安", "湖里", "思明", "万石", "云顶", "曾厝", "环岛",
                "海天", "凤凰", "鸿山", "文灶", "莲坂", "湖滨", "厦港", "植物园", "南普陀", "中山", "开元", "禾祥")
_BRAND_CHARS = "鑫盛华泰宏达恒源信德瑞祥兴隆丰昌海鹭嘉福安通顺利永新金晟创联合正诚佳美亿汇辉凯博尚卓优益明远航星光天宇峰林森泽润升腾翔鸿骏睿智慧"
_INDUSTRIES = ("贸易", "商贸", "进出口", "科技", "信息技术", "网络科技", "电子", "智能科技", "软件", "供应链管理",
               "物流", "国际货运代理", "建设工程", "建筑装饰工程", "机电设备", "机械设备", "餐饮管理", "食品",
               "水产", "茶业", "文化传媒", "广告", "物业管理", "房地产开发", "投资管理", "酒店管理", "旅游",
               "汽车服务", "服装", "鞋业", "医疗器械", "生物科技", "新材料", "环保科技", "教育咨询", "人力资源",
               "劳务派遣", "印刷", "包装材料", "石材", "光电", "能源科技", "工贸", "实业")
_SHOPS = ("餐饮店", "小吃店", "沙茶面馆", "便利店", "水果店", "五金店", "茶叶店", "服装店", "理发店", "美容店",
          "汽车维修店", "副食品店", "海鲜排档", "烧烤店", "文具店", "手机维修店", "干洗店", "花店", "早餐店",
          "面包店", "土笋冻店", "烟酒商行", "建材商行", "电器商行", "百货商行", "水产摊", "药材店")
_INSTITUTIONS = ("社区卫生服务中心", "中学", "小学", "图书馆", "文化馆")
_NON_ENTERPRISES = ("培训学校", "幼儿园", "养老服务中心", "艺术培训中心", "社会工作服务中心")
# fmt: on
_GIVEN_COUNT = len(_GIVEN)
# Fujian's commonest surnames first, weighted down the list (陈 and 林 lead in Xiamen).
_SURNAME_POOL = "".join(char * max(1, 12 - index // 4) for index, char in enumerate(_SURNAMES))


class SubjectForm:
    """What a subject is, finer than its 行政相对人类别; it decides which records suit it."""

    COMPANY = "company"
    INDIVIDUAL_BUSINESS = "individual_business"
    PUBLIC_INSTITUTION = "public_institution"  # 事业单位 (机构编制, 12)
    SOCIAL_GROUP = "social_group"  # 社会团体 (民政, 51)
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise"  # 民办非企业单位 (民政, 52)
    PERSON = "person"


class SyntheticSubject(NamedTuple):
    """A subject as departments identify it; ``fields`` is its block of columns in every record kind.
    (A named tuple: a million of them are built, and a frozen dataclass is three times slower to make.)"""

    form: str
    category: str
    name: str
    code: str  # the platform's subject code: USCC, resident ID, or the registration number without a USCC
    legal_representative: str
    fields: tuple[tuple[str, str], ...]

    @property
    def is_person(self) -> bool:
        return self.category == PERSON

    @property
    def is_market_entity(self) -> bool:
        """Registered by market supervision: can be put on the 经营异常名录."""
        return self.form in (SubjectForm.COMPANY, SubjectForm.INDIVIDUAL_BUSINESS)


class SubjectFactory:
    """Subjects of the demo city with realistic names and valid, run-unique codes."""

    def __init__(self, rng: random.Random, codes: CodeFactory | None = None) -> None:
        self.rng = rng
        self.codes = codes or CodeFactory(rng)

    def person_name(self) -> str:
        rand = self.rng.random
        given = _GIVEN[int(rand() * _GIVEN_COUNT)]
        if rand() < 0.75:
            given += _GIVEN[int(rand() * _GIVEN_COUNT)]
        return _SURNAME_POOL[int(rand() * len(_SURNAME_POOL))] + given

    def brand(self) -> str:
        """The 字号 of a business: a local place word or two auspicious characters."""
        rand = self.rng.random
        if rand() < 0.35:
            return _BRAND_WORDS[int(rand() * len(_BRAND_WORDS))]
        count = len(_BRAND_CHARS)
        return _BRAND_CHARS[int(rand() * count)] + _BRAND_CHARS[int(rand() * count)]

    def company(self) -> SyntheticSubject:
        rand = self.rng.random  # draws inlined: companies are most of a million-row benchmark
        division = DIVISIONS[int(rand() * len(DIVISIONS))]
        roll = rand()
        suffix = "股份有限公司" if roll < 0.04 else "集团有限公司" if roll < 0.06 else "有限公司"
        city = "厦门市" if rand() < 0.3 else "厦门"
        name = f"{city}{self.brand()}{_INDUSTRIES[int(rand() * len(_INDUSTRIES))]}{suffix}"
        if division in DISTRICTS and rand() < 0.04:
            name += f"{DISTRICTS[division][:2]}分公司"
        return self._organisation(SubjectForm.COMPANY, name, self.codes.market_uscc("1", division))

    def individual_business(self, *, without_uscc: bool = False) -> SyntheticSubject:
        """A 个体工商户; ``without_uscc`` for one still known only by its 工商注册号."""
        rng = self.rng
        division = DIVISIONS[1 + _below(rng, len(DIVISIONS) - 1)]
        operator = self.person_name()
        brand = f"{operator[0]}记" if rng.random() < 0.2 else self.brand()
        name = f"厦门市{DISTRICTS[division]}{brand}{_pick(rng, _SHOPS)}"
        uscc = NO_USCC_PLACEHOLDER if without_uscc else self.codes.market_uscc("2", division)
        fields = [
            ("行政相对人名称", name),
            ("行政相对人类别", INDIVIDUAL_BUSINESS),
            ("统一社会信用代码", uscc),
            ("法定代表人", operator),  # the 经营者
        ]
        registration_no = ""
        if without_uscc or rng.random() < 0.3:
            registration_no = self.codes.registration_no(division)
            fields.append(("工商注册号", registration_no))
        code = registration_no if without_uscc else uscc
        form = SubjectForm.INDIVIDUAL_BUSINESS
        return SyntheticSubject(form, INDIVIDUAL_BUSINESS, name, code, operator, tuple(fields))

    def non_market_organisation(self) -> SyntheticSubject:
        """A 事业单位, 社会团体 or 民办非企业单位: 法人及非法人组织 registered outside market supervision."""
        rng = self.rng
        division = DIVISIONS[1 + _below(rng, len(DIVISIONS) - 1)]
        district = DISTRICTS[division]
        roll = rng.random()
        if roll < 0.3:
            name = f"厦门市{district}{self.brand()}{_pick(rng, _INSTITUTIONS)}"
            uscc = self.codes.organisation_uscc("1", "2", division)
            return self._organisation(SubjectForm.PUBLIC_INSTITUTION, name, uscc)
        if roll < 0.55:
            name = f"厦门市{_pick(rng, _INDUSTRIES)}{'行业协会' if rng.random() < 0.6 else '商会'}"
            uscc = self.codes.organisation_uscc("5", "1", "350200")
            return self._organisation(SubjectForm.SOCIAL_GROUP, name, uscc)
        name = f"厦门市{district}{self.brand()}{_pick(rng, _NON_ENTERPRISES)}"
        uscc = self.codes.organisation_uscc("5", "2", division)
        return self._organisation(SubjectForm.PRIVATE_NON_ENTERPRISE, name, uscc)

    def person(self) -> SyntheticSubject:
        name, resident_id = self.person_name(), self.codes.resident_id()
        fields = (
            ("行政相对人名称", name),
            ("行政相对人类别", PERSON),
            ("证件类型", ID_CARD),
            ("证件号码", resident_id),
        )
        return SyntheticSubject(SubjectForm.PERSON, PERSON, name, resident_id, "", fields)

    def mixed(self, *, individual_business: float = 0.1, person: float = 0.1) -> SyntheticSubject:
        """A subject of the usual mix: mostly companies, a few other organisations, businesses, persons."""
        roll = self.rng.random()
        if roll < person:
            return self.person()
        if roll < person + individual_business:
            return self.individual_business()
        if roll < person + individual_business + 0.05:
            return self.non_market_organisation()
        return self.company()

    def _organisation(self, form: str, name: str, uscc: str) -> SyntheticSubject:
        representative = self.person_name()
        fields: tuple[tuple[str, str], ...] = (
            ("行政相对人名称", name),
            ("行政相对人类别", ORGANISATION),
            ("统一社会信用代码", uscc),
            ("法定代表人", representative),
        )
        # Some departments also send the representative's ID (optional in every kind).
        if self.rng.random() < 0.25:
            fields += (("法定代表人证件类型", ID_CARD), ("法定代表人证件号码", self.codes.resident_id()))
        return SyntheticSubject(form, ORGANISATION, name, uscc, representative, fields)


def with_uscc(subject: SyntheticSubject, uscc: str) -> SyntheticSubject:
    """The subject as a department that mistyped its USCC reports it."""
    fields = tuple((h, uscc if h == "统一社会信用代码" else v) for h, v in subject.fields)
    return subject._replace(code=uscc, fields=fields)


# ---------------------------------------------------------------------------------------------------
# What the departments decide (wording and legal bases follow the laws each department applies)


@dataclass(frozen=True, slots=True)
class PenaltyCase:
    """One kind of violation: 违法行为类型, facts, 处罚依据, 处罚类别 and the fine range in 元."""

    behaviour: str
    fact: str  # "{when}": the month the violation was found
    basis: str
    sanctions: tuple[str, ...]
    fine: tuple[int, int] = (0, 0)
    persons: bool = False  # may concern a natural person
    licence: str = ""  # the licence suspended or revoked
    severity: str = "一般"


_P = PenaltyCase
_LAW = "《中华人民共和国{}》"
_FINE, _GAIN, _GOODS, _WARN = "罚款", "没收违法所得", "没收非法财物", "警告"
# fmt: off
_PENALTY_CASES: dict[int, tuple[PenaltyCase, ...]] = {
    25: (
        _P("销售超过保质期的食品", "当事人于{when}在其经营场所销售超过保质期的预包装食品。", _LAW.format("食品安全法") + "第一百二十四条第一款第（五）项", (_GAIN, _FINE), (5_000, 50_000)),
        _P("发布违法广告", "当事人于{when}通过其微信公众号发布含有“最佳”“国家级”等用语的商品广告。", _LAW.format("广告法") + "第五十七条第（一）项", (_FINE,), (20_000, 200_000)),
        _P("不明码标价", "当事人于{when}销售商品未按规定明码标价。", _LAW.format("价格法") + "第四十二条", (_WARN, _FINE), (500, 3_000), persons=True),
        _P("无照经营", "当事人于{when}未依法取得营业执照从事餐饮经营活动。", "《无证无照经营查处办法》第十三条", (_FINE,), (1_000, 10_000), persons=True),
        _P("销售不合格产品", "当事人于{when}销售经抽检不合格的电线电缆产品。", _LAW.format("产品质量法") + "第四十九条", (_GAIN, _GOODS, _FINE), (10_000, 100_000)),
        _P("特种设备未经定期检验继续使用", "当事人于{when}使用未经定期检验的电梯。", _LAW.format("特种设备安全法") + "第八十四条第（一）项", (_FINE,), (30_000, 300_000)),
        _P("食品安全违法行为屡犯", "当事人一年内累计三次因食品安全违法行为受到罚款处罚，最近一次于{when}。", _LAW.format("食品安全法") + "第一百三十四条", ("吊销许可证件",), licence="食品经营许可证", severity="严重"),
    ),
    32: (
        _P("销售劣药", "当事人于{when}销售经检验为劣药的中药饮片。", _LAW.format("药品管理法") + "第一百一十七条", (_GAIN, _GOODS, _FINE), (10_000, 200_000)),
        _P("未按规定储存医疗器械", "当事人于{when}未按医疗器械说明书和标签标示要求储存医疗器械。", "《医疗器械监督管理条例》第八十九条", (_WARN, _FINE), (10_000, 50_000)),
    ),
    33: (
        _P("未按期办理纳税申报", "当事人未按照规定期限办理{when}所属期的增值税纳税申报。", _LAW.format("税收征收管理法") + "第六十二条", (_FINE,), (200, 2_000), persons=True, severity="轻微"),
        _P("虚开发票", "当事人于{when}为他人开具与实际经营业务情况不符的增值税普通发票。", _LAW.format("发票管理办法") + "第三十五条", (_GAIN, _FINE), (50_000, 500_000), severity="严重"),
        _P("偷税", "当事人于{when}通过在账簿上少列收入的手段少缴增值税及附加税费。", _LAW.format("税收征收管理法") + "第六十三条第一款", (_FINE,), (20_000, 800_000)),
    ),
    13: (
        _P("超标排放大气污染物", "当事人于{when}经监测颗粒物排放浓度超过国家规定的排放标准。", _LAW.format("大气污染防治法") + "第九十九条第（二）项", (_FINE,), (100_000, 1_000_000)),
        _P("未依法报批环境影响评价文件擅自开工建设", "当事人于{when}建设项目环境影响报告表未经批准擅自开工建设。", _LAW.format("环境影响评价法") + "第三十一条第一款", (_FINE,), (50_000, 500_000)),
        _P("未按规定贮存危险废物", "当事人于{when}将废矿物油露天堆放，未按规定设置危险废物贮存场所。", _LAW.format("固体废物污染环境防治法") + "第一百一十二条第一款第（六）项", (_FINE,), (100_000, 1_000_000)),
    ),
    34: (
        _P("消防设施未保持完好有效", "当事人于{when}经检查自动喷水灭火系统、火灾自动报警系统未保持完好有效。", _LAW.format("消防法") + "第六十条第一款第（一）项", (_FINE,), (5_000, 50_000)),
        _P("占用、堵塞、封闭疏散通道", "当事人于{when}经检查堆放杂物堵塞疏散通道、安全出口。", _LAW.format("消防法") + "第六十条第一款第（三）项", (_FINE,), (5_000, 50_000)),
        _P("占用消防车通道", "当事人于{when}在消防车通道内停放车辆，经责令改正拒不改正。", _LAW.format("消防法") + "第六十条第二款", (_WARN, _FINE), (100, 500), persons=True, severity="轻微"),
    ),
    15: (
        _P("未取得道路运输经营许可擅自从事道路运输经营", "当事人于{when}未取得道路运输经营许可，擅自从事网络预约出租汽车经营活动。", _LAW.format("道路运输条例") + "第六十三条", (_GAIN, _FINE), (10_000, 100_000), persons=True),
        _P("车辆超限运输", "当事人于{when}经检测车货总质量超过限定标准在公路上行驶。", "《公路安全保护条例》第六十四条", (_FINE,), (1_000, 30_000), persons=True),
    ),
    14: (
        _P("未取得施工许可证擅自施工", "当事人于{when}未取得建筑工程施工许可证擅自开工建设。", "《建筑工程施工许可管理办法》第十二条", (_FINE,), (10_000, 30_000)),
        _P("违反工程建设强制性标准", "当事人于{when}在施工中偷工减料，使用不合格的建筑材料。", "《建设工程质量管理条例》第六十四条", (_FINE,), (200_000, 800_000), severity="严重"),
    ),
    20: (
        _P("公共场所卫生不符合要求", "当事人于{when}经检测公共用品用具卫生不符合国家卫生标准。", "《公共场所卫生管理条例实施细则》第三十六条", (_WARN, _FINE), (500, 5_000)),
        _P("非法行医", "当事人于{when}未取得医师资格及执业证书擅自开展诊疗活动。", _LAW.format("医师法") + "第五十九条", (_GAIN, _GOODS, _FINE), (20_000, 100_000), persons=True),
    ),
    21: (
        _P("未按规定对从业人员进行安全生产教育和培训", "当事人于{when}未按照规定对从业人员进行安全生产教育和培训。", _LAW.format("安全生产法") + "第九十七条第（三）项", (_FINE,), (10_000, 100_000)),
        _P("未建立事故隐患排查治理制度", "当事人于{when}未建立事故隐患排查治理制度，重大事故隐患排查治理情况未如实记录。", _LAW.format("安全生产法") + "第一百零一条第（五）项", (_FINE,), (50_000, 100_000)),
    ),
    7: (
        _P("殴打他人", "当事人于{when}因琐事与他人发生纠纷并殴打他人。", _LAW.format("治安管理处罚法") + "第四十三条第一款", ("行政拘留", _FINE), (200, 500), persons=True),
        _P("旅馆业不按规定登记住宿旅客信息", "当事人于{when}未按规定登记住宿旅客的姓名、身份证件种类和号码。", _LAW.format("治安管理处罚法") + "第五十六条第一款", (_FINE,), (200, 500)),
    ),
    11: (_P("拖欠农民工工资", "当事人于{when}拖欠农民工工资，经责令限期支付逾期未支付。", "《保障农民工工资支付条例》第五十五条", (_FINE,), (50_000, 100_000)),),
    12: (_P("非法占用土地", "当事人于{when}未经批准占用集体土地建设仓库。", _LAW.format("土地管理法") + "第七十七条", (_GOODS, _FINE), (10_000, 200_000), persons=True),),
    19: (_P("旅行社未与旅游者签订旅游合同", "当事人于{when}组织旅游活动未与旅游者签订书面旅游合同。", _LAW.format("旅游法") + "第九十六条第（四）项", (_GAIN, _FINE), (5_000, 50_000)),),
    18: (_P("发行单用途预付卡未按规定备案", "当事人于{when}发行单用途商业预付卡未按规定办理备案。", "《单用途商业预付卡管理办法（试行）》第三十六条", (_WARN, _FINE), (10_000, 30_000)),),
    17: (_P("经营假农药", "当事人于{when}经营有效成分含量不符合标准的农药。", "《农药管理条例》第五十六条", (_GAIN, _GOODS, _FINE), (5_000, 50_000), persons=True),),
    24: (_P("使用禁用渔具捕捞", "当事人于{when}在禁渔期内使用禁用的渔具进行捕捞。", _LAW.format("渔业法") + "第三十八条", (_GOODS, _FINE), (2_000, 50_000), persons=True),),
    28: (_P("提供不真实统计资料", "当事人于{when}报送的统计年报中营业收入数据不真实。", _LAW.format("统计法") + "第四十一条", (_WARN, _FINE), (10_000, 100_000)),),
    30: (_P("骗取医疗保障基金", "当事人于{when}通过虚记诊疗项目方式骗取医疗保障基金支出。", "《医疗保障基金使用监督管理条例》第四十条", (_FINE,), (50_000, 500_000), severity="严重"),),
    37: (_P("无烟草专卖零售许可证经营烟草制品零售业务", "当事人于{when}无烟草专卖零售许可证经营卷烟零售业务。", _LAW.format("烟草专卖法实施条例") + "第五十七条", (_GAIN, _GOODS, _FINE), (1_000, 20_000), persons=True),),
    35: (_P("防雷装置未经检测", "当事人于{when}投入使用的防雷装置未按规定进行定期检测。", "《气象灾害防御条例》第四十五条", (_WARN, _FINE), (10_000, 30_000)),),
    36: (_P("未按照抗震设防要求进行抗震设防", "当事人于{when}建设工程未按照抗震设防要求进行抗震设防。", _LAW.format("防震减灾法") + "第八十七条", (_FINE,), (30_000, 300_000)),),
    3: (_P("民办学校违规招生", "当事人于{when}发布虚假招生简章，骗取钱财。", _LAW.format("民办教育促进法") + "第六十二条第（三）项", (_WARN, _GAIN)),),
    2: (_P("投标人串通投标", "当事人于{when}在工程项目投标中与其他投标人串通投标报价。", _LAW.format("招标投标法") + "第五十三条", (_FINE, _GAIN), (50_000, 300_000), severity="严重"),),
    4: (_P("以弄虚作假方式申报科技项目", "当事人于{when}在科技计划项目申报中提供虚假材料。", _LAW.format("科学技术进步法") + "第一百一十二条", ("通报批评", "其他")),),
    5: (_P("使用国家明令淘汰的用能设备", "当事人于{when}使用国家明令淘汰的高耗能电机设备。", _LAW.format("节约能源法") + "第七十一条", (_GOODS, _FINE), (10_000, 50_000)),),
    6: (_P("擅自举行大型宗教活动", "当事人于{when}未经批准擅自组织举行大型宗教活动。", "《宗教事务条例》第六十八条", (_WARN, _FINE), (10_000, 50_000)),),
    8: (_P("社会组织未按规定接受年度检查", "当事人未按照规定接受{when}所属年度的年度检查。", "《社会团体登记管理条例》第三十条第（五）项", (_WARN,)),),
    9: (_P("律师事务所违反规定接受委托", "当事人于{when}违反规定接受有利益冲突的案件委托。", _LAW.format("律师法") + "第五十条第一款第（三）项", (_WARN, _FINE), (10_000, 100_000)),),
    10: (_P("政府采购中提供虚假材料谋取中标", "当事人于{when}在政府采购项目投标中提供虚假的业绩证明材料。", _LAW.format("政府采购法") + "第七十七条第一款第（一）项", (_FINE, "其他"), (5_000, 50_000), severity="严重"),),
    16: (_P("未经批准擅自取水", "当事人于{when}未经批准擅自抽取地下水用于生产。", _LAW.format("水法") + "第六十九条", (_FINE,), (20_000, 100_000)),),
    22: (_P("拒绝或者拖延提供与审计事项有关的资料", "当事人于{when}拒绝提供与审计事项有关的财务资料。", _LAW.format("审计法") + "第四十七条", (_WARN, "通报批评")),),
    23: (_P("滥伐林木", "当事人于{when}未取得采伐许可证擅自采伐林木。", _LAW.format("森林法") + "第七十六条第二款", (_FINE,), (3_000, 30_000), persons=True),),
    26: (_P("擅自设置卫星电视广播地面接收设施", "当事人于{when}未经批准擅自在经营场所设置卫星电视广播地面接收设施。", "《卫星电视广播地面接收设施管理规定》第十条", (_GOODS, _FINE), (1_000, 5_000)),),
    27: (_P("未经批准擅自经营高危险性体育项目", "当事人于{when}未取得许可擅自经营游泳、潜水等高危险性体育项目。", "《全民健身条例》第三十六条", (_GAIN, _FINE), (10_000, 50_000)),),
    29: (_P("擅自拆除人民防空工程", "当事人于{when}未经批准擅自拆除人民防空工程设施。", _LAW.format("人民防空法") + "第四十九条第（三）项", (_WARN, _FINE), (5_000, 50_000)),),
    31: (_P("非法吸收公众存款", "当事人于{when}以高额回报为诱饵向社会不特定对象吸收资金。", "《防范和处置非法集资条例》第三十条", (_GAIN, _FINE), (100_000, 1_000_000), severity="严重"),),
}
# fmt: on
#: The court decides no administrative penalty of its own; a department without cases falls back here.
_GENERAL_CASES = (
    _P("未按规定履行报告义务", "当事人于{when}未按规定报送有关情况。", "相关法律、法规规定", (_WARN,)),
)
#: 简易程序 covers only a warning or a small fine (行政处罚法 第五十一条: 3,000 元 for organisations).
_SIMPLE_SANCTIONS = frozenset({_WARN, _FINE})
_SIMPLE_FINE_LIMIT = 3_000

# fmt: off
#: domain → (决定文书名称, 许可类别, 许可证书名称, 许可内容)
_LICENCES: dict[int, tuple[str, str, str, str]] = {
    25: ("食品经营许可决定书", "普通", "食品经营许可证", "预包装食品（含冷藏冷冻食品）销售；散装食品销售；热食类食品制售"),
    20: ("公共场所卫生许可决定书", "普通", "公共场所卫生许可证", "住宿场所；沐浴场所；美容美发场所"),
    15: ("道路运输经营许可决定书", "普通", "道路运输经营许可证", "道路普通货物运输"),
    13: ("排污许可决定书", "普通", "排污许可证", "大气污染物、水污染物排放"),
    14: ("建筑工程施工许可决定书", "普通", "建筑工程施工许可证", "新建厂房及配套设施工程施工"),
    19: ("旅行社业务经营许可决定书", "普通", "旅行社业务经营许可证", "国内旅游业务；入境旅游业务"),
    34: ("公众聚集场所投入使用、营业前消防安全检查意见书", "普通", "公众聚集场所消防安全检查合格证", "公众聚集场所投入使用、营业"),
    37: ("烟草专卖零售许可决定书", "特许", "烟草专卖零售许可证", "卷烟、雪茄烟零售"),
    32: ("药品经营许可决定书", "普通", "药品经营许可证", "中药饮片、中成药、化学药制剂零售"),
    7: ("特种行业许可决定书", "普通", "特种行业许可证", "旅馆业"),
    21: ("危险化学品经营许可决定书", "普通", "危险化学品经营许可证", "危险化学品经营（不带储存设施）"),
    3: ("民办学校办学许可决定书", "普通", "民办学校办学许可证", "非学历文化教育培训"),
    24: ("渔业捕捞许可决定书", "普通", "渔业捕捞许可证", "近海捕捞作业"),
}
_GENERAL_LICENCE = ("", "普通", "", "准予行政许可")
#: domain → (行政强制类别, 事由, 依据)
_ENFORCEMENTS: dict[int, tuple[str, str, str]] = {
    25: ("查封场所设施或者财物;扣押财物", "涉嫌生产经营不符合食品安全标准的食品", _LAW.format("食品安全法") + "第一百一十条第（四）项"),
    33: ("冻结存款汇款", "欠缴税款经责令限期缴纳逾期仍未缴纳", _LAW.format("税收征收管理法") + "第四十条"),
    13: ("查封场所设施或者财物", "违法排放污染物，造成或者可能造成严重污染", _LAW.format("环境保护法") + "第二十五条"),
    34: ("查封场所设施或者财物", "存在重大火灾隐患，不及时消除可能严重威胁公共安全", _LAW.format("消防法") + "第五十四条"),
    21: ("查封场所设施或者财物", "设施、设备、器材不符合保障安全生产的国家标准", _LAW.format("安全生产法") + "第六十五条第一款第（四）项"),
    15: ("扣押财物", "未取得道路运输经营许可擅自从事道路运输经营", _LAW.format("道路运输条例") + "第六十八条"),
    7: ("扣押财物", "涉嫌违反治安管理的物品", _LAW.format("治安管理处罚法") + "第八十九条"),
    11: ("划拨存款汇款", "用人单位逾期仍不缴纳社会保险费", _LAW.format("社会保险法") + "第六十三条"),
}
_GENERAL_ENFORCEMENT = ("加处罚款或者滞纳金", "当事人逾期不履行行政处罚决定", _LAW.format("行政强制法") + "第四十五条")
#: domain → (名单类型, 列入事由, 列入依据, 惩戒措施)
_SERIOUS_LISTS: dict[int, tuple[str, str, str, str]] = {
    1: ("失信被执行人", "有履行能力而拒不履行生效法律文书确定的义务", "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第（一）项", "限制高消费；限制乘坐飞机、列车软卧；限制担任企业高管"),
    33: ("重大税收违法失信主体", "虚开增值税专用发票", "《重大税收违法失信主体信息公布管理办法》第六条", "依法实施联合惩戒"),
    25: ("严重违法失信企业(市场监管)", "因食品安全违法行为被处以较重行政处罚", "《市场监督管理严重违法失信名单管理办法》第九条", "列入重点监管对象，不得参加评先评优"),
    11: ("拖欠农民工工资失信联合惩戒对象", "克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准", "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条", "限制政府资金支持、政府采购、招投标"),
    10: ("政府采购严重违法失信行为记录", "提供虚假材料谋取中标", _LAW.format("政府采购法") + "第七十七条", "一至三年内禁止参加政府采购活动"),
    21: ("安全生产严重失信主体", "发生生产安全责任事故", "《安全生产严重失信主体名单管理办法》第六条", "依法实施联合惩戒"),
    28: ("统计严重失信企业", "提供不真实统计资料，情节严重", "《统计严重失信企业信用管理办法》第七条", "依法实施联合惩戒"),
}
_GENERAL_SERIOUS_LIST = ("其他严重失信主体名单", "严重违法失信行为", "相关法律、法规规定", "依法实施联合惩戒")
#: domain → (名单类型, 列入事由, 列入依据)
_KEY_ATTENTION: dict[int, tuple[str, str, str]] = {
    33: ("纳税信用D级纳税人", "纳税信用评价为D级", "《纳税信用管理办法》第二十条"),
    21: ("安全生产失信重点关注名单", "存在重大事故隐患，逾期未整改", "《安全生产严重失信主体名单管理办法》第八条"),
    15: ("交通运输失信重点关注名单", "道路运输经营中存在严重违法违规行为", "《交通运输部关于加强交通运输信用监管的指导意见》"),
    11: ("拖欠农民工工资重点关注名单", "拖欠农民工工资，经责令限期支付逾期未支付", "《保障农民工工资支付条例》第四十八条"),
}
_GENERAL_KEY_ATTENTION = ("其他重点关注名单", "存在失信行为，需重点关注", "相关法律、法规规定")
#: domain → (欠缴类别, 欠缴项目)
_ARREARS: dict[int, tuple[str, str]] = {
    33: ("欠缴税费", "增值税；城市维护建设税；教育费附加"),
    11: ("欠缴社会保险费", "基本养老保险费；失业保险费；工伤保险费"),
    14: ("欠缴住房公积金", "住房公积金"),
}
_GENERAL_ARREARS = ("欠缴其他费用", "行政事业性收费")
#: domain → the matter a 告知承诺 was made for
_MATTERS = {
    25: "食品经营许可告知承诺", 14: "建筑工程施工许可告知承诺", 20: "公共场所卫生许可告知承诺",
    15: "道路货物运输经营许可告知承诺", 3: "民办学校办学许可告知承诺", 19: "旅行社设立许可告知承诺",
}
_COMMITMENT_TYPES = ("审批替代型-告知承诺", "审批替代型-告知承诺", "审批替代型-容缺受理", "主动公示型", "行业自律型")
_ABNORMAL_REASONS = (
    "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
    "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
    "通过登记的住所或者经营场所无法联系",
    "未在责令的期限内公示有关企业信息",
    "公示企业信息隐瞒真实情况、弄虚作假",
)
_HONOURS = (("厦门市守合同重信用企业", "市级"), ("厦门市和谐劳动关系示范企业", "市级"), ("福建省专精特新中小企业", "省级"),
            ("厦门市科技小巨人领军企业", "市级"), ("全国文明单位", "国家级"), ("福建省守合同重信用企业", "省级"))
_HONOURS_PERSON = (("厦门市劳动模范", "市级"), ("厦门市见义勇为先进个人", "市级"), ("福建省五一劳动奖章", "省级"),
                   ("全国优秀志愿者", "国家级"))
#: The later version of a record that ends: kind → (end-date column, (column, text)…); "" = the department.
_ENDINGS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "abnormal_operation": ("移出日期", (("移出经营异常名录原因", "已补报未报年份的年度报告并公示，申请移出经营异常名录"), ("移出决定机关", ""))),
    "arrears": ("缴清日期", (("备注", "已缴清欠缴款项"),)),
    "serious_dishonesty_list": ("移出日期", (("移出原因", "已履行相关义务，经信用修复移出"),)),
    "key_attention_list": ("移出日期", (("移出原因", "已完成整改，期满移出"),)),
}
# fmt: on


def _penalty_content(case: PenaltyCase) -> str:
    """The 处罚内容 of a case as a template: ``{fine}``, ``{gain}`` (元) and ``{days}`` filled per record."""
    parts = []
    for sanction in case.sanctions:
        if sanction == _FINE:
            parts.append("罚款人民币{fine}元")
        elif sanction == _GAIN:
            parts.append("没收违法所得人民币{gain}元")
        elif sanction == "行政拘留":
            parts.append("行政拘留{days}日")
        elif sanction in ("吊销许可证件", "暂扣许可证件"):
            parts.append(f"{sanction[:2]}{case.licence}")
        elif sanction == "其他":
            parts.append("追回相关资金，一年内禁止参加相关活动")
        else:
            parts.append(sanction)
    return "；".join(parts)


def _wan(yuan: int) -> str:
    """An amount in 元 as the 万元 decimal the data standard asks for (12500 → "1.25")."""
    return f"{yuan / 10_000:.4f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------------------------------
# Records


@cache
def _iso_days(first: int, last: int) -> tuple[str, ...]:
    """The ISO text of the days from ordinal ``first`` to ``last`` (shared by all 37 departments)."""
    return tuple(dt.date.fromordinal(ordinal).isoformat() for ordinal in range(first, last))


class RecordMaker:
    """Makes the records one department sends. Document numbers are unique per department and kind,
    which is what the platform keys records on (provider + kind + 文号)."""

    def __init__(self, authority: Authority, *, rng: random.Random, today: dt.date) -> None:
        self.authority, self.rng, self.today = authority, rng, today
        self._first = max(SINCE, dt.date(today.year - 6, 1, 1)).toordinal()
        self._span = today.toordinal() - self._first + 1
        # ISO text of every day a row can carry (400 days before the first decision to 2,000 after
        # today): one list index instead of date arithmetic and isoformat() for each date column.
        self._iso_base = self._first - 400
        self._iso = _iso_days(self._iso_base, today.toordinal() + 2000)
        self._serials: dict[str, int] = {}
        self._blank: dict[str, dict[str, str]] = {}
        for kind, headers in HEADERS.items():
            blank = dict.fromkeys(headers, "")
            _, _, name_header, code_header = _KIND_COLUMNS[kind]
            blank[name_header] = blank["数据来源单位"] = authority.name
            blank[code_header] = blank["数据来源单位统一社会信用代码"] = authority.uscc
            self._blank[kind] = blank
        cases = _PENALTY_CASES.get(authority.domain, _GENERAL_CASES)
        self._cases = [(case, self._penalty_template(case), _penalty_content(case)) for case in cases]
        self._person_cases = [entry for entry in self._cases if entry[0].persons] or [
            (case, self._penalty_template(case), _penalty_content(case)) for case in _GENERAL_CASES
        ]
        self._facts: dict[tuple[str, str], str] = {}

    # dates and numbers ---------------------------------------------------------------------------
    def iso(self, ordinal: int) -> str:
        index = ordinal - self._iso_base
        if 0 <= index < len(self._iso):
            return self._iso[index]
        return dt.date.fromordinal(ordinal).isoformat()

    def decision_ordinal(self) -> int:
        """A day since 2020-08-01 (at most six years back), one in six within the last 45 days so the
        demo has fresh records and running deadlines."""
        rng = self.rng
        if rng.random() < 1 / 6:
            return self._first + self._span - 1 - _below(rng, min(45, self._span))
        return self._first + _below(rng, self._span)

    def decision_date(self) -> dt.date:
        return dt.date.fromordinal(self.decision_ordinal())

    def later(self, day: dt.date, low: int, high: int) -> dt.date | None:
        """A day ``low``–``high`` days after ``day`` that is not in the future, or None."""
        latest = min(high, (self.today - day).days)
        if latest < low:
            return None
        return day + dt.timedelta(days=_between(self.rng, low, latest + 1))

    def serial(self, series: str) -> int:
        """The next number of a numbering series (e.g. "罚2024"), starting somewhere plausible."""
        number = self._serials.get(series)
        number = _between(self.rng, 1, 400) if number is None else number + 1
        self._serials[series] = number
        return number

    def _number(self, series: str, year: int | str) -> str:
        return f"{self.authority.abbreviation}{series}〔{year}〕{self.serial(f'{series}{year}')}号"

    def _start(self, kind: str, subject: SyntheticSubject) -> dict[str, str]:
        row = self._blank[kind].copy()
        row.update(subject.fields)
        return row

    def make(self, kind: str, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        """A record of ``kind`` (a code of ``KINDS``) about ``subject``."""
        if kind not in HEADERS:
            raise ValueError(f"unknown record kind {kind!r}")
        row: dict[str, str] = getattr(self, kind)(subject, decided=decided)
        return row

    # 行政处罚 ---------------------------------------------------------------------------------------
    def _penalty_template(self, case: PenaltyCase) -> dict[str, str]:
        row = self._blank["penalty"].copy()
        row.update(
            {"违法行为类型": case.behaviour, "处罚依据": case.basis, "处罚类别": ";".join(case.sanctions)}
        )
        return row

    def penalty(self, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        # The hot path of the million-row benchmark: draws inlined, texts and dates looked up.
        rng = self.rng
        rand = rng.random
        cases = self._person_cases if subject.category == PERSON else self._cases
        case, template, content = cases[int(rand() * len(cases))]
        day = decided.toordinal() if decided else self.decision_ordinal()
        row = template.copy()
        row.update(subject.fields)
        decided_on = self.iso(day)
        found = self.iso(day - 20 - int(rand() * 100))[:7]
        fact = self._facts.get((case.fact, found))
        if fact is None:
            fact = self._facts[case.fact, found] = case.fact.format(when=f"{found[:4]}年{int(found[5:])}月")
        low, high = case.fine
        fine = (low // 100 + int(rand() * (high // 100 - low // 100 + 1))) * 100 if high else 0
        confiscated = (5 + int(rand() * 495)) * 100 if _GAIN in case.sanctions else 0
        serious = case.severity == "严重"
        ends = self.iso(day + (1095 if serious else 365))
        row["行政处罚决定书文号"] = self._number("罚", decided_on[:4])
        row["违法事实"] = fact
        row["处罚内容"] = content.format(fine=fine, gain=confiscated, days=5 + int(rand() * 6))
        row["处罚决定日期"] = decided_on
        row["处罚有效期"] = ends
        if fine:
            row["罚款金额(万元)"] = _wan(fine)
        if confiscated:
            row["没收违法所得/非法财物金额(万元)"] = _wan(confiscated)
        if case.licence:
            row["暂扣或吊销证照名称及编号"] = f"{case.licence} JY1{int(rand() * 10**13):013d}"
        if rand() < 0.4:
            row["公示截止期"] = ends
        # A person's penalty under the 简易程序 is never collected (《厦门市公共信用信息管理办法》), so persons get 普通程序.
        simple = (
            subject.category != PERSON
            and fine <= _SIMPLE_FINE_LIMIT
            and _SIMPLE_SANCTIONS.issuperset(case.sanctions)
            and rand() < 0.5
        )
        row["程序类型"] = "简易程序" if simple else "普通程序"
        if serious or rand() < 0.5:
            row["失信严重程度"] = case.severity
        return row

    # 行政许可 ---------------------------------------------------------------------------------------
    def licence(self, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        day = decided or self.decision_date()
        row = self._start("licence", subject)
        title, category, certificate, content = _LICENCES.get(self.authority.domain, _GENERAL_LICENCE)
        row["行政许可决定文书名称"] = title or f"{self.authority.name}准予行政许可决定书"
        row["行政许可决定文书号"] = self._number("许准", day.year)
        row["许可类别"] = category
        row["许可证书名称"] = certificate
        row["许可编号"] = f"{self.authority.abbreviation}许{day.year}{self.serial('许可编号'):06d}"
        row["许可内容"] = content
        row["许可决定日期"] = row["有效期自"] = day.isoformat()
        long_term = self.rng.random() < 0.2
        row["有效期至"] = LONG_TERM if long_term else self.iso(day.toordinal() + 5 * 365)
        return row

    # 行政强制 ---------------------------------------------------------------------------------------
    def enforcement(self, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        rng = self.rng
        day = decided or self.decision_date()
        row = self._start("enforcement", subject)
        kind, reason, basis = _ENFORCEMENTS.get(self.authority.domain, _GENERAL_ENFORCEMENT)
        row["行政强制决定书文号"] = self._number("强", day.year)
        row["行政强制类别"] = kind
        row["行政强制事由"] = reason
        row["行政强制依据"] = basis
        row["行政强制内容"] = f"对当事人采取{kind.replace(';', '、')}措施"
        if "财物" in kind or "存款" in kind:
            row["涉案金额(万元)"] = _wan(_between(rng, 10, 5_000) * 100)
        row["行政强制决定日期"] = day.isoformat()
        lifted = self.later(day, 15, 90) if rng.random() < 0.5 else None
        if lifted is not None:
            row["解除行政强制措施日期"] = lifted.isoformat()
        return row

    # 严重失信主体名单 / 重点关注名单 ------------------------------------------------------------------
    def serious_dishonesty_list(
        self, subject: SyntheticSubject, *, decided: dt.date | None = None
    ) -> dict[str, str]:
        day = decided or self.decision_date()
        row = self._start("serious_dishonesty_list", subject)
        list_type, reason, basis, measures = _SERIOUS_LISTS.get(self.authority.domain, _GENERAL_SERIOUS_LIST)
        if self.authority.domain == 1:
            # Enforcement case numbers of the district courts: (2024)闽0203执1234号.
            court = DIVISIONS[1 + _below(self.rng, len(DIVISIONS) - 1)][2:]
            row["认定文书号"] = f"({day.year})闽{court}执{self.serial(f'执{day.year}')}号"
        else:
            row["认定文书号"] = self._number("失信", day.year)
        row["名单类型"] = list_type
        row["列入事由"] = reason
        row["列入依据"] = basis
        row["惩戒措施"] = measures
        row["列入日期"] = day.isoformat()
        row["有效期至"] = self.iso(day.toordinal() + 3 * 365)
        return row

    def key_attention_list(
        self, subject: SyntheticSubject, *, decided: dt.date | None = None
    ) -> dict[str, str]:
        day = decided or self.decision_date()
        row = self._start("key_attention_list", subject)
        list_type, reason, basis = _KEY_ATTENTION.get(self.authority.domain, _GENERAL_KEY_ATTENTION)
        row["名单类型"] = list_type
        row["认定文书号"] = self._number("重关", day.year)
        row["列入事由"] = reason
        row["列入依据"] = basis
        row["监管措施"] = "列为重点监管对象，提高检查频次"
        row["列入日期"] = day.isoformat()
        row["有效期至"] = self.iso(day.toordinal() + 365)
        return row

    # 经营异常名录 / 欠缴 ------------------------------------------------------------------------------
    def abnormal_operation(
        self, subject: SyntheticSubject, *, decided: dt.date | None = None
    ) -> dict[str, str]:
        day = decided or self.decision_date()
        row = self._start("abnormal_operation", subject)
        row["列入决定书文号"] = self._number("异列", day.year)
        row["列入经营异常名录原因"] = _pick(self.rng, _ABNORMAL_REASONS)
        row["列入日期"] = day.isoformat()
        return row

    def arrears(self, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        rng = self.rng
        day = decided or self.decision_date()
        row = self._start("arrears", subject)
        kind, items = _ARREARS.get(self.authority.domain, _GENERAL_ARREARS)
        period = day - dt.timedelta(days=_between(rng, 60, 400))
        row["欠缴类别"] = kind
        row["欠缴认定文书号"] = self._number("欠", day.year)
        row["欠缴项目"] = items
        row["欠缴所属期"] = f"{period.year}年{period.month:02d}月"
        row["欠缴金额(万元)"] = _wan(_between(rng, 5, 5_000) * 100)
        row["认定日期"] = day.isoformat()
        return row

    # 违反信用承诺 / 信用承诺 / 表彰奖励 -------------------------------------------------------------------
    def commitment_breach(
        self, subject: SyntheticSubject, *, decided: dt.date | None = None
    ) -> dict[str, str]:
        rng = self.rng
        day = decided or self.decision_date()
        row = self._start("commitment_breach", subject)
        promised = day - dt.timedelta(days=_between(rng, 30, 300))
        row["认定文书号"] = self._number("违诺", day.year)
        row["承诺类型"] = "审批替代型-告知承诺"
        row["承诺事项"] = _MATTERS.get(self.authority.domain, f"{self.authority.name}行政许可事项")
        if promised >= SINCE:
            row["承诺日期"] = promised.isoformat()
        row["违诺情形"] = "经事中事后核查，当事人实际情况与承诺内容不符，未在承诺期限内补齐相关条件。"
        row["处理措施"] = "撤销相关许可决定，记入信用记录，不再适用告知承诺制"
        row["认定日期"] = day.isoformat()
        if rng.random() < 0.5:
            row["失信严重程度"] = "一般"
        return row

    def commitment(self, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        day = decided or self.decision_date()
        row = self._start("commitment", subject)
        due = day + dt.timedelta(days=180)
        row["承诺书编号"] = self._number("诺", day.year)
        row["承诺类型"] = _pick(self.rng, _COMMITMENT_TYPES)
        row["承诺事项"] = _MATTERS.get(self.authority.domain, f"{self.authority.name}政务服务事项")
        row["承诺内容"] = (
            "本人（单位）承诺所提供材料真实有效，符合相关条件和标准，如有违反愿承担相应法律责任并接受信用惩戒。"
        )
        row["承诺日期"] = day.isoformat()
        row["践诺期限"] = due.isoformat()
        row["践诺情况"] = "已践诺" if due <= self.today else "履约中"
        return row

    def interview(self, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        """约谈记录 a department reports itself (interviews held on the platform are written by supervision)."""
        rng = self.rng
        day = decided or self.decision_date()
        row = self._start("interview", subject)
        due = day + dt.timedelta(days=_between(rng, 15, 60))
        row["约谈编号"] = self._number("约谈", day.year)
        row["约谈类型"] = _pick(rng, ["提示约谈", "警示约谈"])
        row["约谈日期"] = day.isoformat()
        row["约谈地点"] = f"{self.authority.name}约谈室"
        row["参加人员"] = f"{self.authority.name}执法人员二名；当事人或其委托代理人"
        row["约谈事由"] = "多次受到行政处罚，存在失信风险"
        row["督促履行的义务"] = "履行行政处罚决定，建立合规制度并报送整改报告"
        row["整改期限"] = due.isoformat()
        if due <= self.today:
            row["整改结果"] = _pick(rng, ["整改完成", "整改完成", "未整改"])
        return row

    def commendation(self, subject: SyntheticSubject, *, decided: dt.date | None = None) -> dict[str, str]:
        day = decided or self.decision_date()
        row = self._start("commendation", subject)
        honour, level = _pick(self.rng, _HONOURS_PERSON if subject.is_person else _HONOURS)
        row["表彰决定文号"] = self._number("表", day.year)
        row["荣誉名称"] = honour
        row["表彰级别"] = level
        row["表彰内容"] = f"授予“{honour}”称号"
        row["表彰日期"] = day.isoformat()
        return row

    # later versions ------------------------------------------------------------------------------
    def ending(self, kind: str, row: Mapping[str, str]) -> dict[str, str] | None:
        """The later version a department sends when a record ends (a removal from a list, a settled
        arrear): same key, end date filled in. None for kinds that do not end, or not yet."""
        if kind not in _ENDINGS:
            return None
        ended = self.later(dt.date.fromisoformat(row[DATE_HEADER[kind]]), 30, 720)
        if ended is None:
            return None
        date_header, texts = _ENDINGS[kind]
        updated = dict(row)
        updated[date_header] = ended.isoformat()
        for header, text in texts:
            updated[header] = text or self.authority.name
        return updated


# ---------------------------------------------------------------------------------------------------
# Streams


def suits(kind: str, subject: SyntheticSubject) -> bool:
    """Whether a record of this kind can concern this subject: only market entities are put on the
    经营异常名录, and the licences generated here are organisations' licences."""
    if kind == "abnormal_operation":
        return subject.is_market_entity
    if kind == "licence":
        return not subject.is_person
    return True


def penalty_rows(
    n: int,
    *,
    seed: int = 1,
    authority: Authority | None = None,
    subjects: Sequence[SyntheticSubject] | None = None,
    today: dt.date | None = None,
    repeat_share: float = 0.15,
) -> Iterator[dict[str, str]]:
    """``n`` penalty records of one department (default 厦门市市场监督管理局), keyed by the Chinese
    headers of kinds/penalty.yaml, each with a unique 行政处罚决定书文号.

    Subjects are new ones (mostly 法人及非法人组织, some 个体工商户, a few 自然人, always 普通程序),
    with ``repeat_share`` of the rows about a recently seen subject again; or ``subjects`` in turn.
    """
    rng = random.Random(seed)
    maker = RecordMaker(authority or DEPARTMENTS[25], rng=rng, today=today or clock.today())
    factory = SubjectFactory(rng)
    recent: list[SyntheticSubject] = []
    for index in range(n):
        if subjects:
            subject = subjects[index % len(subjects)]
        elif recent and rng.random() < repeat_share:
            subject = _pick(rng, recent)
        else:
            subject = factory.mixed(individual_business=0.13, person=0.05)
            if len(recent) < 512:
                recent.append(subject)
            else:
                recent[index % 512] = subject
        yield maker.penalty(subject)


def kind_rows(
    kind: str, n: int, *, seed: int = 1, authority: Authority | None = None, today: dt.date | None = None
) -> Iterator[dict[str, str]]:
    """``n`` records of any kind from one department (default 市场监督管理局), about subjects that suit it."""
    rng = random.Random(seed)
    maker = RecordMaker(authority or DEPARTMENTS[25], rng=rng, today=today or clock.today())
    factory = SubjectFactory(rng)
    for _ in range(n):
        subject = factory.mixed()
        while not suits(kind, subject):
            subject = factory.mixed()
        yield maker.make(kind, subject)


# ---------------------------------------------------------------------------------------------------
# CSV


class CsvFile:
    """A CSV file written row by row with Chinese headers, UTF-8 with BOM (what Excel opens cleanly).
    A row's keys must be among the headers; missing ones are written empty."""

    def __init__(self, path: Path, headers: Sequence[str]) -> None:
        self.path = path
        self.headers = tuple(headers)
        self.rows = 0
        self._known = frozenset(self.headers)
        self._handle = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._handle)
        self._writer.writerow(self.headers)

    def write(self, row: Mapping[str, str]) -> None:
        if not self._known.issuperset(row.keys()):
            raise ValueError(f"columns not in the header: {sorted(set(row) - self._known)}")
        self._writer.writerow([row.get(h, "") for h in self.headers])
        self.rows += 1

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def write_csv(path: Path, rows: Iterable[Mapping[str, str]], *, headers: Sequence[str] | None = None) -> int:
    """Stream ``rows`` into a CSV file (headers default to the first row's keys); returns the count."""
    iterator = iter(rows)
    first = next(iterator, None)
    with CsvFile(path, headers or list(first or {})) as out:
        if first is not None:
            out.write(first)
        for row in iterator:
            out.write(row)
        return out.rows
