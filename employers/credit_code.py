"""Unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from the 31-character alphabet 0-9 A-H J-N P-R T-U W-Y (no I, O, S, V, Z).
Characters 3-8 are the administrative division code (digits). The 18th character is a check
character: with c_i the value of the i-th character (i = 0..16) and w_i = 3**i mod 31,
check = (31 - sum(c_i * w_i) mod 31) mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: index for index, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


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
