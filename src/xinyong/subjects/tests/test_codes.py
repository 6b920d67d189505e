"""USCC (GB 32100 with the embedded GB 11714 check) and resident ID (GB 11643) validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.subjects.codes import (
    USCC_CHARSET,
    CodeProblem,
    complete_resident_id,
    complete_uscc,
    mask_resident_id,
    normalise,
    org_code_check_char,
    resident_id_problem,
    uscc_problem,
)


@pytest.mark.parametrize("code", ["914403001922038216", "9144030071526726XG", "1135020000413900XC"])
def test_it_accepts_published_codes(code: str) -> None:
    assert uscc_problem(code) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("914403001922038217", CodeProblem.CHECK),
        ("91440300192203821", CodeProblem.FORMAT),
        ("9144030019220382I6", CodeProblem.FORMAT),  # I is not in the charset
        ("914403001922038216X", CodeProblem.FORMAT),
        ("", CodeProblem.FORMAT),
    ],
)
def test_it_tells_format_from_check_failures(code: str, problem: CodeProblem) -> None:
    assert uscc_problem(code) is problem


def test_it_catches_a_wrong_embedded_organisation_code() -> None:
    """The USCC's own check can pass while characters 9–17 are not a valid GB 11714 code."""
    body = "91350200" + "78418774"
    wrong_org_check = next(c for c in "0123456789X" if c != org_code_check_char("78418774"))
    first17 = body + wrong_org_check
    from xinyong.subjects.codes import uscc_check_char

    assert uscc_problem(first17 + uscc_check_char(first17)) is CodeProblem.ORG_CHECK


def test_normalise_accepts_full_width_and_blanks() -> None:
    assert normalise(" ９１４４０３００１９２２０３８２１６ ") == "914403001922038216"
    assert normalise("9144030071526726xg") == "9144030071526726XG"


@given(
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8),
    st.sampled_from(["91", "11", "52"]),
)
def test_completed_codes_always_validate(org_body: str, prefix: str) -> None:
    assert uscc_problem(complete_uscc(prefix + "350203" + org_body)) is None


@given(st.integers(min_value=0, max_value=17), st.sampled_from(USCC_CHARSET))
def test_changing_one_character_is_caught(position: int, replacement: str) -> None:
    code = "9144030071526726XG"
    changed = code[:position] + replacement + code[position + 1 :]
    assert (uscc_problem(changed) is None) == (changed == code)


def test_resident_id_example_and_its_failures() -> None:
    assert resident_id_problem("11010519491231002X") is None
    assert resident_id_problem("110105194912310021") is CodeProblem.CHECK
    assert resident_id_problem("110105194902300021") is CodeProblem.BIRTH_DATE
    assert resident_id_problem("1101051949123100") is CodeProblem.FORMAT
    assert resident_id_problem(complete_resident_id("35020319850612003")) is None


def test_a_masked_id_hides_birth_date_and_sequence() -> None:
    assert mask_resident_id("11010519491231002X") == "110105********002X"
