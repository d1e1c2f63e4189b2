"""Unified social credit code (GB 32100-2015) — ORG-LEGAL-ENTITY's identifier."""

from __future__ import annotations

import pytest

from employers.credit_code import (
    ALPHABET,
    WEIGHTS,
    CreditCodeError,
    check_char,
    is_valid,
    normalise,
    validate,
)

# Published codes of real enterprises (from their business licences).
REAL_CODES = [
    "91110108551385082Q",  # 北京小米科技有限责任公司 (Haidian)
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
]


def test_alphabet_and_weights_follow_the_standard():
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert is_valid(code)
    assert check_char(code[:17]) == code[17]


def test_check_char_of_a_new_haidian_code():
    # 91110108MA01ABCDE + computed check character
    first17 = "91110108MA01ABCDE"
    assert check_char(first17) == "N"
    assert is_valid(first17 + "N")
    assert not is_valid(first17 + "4")


def test_check_char_zero_when_the_sum_is_a_multiple_of_31():
    assert check_char("91110108592366240") == "0"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91110108551385082", "length"),
        ("91110108551385082QX", "length"),
        ("91110108551385082O", "alphabet"),
        ("9111010855138508ZQ", "alphabet"),
        ("91AB0108551385082Q", "division"),
        ("91110108551385082P", "checksum"),
        ("91110108551385028Q", "checksum"),  # two digits swapped
    ],
)
def test_invalid_codes_name_the_reason(code, reason):
    with pytest.raises(CreditCodeError) as caught:
        validate(code)
    assert caught.value.reason == reason
    assert not is_valid(code)


def test_normalise_strips_spaces_and_uppercases():
    assert normalise(" 9111 0108 5513 8508 2q ") == "91110108551385082Q"
    assert validate("91110108551385082q") == "91110108551385082Q"


def test_every_single_character_change_is_detected():
    """31 is prime and no weight is 0 mod 31, so any one substituted character breaks the check."""
    code = REAL_CODES[0]
    for position in range(17):
        for char in ALPHABET:
            if char != code[position]:
                assert not is_valid(code[:position] + char + code[position + 1 :])
