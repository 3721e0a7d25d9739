"""The speed paths of extraction give exactly what the plain paths give.

- plain-token patterns, single tokens and patterns with optional leading tokens are matched
  without the automaton (or from fewer start positions): same matches as the automaton;
- one-regex predicates run in screened groups: same predicate sets as running each regex;
- the Extractor works on plain records: same statements as the span groups of the spaCy
  components read back;
- the duration search is skipped on text without a unit word: same match as the full search.
"""

from __future__ import annotations

import re

import pytest

from driftcheck.extract import statements, validators
from driftcheck.extract.prefilter import match_steps, registry
from driftcheck.extract.statements import Extractor, build_nlp
from driftcheck.text.pipeline import TextProcessor

LINES = [
    "She cannot sit for more than 20 minutes and can't drive; walking worsens her pain.",
    "Pain is 6-8/10 today, 7 / 10 yesterday, seven out of ten at worst. VAS 55/100.",
    "He has tried Tylenol, ibuprofen 800mg and PT x6 weeks without relief, and chiropractic care.",
    "If he fails to improve, we will obtain an MRI of the L4-L5 level. Bilateral L5-S1 facet injections.",
    "Family history: his mother has difficulty walking. No history of opioid use. Denies numbness.",
    "Total time spent: 45 minutes, more than half counseling. The last block gave 70% relief for 3 months.",
    "Trigger point injections to the left trapezius and paraspinal muscles under fluoroscopic guidance.",
    "Pain for 2 years, rated 9/10 on a 10-point scale; diagnostic medial branch block.",
]


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _matchers(nlp):
    return [proc.matcher for _name, proc in nlp.pipeline if hasattr(proc, "matcher")]


def test_when_fast_matching_then_same_as_automaton(nlp):
    matchers = _matchers(nlp)
    assert matchers
    for line in LINES:
        doc = nlp(line)
        for matcher in matchers:
            sets = matcher.preds.tokens(doc)
            expected = sorted({(key, s, e) for key, alternatives in matcher.patterns.items()
                               for steps in alternatives for s, e in match_steps(steps, sets)})
            assert sorted(set(matcher(doc))) == expected, line


def test_when_regex_predicates_screened_then_same_sets_as_each_regex(nlp):
    preds = registry(nlp.vocab)
    assert preds._regexes
    words = {w for line in LINES for w in re.findall(r"\w+|[^\w\s]", line)}
    words |= {"walking", "Walking", "ambulating", "C5-C6", "l4", "x3", "0/10", "10/100", "8.5/10", "restrictions"}
    for word in sorted(words):
        orth = nlp.vocab.strings.add(word)
        low = word.lower()
        expected = {pid for pid, lower, rx in preds._regexes if rx.search(low if lower else word)}
        got = preds.of_form(orth) & {pid for pid, _lower, _rx in preds._regexes}
        assert got == expected, word


def test_when_records_then_same_statements_as_span_groups(monkeypatch):
    text = "\n".join(["HPI:", *LINES, "PLAN:", "We will start physical therapy. Continue Lyrica.",
                      "INDICATION: Lumbar radiculopathy despite physical therapy."])
    fast = Extractor().extract(TextProcessor().process(text))

    class NotConText:  # the standard pipeline no longer recognised: components run one by one
        pass

    monkeypatch.setattr(statements, "ConText", NotConText)
    slow = Extractor().extract(TextProcessor().process(text))
    assert fast == slow
    assert len({s.label for s in fast}) >= 6


@pytest.mark.parametrize("text", [
    "for 6 weeks", "x3 months without relief", "Tried PT for a few weeks", "no duration here at all",
    "since yesterday", "two-year history", "for the past 10-12 years", "3 hrs", "today",
])
def test_when_duration_search_screened_then_same_match(text):
    full = validators.DURATION_RE.search(text)
    fast = validators.search_duration(text)
    assert (full and full.span(), full and full.group(0)) == (fast and fast.span(), fast and fast.group(0))
