"""The sentence classifier: plain-Python inference equals scikit-learn; Extractor wiring."""

from __future__ import annotations

import json

import pytest

from driftcheck.extract.classifier import SentenceClassifier, char_wb_ngrams, load_model, word_ngrams
from driftcheck.extract.statements import Extractor
from driftcheck.text.pipeline import TextProcessor

sklearn = pytest.importorskip("sklearn")

from driftcheck.evaluation import train_classifier as tc  # noqa: E402  (imports click only)

SAMPLES = [
    ("She is unable to walk more than one block because of the pain.", "hpi"),
    ("Pain interferes with sleep and with lifting her grandchildren.", "hpi"),
    ("He failed 6 weeks of physical therapy and NSAIDs.", "hpi"),
    ("Physical therapy did not help; ibuprofen gave partial relief.", "assessment"),
    ("MRI is ordered given progressive weakness despite therapy.", "plan"),
    ("Epidural steroid injection is indicated for radicular pain.", "assessment"),
    ("Blood pressure 120/80.", "vitals"),
    ("No known drug allergies.", "allergies"),
    ("Tolerating a regular diet.", "ros"),
    ("She can't sit  for long   periods; driving is hard.", "hpi"),
    ("Continue home exercise program.", "plan"),
    ("The patient is a 45-year-old male with low back pain.", "hpi"),
]
UNSEEN = [
    ("Zzyzx qwerty unmatched words only.", "hpi"),
    ("Walking and standing worsen the pain; she stopped working.", "a_section_never_seen"),
    ("", "hpi"),
    ("Chiropractic care and massage were tried without benefit.", "hpi"),
]


def _sents() -> list[tc.Sent]:
    golds = [
        {"FUNCTION": True}, {"FUNCTION": True}, {"CONSERVATIVE_CARE": True, "NECESSITY": True},
        {"CONSERVATIVE_CARE": True}, {"NECESSITY": True}, {"NECESSITY": True}, {}, {}, {},
        {"FUNCTION": True}, {"CONSERVATIVE_CARE": True}, {},
    ]
    out = []
    for (text, section), gold in zip(SAMPLES * 2, golds * 2, strict=True):
        s = tc.Sent(0, len(text), section, text)
        s.gold = {lab: gold.get(lab, False) for lab in tc.LABELS}
        out.append(s)
    return out


@pytest.fixture(scope="module")
def fitted() -> tc.Fitted:
    return tc.fit(_sents())


@pytest.fixture(scope="module")
def model(fitted: tc.Fitted, tmp_path_factory: pytest.TempPathFactory) -> SentenceClassifier:
    data = tc.export(fitted, {"FUNCTION": 0.0, "NECESSITY": None, "CONSERVATIVE_CARE": None}, {"test": True})
    path = tmp_path_factory.mktemp("clf") / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_model(path)


@pytest.mark.parametrize("text", [t for t, _ in SAMPLES + UNSEEN])
def test_analyzers_equal_sklearn(text: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2)).build_analyzer()
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    assert word_ngrams(text, 1, 2) == word(text)
    assert char_wb_ngrams(text, 3, 5) == char(text)


def test_proba_equals_sklearn(fitted: tc.Fitted, model: SentenceClassifier) -> None:
    rows = SAMPLES + UNSEEN
    sents = [tc.Sent(0, len(t), sec, t) for t, sec in rows]
    expected = fitted.proba(sents)
    for i, (text, section) in enumerate(rows):
        got = model.proba(text, section)
        for lab in tc.LABELS:
            assert abs(got[lab] - float(expected[lab][i])) < 1e-6, (lab, text)


def test_model_holds_no_sentence(model: SentenceClassifier) -> None:
    names = [g for block in model.blocks for g in block.vocab]
    assert all(len(g.split()) <= 2 for g in names)
    assert model.enabled == ("FUNCTION",)


def test_extractor_adds_classifier_sentences_only_when_asked(model: SentenceClassifier) -> None:
    text = ("HISTORY OF PRESENT ILLNESS\n\nThe weather has been cold lately.\n"
            "She denies difficulty walking.\n")
    doc = TextProcessor().process(text)
    rules = Extractor(classifier=False).extract(doc)
    assert not any(s.pattern_id.startswith("clf.") for s in rules)
    with_clf = Extractor(classifier=model).extract(doc)
    added = [s for s in with_clf if s.pattern_id.startswith("clf.")]
    # threshold 0.0: every sentence outside the rules' FUNCTION statements is added ...
    assert any(text[s.start:s.end] == "The weather has been cold lately" for s in added)
    assert all(s.label == "FUNCTION" and dict(s.attrs) == {"direction": "none"} and s.asserted for s in added)
    # ... but never a sentence the rules found (here: negated)
    negated = [s for s in rules if s.label == "FUNCTION" and s.negated]
    assert negated
    for neg in negated:
        assert not any(a.start < neg.end and a.end > neg.start for a in added)


def test_extractor_without_installed_model_is_rules_only() -> None:
    from driftcheck.extract import classifier

    doc = TextProcessor().process("HPI:\nShe is unable to walk a block.\n")
    if classifier.default_model() is None:
        assert Extractor(classifier=True).extract(doc) == Extractor(classifier=False).extract(doc)


def test_malformed_model_is_a_data_error(tmp_path) -> None:
    from driftcheck.errors import DataFileError

    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(DataFileError):
        load_model(bad)
