"""Unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from the 31-character alphabet 0-9 A-H J-N P-R T-U W-Y (no I, O, S, V, Z).
The 1st character is the registration authority (登记管理部门代码), the 2nd the kind of body within
it (机构类别代码), see `REGISTRATION_AUTHORITIES`. Characters 3-8 are the administrative division
code (digits). The 18th character is a check
character: with c_i the value of the i-th character (i = 0..16) and w_i = 3**i mod 31,
check = (31 - sum(c_i * w_i) mod 31) mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: index for index, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


REGISTRATION_AUTHORITIES: dict[str, str] = {
    # GB 32100-2015 (with amendment XG1-2016), 登记管理部门代码 and, in brackets, its 机构类别代码
    "1": "机构编制",  # 11 机关, 12 事业单位, 13 中央编办直接管理机构编制的群众团体, 19 其他
    "2": "外交",  # 21 外国常驻新闻机构, 29 其他
    "3": "司法行政",  # 31 律师执业机构, 32 公证处, 33 基层法律服务所, 34 司法鉴定机构, 35 仲裁委员会, 39 其他
    "4": "文化",  # 41 外国在华文化中心, 49 其他
    "5": "民政",  # 51 社会团体, 52 民办非企业单位, 53 基金会, 59 其他
    "6": "旅游",  # 61/62 境外旅游部门常驻代表机构, 69 其他
    "7": "宗教",  # 71 宗教活动场所, 72 宗教院校, 79 其他
    "8": "工会",  # 81 基层工会, 89 其他
    "9": "工商（市场监管）",  # 91 企业 (incl. partnership enterprises), 92 个体工商户, 93 农民专业合作社
    "A": "中央军委改革和编制办公室",  # A1 军队事业单位, A9 其他
    "N": "农业",  # N1-N3 农村集体经济组织, N9 其他
    "Y": "其他",  # Y1
}

KIND_AUTHORITIES: dict[str, frozenset[str]] = {
    # The registration authorities that can register each employer kind (employers.LegalPersonKind).
    # Law firms are registered by the justice bureaus (31 律师执业机构); accounting, audit and
    # tax-agent firms are licensed by the finance / tax authorities but registered by market
    # regulation as partnership enterprises or companies (91): GB 32100 has no finance code.
    "enterprise": frozenset("9"),
    "public_institution": frozenset("1A"),
    "private_non_enterprise": frozenset("5"),
    "social_organization": frozenset("158"),  # 51; 13 群众团体; 基层工会 (社会团体法人资格)
    "professional_partnership": frozenset("39"),
}
"""A kind absent here (`other`) fits every authority; `Y` (其他) fits every kind."""


def kind_contradicts_code(kind: str, code: str) -> bool:
    """Does the registry kind contradict the code's registration authority (1st character)?"""
    allowed = KIND_AUTHORITIES.get(kind)
    first = normalise(code)[:1]
    return allowed is not None and first != "Y" and first not in allowed


class CreditCodeError(ValueError):
    """The code is malformed; `reason` is one of: length, alphabet, division, checksum."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise(code: str) -> str:
    """Strip spaces and upper-case, as people type codes copied from a licence."""
    return "".join(code.split()).upper()


def check_char(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    if len(first17) != LENGTH - 1:
        raise CreditCodeError("length")
    try:
        total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    except KeyError as error:
        raise CreditCodeError("alphabet") from error
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Return the normalised code or raise CreditCodeError."""
    code = normalise(code)
    if len(code) != LENGTH:
        raise CreditCodeError("length")
    if any(char not in _VALUES for char in code):
        raise CreditCodeError("alphabet")
    if not code[2:8].isdigit():
        raise CreditCodeError("division")
    if check_char(code[:17]) != code[17]:
        raise CreditCodeError("checksum")
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True
