"""Normalisation and its offset map: findings must point at the original characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from driftcheck.text.normalize import match_key, normalize, numbers_in

TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ  \n\t.,:/7\u2019\u00a0\u2014éﬁ")), max_size=80)


@given(TEXT)
def test_offset_map_points_into_original(text: str) -> None:
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.text) + 1
    for i, ch in enumerate(norm.text):
        orig = text[norm.offsets[i]]
        if ch == " ":
            assert orig.isspace() or orig in "\u00a0"
        else:
            assert ch in normalize(orig).text or orig.lower() == ch


@given(TEXT, st.data())
def test_to_original_round_trips_unchanged_text(text: str, data: st.DataObject) -> None:
    norm = normalize(text, lower=False)
    if not norm.text:
        return
    a = data.draw(st.integers(0, len(norm.text) - 1))
    b = data.draw(st.integers(a + 1, len(norm.text)))
    start, end = norm.to_original(a, b)
    assert 0 <= start < end <= len(text)
    piece = text[start:end]
    # wherever normalisation changed nothing, the ranges hold the same characters
    if piece.isascii() and " ".join(piece.split()) == piece:
        assert piece == norm.text[a:b]


def test_offsets_are_shifted_by_base() -> None:
    norm = normalize("Pain 7/10", base=100)
    assert norm.to_original(0, 4) == (100, 104)


def test_match_key_masks_numbers_and_case() -> None:
    assert match_key("Pain is 7/10 today.") == match_key("PAIN is 4/10  today")
    assert numbers_in("pain 7/10, ODI 42.5%") == ("7", "10", "42.5")


def test_match_key_keeps_words() -> None:
    assert match_key("walks two blocks") != match_key("walks ten blocks")


@given(TEXT)
def test_fast_key_normalisation_equals_the_offset_mapped_one(text: str) -> None:
    from driftcheck.text.normalize import _fast_normalize

    assert _fast_normalize(text) == normalize(text).text
