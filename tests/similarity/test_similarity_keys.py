"""Properties of the comparison vocabulary: offset map, keys, numbers, measurements."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from driftcheck.similarity.keys import find_measurements, sentence_key, sentence_numbers
from driftcheck.text.normalize import normalize

TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ 0123456789/.,:-\n\t\u00a0\u2019\u2013é")), max_size=80)


@given(TEXT, st.integers(min_value=0, max_value=50))
@settings(max_examples=300, deadline=None)
def test_offset_map_points_at_the_original_character(text: str, base: int) -> None:
    norm = normalize(text, base=base)
    assert len(norm.offsets) == len(norm.text) + 1
    for i, ch in enumerate(norm.text):
        if ch == " ":
            continue
        original = text[norm.offsets[i] - base]
        folded = unicodedata.normalize("NFKC", original).lower()
        assert ch in folded or original in "\u2019\u2013", (text, i)
    if norm.text:
        a, b = norm.to_original(0, len(norm.text))
        assert base <= a < b <= base + len(text)


@given(st.integers(min_value=0, max_value=10))
def test_spelled_and_digit_pain_scores_share_key_and_numbers(v: int) -> None:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    a, b = f"Pain is {v}/10 today.", f"pain is {words[v]} out of ten today"
    assert sentence_key(a) == sentence_key(b)
    assert sentence_numbers(a) == sentence_numbers(b)
    (m,) = find_measurements(b, 100, sentence_key(b))
    assert m.kind == "pain" and m.value == v and b[m.start - 100 : m.end - 100].startswith(words[v])


def test_numbers_are_masked_in_keys_but_compared_separately() -> None:
    assert sentence_key("Pain 7/10, ODI 40%.") == sentence_key("Pain 4/10, ODI 22%.")
    assert sentence_numbers("Pain 7/10, ODI 40%.") != sentence_numbers("Pain 4/10, ODI 22%.")


def test_measurements_ignore_non_pain_fractions() -> None:
    text = "BP 120/80. Strength 4/5. ODI 38%. NDI: 24. PEG score 6."
    kinds = [(m.kind, m.value) for m in find_measurements(text, 0, "k")]
    assert kinds == [("odi", 38.0), ("ndi", 24.0), ("peg", 6.0)]
