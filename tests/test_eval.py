"""Tests for driftcheck.eval: scorers proven on tiny hand-made cases, loaders on broken files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftcheck.errors import GoldFileError
from driftcheck.eval import (
    CloneLabel,
    GoldDoc,
    GoldSpan,
    PredSpan,
    Problem,
    attr_equal,
    format_table,
    load_billing_truth,
    load_cloning_labels,
    load_extraction_gold,
    match_lenient,
    score_billing,
    score_cloning,
    score_extraction,
    split_sentences,
)
from driftcheck.model import Finding, Severity, Statement

TEXT = "Pain is 7/10. She cannot sit for long. Failed PT for 6 weeks.\nMRI due to radiculopathy."
#       0         1         2         3         4         5         6          7         8
PAIN = GoldSpan(0, 12, "PAIN_SCORE", {"value": 7, "scale": "nrs"})
FUNC = GoldSpan(14, 37, "FUNCTION", {"direction": "none"})
CARE = GoldSpan(
    39, 60, "CONSERVATIVE_CARE", {"modality": "physical_therapy", "duration_weeks": 6, "outcome": "failed"}
)
NEC = GoldSpan(62, 86, "NECESSITY", {})


def doc(spans: tuple[GoldSpan, ...] = (PAIN, FUNC, CARE, NEC), negated: tuple[GoldSpan, ...] = ()) -> GoldDoc:
    return GoldDoc(TEXT, "n1", spans, negated)


def as_pred(span: GoldSpan, **changes: Any) -> PredSpan:
    fields = {"start": span.start, "end": span.end, "label": span.label, "attrs": dict(span.attrs)}
    fields.update(changes)
    return PredSpan(**fields)


def counts(view: dict[str, Any]) -> tuple[int, int, int]:
    return view["tp"], view["fp"], view["fn"]


# --- fixture sanity -------------------------------------------------------------------------


def test_fixture_offsets_are_the_statements() -> None:
    assert TEXT[PAIN.start : PAIN.end] == "Pain is 7/10"
    assert TEXT[FUNC.start : FUNC.end] == "She cannot sit for long"
    assert TEXT[CARE.start : CARE.end] == "Failed PT for 6 weeks"
    assert TEXT[NEC.start : NEC.end] == "MRI due to radiculopathy"


# --- extraction -----------------------------------------------------------------------------


def test_perfect_prediction_scores_one_everywhere() -> None:
    res = score_extraction([doc()], {"n1": [as_pred(s) for s in doc().spans]})
    for label in ("PAIN_SCORE", "FUNCTION", "CONSERVATIVE_CARE", "NECESSITY"):
        for view in ("strict", "lenient", "sentence"):
            v = res["labels"][label][view]
            assert (v["p"], v["r"], v["f1"]) == (1.0, 1.0, 1.0), (label, view)
    for view in ("strict", "lenient", "sentence"):
        assert res["micro"][view]["f1"] == 1.0
    assert counts(res["micro"]["strict"]) == (4, 0, 0)
    assert all(a["accuracy"] == 1.0 for by_name in res["attrs"].values() for a in by_name.values())


def test_empty_prediction_has_zero_recall_and_zero_precision_by_convention() -> None:
    res = score_extraction([doc()], {})
    micro = res["micro"]["lenient"]
    assert counts(micro) == (0, 0, 4)
    assert micro["r"] == 0.0
    assert micro["p"] == 0.0  # tp + fp == 0 -> precision defined as 0, never 1
    assert micro["f1"] == 0.0
    assert res["attrs"] == {}


def test_label_absent_from_gold_and_prediction_scores_zero_with_zero_counts() -> None:
    res = score_extraction([doc()], {"n1": [as_pred(s) for s in doc().spans]})
    time = res["labels"]["TIME_SPENT"]
    assert time["gold"] == time["predicted"] == 0
    assert (time["strict"]["f1"], counts(time["strict"])) == (0.0, (0, 0, 0))


def test_off_by_one_span_is_a_strict_miss_but_lenient_and_sentence_hit() -> None:
    res = score_extraction([doc((FUNC,))], {"n1": [PredSpan(FUNC.start, FUNC.end + 1, "FUNCTION")]})
    f = res["labels"]["FUNCTION"]
    assert counts(f["strict"]) == (0, 1, 1)
    assert counts(f["lenient"]) == (1, 0, 0)
    assert counts(f["sentence"]) == (1, 0, 0)


def test_wrong_label_misses_in_both_views() -> None:
    res = score_extraction([doc((FUNC,))], {"n1": [PredSpan(FUNC.start, FUNC.end, "NECESSITY")]})
    assert counts(res["labels"]["FUNCTION"]["strict"]) == (0, 0, 1)
    assert counts(res["labels"]["FUNCTION"]["lenient"]) == (0, 0, 1)
    assert counts(res["labels"]["NECESSITY"]["strict"]) == (0, 1, 0)
    assert counts(res["labels"]["NECESSITY"]["lenient"]) == (0, 1, 0)
    assert counts(res["micro"]["lenient"]) == (0, 1, 1)


def test_two_predictions_over_one_gold_span_count_one_tp_one_fp() -> None:
    preds = [PredSpan(14, 25, "FUNCTION"), PredSpan(20, 37, "FUNCTION")]
    res = score_extraction([doc((FUNC,))], {"n1": preds})
    assert counts(res["labels"]["FUNCTION"]["lenient"]) == (1, 1, 0)
    # Sentence level: both predictions sit in the one gold sentence -> a single hit.
    assert counts(res["labels"]["FUNCTION"]["sentence"]) == (1, 0, 0)


def test_identical_duplicate_predictions_are_not_double_counted_strictly() -> None:
    res = score_extraction([doc((FUNC,))], {"n1": [as_pred(FUNC), as_pred(FUNC)]})
    assert counts(res["labels"]["FUNCTION"]["strict"]) == (1, 1, 0)


def test_lenient_matching_prefers_larger_overlap() -> None:
    gold = [GoldSpan(0, 10, "FUNCTION"), GoldSpan(12, 30, "FUNCTION")]
    # One prediction overlaps both gold spans; it must pair with the one it covers most.
    pred = [PredSpan(8, 30, "FUNCTION"), PredSpan(0, 9, "FUNCTION")]
    assert match_lenient(gold, pred) == [(0, 1), (1, 0)]
    # A single long prediction covering two gold spans is one tp and one fn.
    assert match_lenient(gold, [PredSpan(0, 30, "FUNCTION")]) == [(1, 0)]


def test_sentence_level_counts_sentences_not_spans() -> None:
    two_in_one = (GoldSpan(0, 4, "PAIN_SCORE"), GoldSpan(8, 12, "PAIN_SCORE"))
    res = score_extraction([doc(two_in_one)], {"n1": [PredSpan(0, 12, "PAIN_SCORE")]})
    assert counts(res["labels"]["PAIN_SCORE"]["sentence"]) == (1, 0, 0)
    assert counts(res["labels"]["PAIN_SCORE"]["lenient"]) == (1, 0, 1)
    # A prediction in a sentence without gold is a sentence-level false positive.
    res = score_extraction([doc(two_in_one)], {"n1": [PredSpan(62, 65, "PAIN_SCORE")]})
    assert counts(res["labels"]["PAIN_SCORE"]["sentence"]) == (0, 1, 1)


def test_sentence_bounds_can_be_supplied() -> None:
    one_sentence = {"n1": [(0, len(TEXT))]}
    res = score_extraction(
        [doc((FUNC,))], {"n1": [PredSpan(62, 65, "FUNCTION")]}, sentence_bounds=one_sentence
    )
    assert counts(res["labels"]["FUNCTION"]["sentence"]) == (1, 0, 0)
    assert counts(res["labels"]["FUNCTION"]["lenient"]) == (0, 1, 1)


def test_split_sentences_rules() -> None:
    text = "Seen by Dr. Smith today. Pain 6/10. pain worse.\n- Walks 2 blocks\n\n  Plan: MRI."
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == ["Seen by Dr. Smith today.", "Pain 6/10. pain worse.", "- Walks 2 blocks", "Plan: MRI."]
    assert [TEXT[a:b] for a, b in split_sentences(TEXT)] == [
        "Pain is 7/10.",
        "She cannot sit for long.",
        "Failed PT for 6 weeks.",
        "MRI due to radiculopathy.",
    ]


def test_negation_rate_counts_negated_mentions_not_extracted() -> None:
    negated = (GoldSpan(14, 37, "FUNCTION"), GoldSpan(39, 60, "CONSERVATIVE_CARE"))
    gold = doc((PAIN,), negated)
    res = score_extraction([gold], {"n1": [as_pred(PAIN), PredSpan(40, 45, "CONSERVATIVE_CARE")]})
    neg = res["negation"]
    assert (neg["total"], neg["not_extracted"], neg["rate"]) == (2, 1, 0.5)
    assert neg["by_label"]["FUNCTION"]["rate"] == 1.0
    assert neg["by_label"]["CONSERVATIVE_CARE"]["rate"] == 0.0
    # A span of another label over a negated mention does not count as extracting it.
    res = score_extraction([gold], {"n1": [PredSpan(14, 37, "NECESSITY")]})
    assert res["negation"]["by_label"]["FUNCTION"]["not_extracted"] == 1
    assert score_extraction([doc()], {})["negation"]["rate"] is None


def test_non_asserted_statements_are_dropped() -> None:
    negated_stmt = Statement(label="FUNCTION", start=14, end=37, negated=True)
    asserted_stmt = Statement(label="PAIN_SCORE", start=0, end=12, attrs={"value": 7, "scale": "nrs"})
    res = score_extraction([doc((PAIN,))], {"n1": [negated_stmt, asserted_stmt]})
    assert counts(res["labels"]["PAIN_SCORE"]["strict"]) == (1, 0, 0)
    assert res["labels"]["FUNCTION"]["predicted"] == 0


def test_predictions_as_dicts_and_tuples_are_accepted() -> None:
    preds = [{"start": 0, "end": 12, "label": "PAIN_SCORE", "attrs": {"value": 7}}, (14, 37, "FUNCTION")]
    res = score_extraction([doc((PAIN, FUNC))], {"n1": preds})
    assert counts(res["micro"]["strict"]) == (2, 0, 0)


def test_attrs_accuracy_on_lenient_pairs() -> None:
    preds = [
        as_pred(PAIN, start=1, attrs={"value": 7.04, "scale": "NRS"}),  # within 0.05, case-insensitive
        as_pred(FUNC, attrs={"direction": "worsened"}),  # wrong
        as_pred(CARE, attrs={"modality": "physical_therapy", "outcome": "failed"}),  # weeks missing
    ]
    res = score_extraction([doc()], {"n1": preds})
    attrs = res["attrs"]
    assert attrs["PAIN_SCORE"]["value"] == {"n": 1, "correct": 1, "accuracy": 1.0}
    assert attrs["PAIN_SCORE"]["scale"]["correct"] == 1
    assert attrs["FUNCTION"]["direction"] == {"n": 1, "correct": 0, "accuracy": 0.0}
    assert attrs["CONSERVATIVE_CARE"]["duration_weeks"]["correct"] == 0
    assert attrs["CONSERVATIVE_CARE"]["outcome"]["correct"] == 1
    assert "NECESSITY" not in attrs  # unmatched gold spans have no pair to compare


def test_attr_equal_rules() -> None:
    assert attr_equal("modality", "nsaid, physical_therapy", "physical_therapy,nsaid")
    assert attr_equal("modality", "nsaid", ["nsaid"])
    assert not attr_equal("modality", "nsaid, opioid", "nsaid")
    assert attr_equal("minutes", 25, 25.05)
    assert not attr_equal("minutes", 25, 25.1)
    assert attr_equal("relief_pct", None, None)
    assert not attr_equal("relief_pct", 0, None)
    assert attr_equal("value", 7, "7")


def test_predicted_span_outside_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="n1"):
        score_extraction([doc()], {"n1": [PredSpan(80, 200, "FUNCTION")]})


def test_unscored_labels_and_unknown_notes_are_reported_as_ignored() -> None:
    res = score_extraction([doc((PAIN,))], {"n1": [PredSpan(0, 3, "LEVEL")], "other": []})
    assert res["ignored"] == {"pred_notes_not_in_gold": 1, "pred_spans_other_labels": 1}
    assert counts(res["micro"]["strict"]) == (0, 0, 1)


def test_extraction_result_has_design_shape_and_is_json() -> None:
    res = score_extraction([doc()], {"n1": [as_pred(PAIN)]})
    assert {"labels", "micro", "negation", "attrs"} <= set(res)
    assert set(res["labels"]["PAIN_SCORE"]) >= {"strict", "lenient", "sentence"}
    assert set(res["micro"]["strict"]) == {"p", "r", "f1", "tp", "fp", "fn"}
    json.dumps(res)
    table = format_table(res, "extraction")
    assert "PAIN_SCORE" in table and "micro" in table and "negated" in table


# --- cloning --------------------------------------------------------------------------------


LABELS_C = {
    "a": CloneLabel(True, ((0, 10, "p0"),), "verbatim"),
    "b": CloneLabel(True, None, "reworded"),
    "c": CloneLabel(False, (), "followup"),
    "d": CloneLabel(False, None, "followup"),
}


def test_cloning_note_level_prf() -> None:
    res = score_cloning(LABELS_C, {"a": True, "c": True, "x": True})
    # a: tp; b: fn (missing = not flagged); c: fp; d: tn; x: not labelled, ignored
    assert counts(res["note"]) == (1, 1, 1)
    assert res["note"]["p"] == res["note"]["r"] == res["note"]["f1"] == 0.5
    assert res["chars"] is None


def test_cloning_char_level_pools_labelled_notes() -> None:
    spans = {"a": [(5, 15)], "c": [(0, 2)], "b": [(0, 100)]}
    res = score_cloning(LABELS_C, {"a": True}, spans)
    chars = res["chars"]
    # a: gold 0-10, pred 5-15 -> 5 tp, 5 fp, 5 fn; c: labelled "nothing copied" -> 2 fp; b: no spans labelled
    assert counts(chars) == (5, 7, 5)
    assert chars["p"] == pytest.approx(5 / 12)
    assert chars["r"] == pytest.approx(0.5)
    assert chars["notes"] == 2


def test_cloning_char_spans_clip_to_text_length_and_merge_overlaps() -> None:
    labels = {"a": CloneLabel(True, ((0, 10, None),))}
    res = score_cloning(labels, {"a": True}, {"a": [(0, 6), (4, 12)]}, texts_len={"a": 10})
    assert counts(res["chars"]) == (10, 0, 0)


def test_cloning_by_kind_table() -> None:
    res = score_cloning(LABELS_C, {"a": True, "c": True})
    assert res["by_kind"] == {
        "followup": {"n": 2, "cloned": 0, "flagged": 1, "rate": 0.5},
        "reworded": {"n": 1, "cloned": 1, "flagged": 0, "rate": 0.0},
        "verbatim": {"n": 1, "cloned": 1, "flagged": 1, "rate": 1.0},
    }
    assert score_cloning({"a": CloneLabel(True)}, {})["by_kind"] is None
    table = format_table(res, "cloning")
    assert "followup" in table and "notes" in table


# --- billing --------------------------------------------------------------------------------


def finding(code: str, claim_id: str | None, **extra: Any) -> Finding:
    return Finding(code, "x", Severity.ERROR, "m", "p1", "n1", "src", claim_id=claim_id, **extra)


def test_billing_matching_by_claim_line_and_code() -> None:
    truth = [
        Problem("C1", 1, "DC302"),
        Problem("C1", 2, "DC310"),
        Problem("C2", None, "DC318"),
        Problem("C3", 1, "DC306"),
    ]
    findings = [
        finding("DC302", "C1#1"),  # tp: claim + line from line_id
        {"code": "DC310", "claim_id": "C1", "line": 3},  # wrong line -> fp
        {"code": "DC318", "claim_id": "C2", "line": 4},  # truth has no line -> claim match, tp
        finding("DC306", "C3"),  # finding without line -> claim match, tp
        finding("DC306", "C3"),  # duplicate -> fp
        finding("DC307", None),  # no claim id -> fp
        finding("DC201", None),  # other family -> ignored
    ]
    res = score_billing(truth, findings)
    assert counts(res["overall"]) == (3, 3, 1)
    assert counts(res["by_code"]["DC310"]) == (0, 1, 1)
    assert counts(res["by_code"]["DC306"]) == (1, 1, 0)
    assert "DC201" not in res["by_code"]


def test_billing_wrong_code_on_right_line_misses() -> None:
    res = score_billing([Problem("C1", 1, "DC302")], [finding("DC303", "C1#1")])
    assert counts(res["overall"]) == (0, 1, 1)


def test_billing_orphan_matches_by_claim_once_per_claim() -> None:
    truth = [Problem("C9", 1, "DC301", note_id=None), Problem("C9", 2, "DC301")]
    findings = [finding("DC301", "C9#3"), {"code": "DC301", "claim_id": "C9"}]
    res = score_billing(truth, findings)
    assert counts(res["overall"]) == (1, 0, 0)
    assert counts(score_billing(truth, [finding("DC301", "C8")])["overall"]) == (0, 1, 1)


def test_billing_perfect_and_empty() -> None:
    truth = [Problem("C1", 1, "DC302"), Problem("C2", 1, "DC318")]
    perfect = score_billing(truth, [finding("DC302", "C1#1"), finding("DC318", "C2#1")])
    assert perfect["overall"]["f1"] == 1.0
    empty = score_billing(truth, [])
    assert (empty["overall"]["p"], empty["overall"]["r"]) == (0.0, 0.0)
    assert "overall" in format_table(perfect, "billing")


def test_format_table_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown result kind"):
        format_table({}, "speed")


# --- loaders --------------------------------------------------------------------------------


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    return path


def gold_record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "text": TEXT,
        "meta": {"note_id": "n1", "source": "test"},
        "spans": [
            {"start": 0, "end": 12, "label": "PAIN_SCORE", "attrs": {"value": 7, "scale": "nrs"}},
            {"start": 62, "end": 86, "label": "NECESSITY", "attrs": {}},
        ],
        "negated": [{"start": 14, "end": 37, "label": "FUNCTION"}],
    }
    record.update(overrides)
    return record


def test_load_extraction_gold_reads_records(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "g.jsonl", [gold_record(), ""])
    (gold,) = load_extraction_gold(path)
    assert gold.note_id == "n1" and gold.text == TEXT
    assert gold.spans[0] == GoldSpan(0, 12, "PAIN_SCORE", {"value": 7, "scale": "nrs"})
    assert gold.negated == (GoldSpan(14, 37, "FUNCTION", {}),)


def load_error(tmp_path: Path, records: list[Any], **kwargs: Any) -> str:
    path = write_jsonl(tmp_path / "bad.jsonl", records)
    with pytest.raises(GoldFileError) as info:
        load_extraction_gold(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    assert "cannot sit" not in message and "radiculopathy" not in message  # never note text
    return message


def test_loader_offset_out_of_range(tmp_path: Path) -> None:
    spans = [{"start": 80, "end": 200, "label": "NECESSITY"}]
    msg = load_error(tmp_path, [gold_record(), gold_record(meta={"note_id": "n2"}, spans=spans)])
    assert "line 2: field spans[0].end" in msg and "200" in msg and str(len(TEXT)) in msg


def test_loader_empty_or_negative_span(tmp_path: Path) -> None:
    msg = load_error(tmp_path, [gold_record(spans=[{"start": 5, "end": 5, "label": "NECESSITY"}])])
    assert "line 1: field spans[0].end" in msg
    msg = load_error(tmp_path, [gold_record(negated=[{"start": -1, "end": 5, "label": "FUNCTION"}])])
    assert "line 1: field negated[0].start" in msg


def test_loader_unknown_label_unless_allowed(tmp_path: Path) -> None:
    spans = [{"start": 0, "end": 4, "label": "LEVEL"}]
    msg = load_error(tmp_path, [gold_record(spans=spans)])
    assert "line 1: field spans[0].label" in msg and "LEVEL" in msg
    path = write_jsonl(tmp_path / "ok.jsonl", [gold_record(spans=spans)])
    assert load_extraction_gold(path, extra_labels=["LEVEL"])[0].spans[0].label == "LEVEL"


def test_loader_bad_json_line(tmp_path: Path) -> None:
    msg = load_error(tmp_path, [gold_record(), '{"text": "She cannot sit", "spans": ['])
    assert "line 2: field <record>: invalid JSON" in msg


def test_loader_attr_types(tmp_path: Path) -> None:
    spans = [{"start": 0, "end": 12, "label": "PAIN_SCORE", "attrs": {"value": "seven"}}]
    msg = load_error(tmp_path, [gold_record(spans=spans)])
    assert "field spans[0].attrs.value" in msg and "number" in msg
    spans = [{"start": 14, "end": 37, "label": "FUNCTION", "attrs": {"direction": "better"}}]
    assert "field spans[0].attrs.direction" in load_error(tmp_path, [gold_record(spans=spans)])
    spans = [{"start": 14, "end": 37, "label": "FUNCTION", "attrs": ["none"]}]
    assert "field spans[0].attrs: expected an object" in load_error(tmp_path, [gold_record(spans=spans)])


def test_loader_structure_errors(tmp_path: Path) -> None:
    record = gold_record()
    del record["spans"]
    assert "field spans: missing" in load_error(tmp_path, [record])
    assert "field meta.note_id: missing" in load_error(tmp_path, [gold_record(meta={})])
    assert "duplicate note id" in load_error(tmp_path, [gold_record(), gold_record()])
    assert "field text: expected a string" in load_error(tmp_path, [gold_record(text=5)])
    assert "expected a JSON object" in load_error(tmp_path, ["[1, 2]"])
    spans = [{"start": 0, "end": 12, "label": "PAIN_SCORE", "text": "Pain is 7/1"}]
    assert "field spans[0].text" in load_error(tmp_path, [gold_record(spans=spans)])
    spans = [{"start": 0.5, "end": 12, "label": "PAIN_SCORE"}]
    assert "field spans[0].start: expected an integer" in load_error(tmp_path, [gold_record(spans=spans)])


def test_loader_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError, match="file not found"):
        load_extraction_gold(tmp_path / "nope.jsonl")


def test_load_cloning_labels(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "labels.jsonl",
        [
            {"note_id": "a", "cloned": True, "copied_spans": [[0, 10, "p0"], [12, 20]], "kind": "verbatim"},
            {"note_id": "b", "cloned": False},
        ],
    )
    labels = load_cloning_labels(path, texts_len={"a": 30, "b": 5})
    assert labels["a"] == CloneLabel(True, ((0, 10, "p0"), (12, 20, None)), "verbatim")
    assert labels["b"] == CloneLabel(False, None, None)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"note_id": "a", "cloned": "false"}, "line 1: field cloned: expected true or false"),
        ({"cloned": True}, "line 1: field note_id: missing"),
        ({"note_id": "a", "cloned": True, "copied_spans": [[0, 99, "p0"]]}, "field copied_spans[0].end"),
        ({"note_id": "a", "cloned": True, "copied_spans": [[5]]}, "field copied_spans[0]: expected"),
        ({"note_id": "zz", "cloned": True}, "field note_id: note id 'zz' is not in the notes file"),
    ],
)
def test_load_cloning_labels_errors(tmp_path: Path, record: dict[str, Any], expected: str) -> None:
    path = write_jsonl(tmp_path / "labels.jsonl", [record])
    with pytest.raises(GoldFileError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        load_cloning_labels(path, texts_len={"a": 30})


def test_load_billing_truth(tmp_path: Path) -> None:
    row = {
        "claim_id": "C1",
        "line": 2,
        "note_id": "n1",
        "patient_id": "p1",
        "code": "DC302",
        "billed_code": "G3002",
    }
    orphan = {"claim_id": "C9", "line": None, "note_id": None, "patient_id": "p2", "code": "DC301"}
    path = write_jsonl(tmp_path / "truth.jsonl", [row, orphan])
    assert load_billing_truth(path) == [
        Problem("C1", 2, "DC302", "n1", "p1", "G3002"),
        Problem("C9", None, "DC301", None, "p2", None),
    ]
    bad = write_jsonl(tmp_path / "bad.jsonl", [row, {**row, "line": 0}, {"claim_id": "C1"}])
    with pytest.raises(GoldFileError, match="line 2: field line"):
        load_billing_truth(bad)
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"claim_id": "C1"}])
    with pytest.raises(GoldFileError, match="line 1: field code: missing"):
        load_billing_truth(bad)
