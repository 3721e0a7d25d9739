"""Score DC3xx billing findings against seeded billing problems (synthetic corpus truth).

Matching rule (one-to-one, per finding code):

* a finding and a seeded problem can match only when their ``code`` is equal and their
  ``claim_id`` is equal;
* when both carry a claim line number, the lines must be equal too; when either lacks one
  (a claim-level problem or finding), claim id and code suffice;
* ``DC301`` (orphan claim line: no note for it) is matched by claim id alone: an orphan has no
  note id to match on and is a property of the claim's visit, so truth rows and findings are
  first collapsed to one per claim id (whether a rule reports it once per claim or once per
  line does not change the score) and lines are ignored;
* candidates are paired greedily: exact line matches first, then line-agnostic ones, in input
  order; each problem and each finding is used at most once. So a rule that reports the same
  problem twice gets 1 tp and 1 fp — duplicates are noise a reviewer must read.

A finding's line comes from a ``line`` key/attribute, from ``explanation["line"]``, or from a
claim id written as ``ClaimLine.line_id`` (``"C123#2"``). Findings without a claim id cannot
match and count as false positives. Only codes starting with ``codes_prefix`` are scored, on
both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from driftcheck.evaluation.records import Problem, prf

#: Codes matched by claim id only (see module docstring).
CLAIM_LEVEL_CODES: frozenset[str] = frozenset({"DC301"})


@dataclass(frozen=True, slots=True)
class _Key:
    code: str
    claim_id: str | None
    line: int | None


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _as_line(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def finding_key(finding: Any) -> _Key:
    """Code, claim id and line of a finding given as a dict or :class:`~driftcheck.model.Finding`."""
    code = str(_get(finding, "code") or "")
    claim_id = _get(finding, "claim_id")
    line = _as_line(_get(finding, "line"))
    if line is None:
        explanation = _get(finding, "explanation")
        if isinstance(explanation, Mapping):
            line = _as_line(explanation.get("line"))
    if isinstance(claim_id, str) and "#" in claim_id:
        base, _, suffix = claim_id.rpartition("#")
        if suffix.isdigit():
            claim_id = base
            line = line if line is not None else int(suffix)
    return _Key(code, str(claim_id) if claim_id is not None else None, line)


def _compatible(problem: Problem, key: _Key, exact_line: bool) -> bool:
    if problem.code != key.code or key.claim_id is None or problem.claim_id != key.claim_id:
        return False
    if problem.line is not None and key.line is not None:
        return problem.line == key.line
    return not exact_line


def score_billing(
    truth: Iterable[Problem], findings: Iterable[Any], codes_prefix: str = "DC3"
) -> dict[str, Any]:
    """Score billing findings against seeded problems (matching rule: module docstring).

    Args:
        truth: seeded problems (from :func:`~driftcheck.evaluation.loaders.load_billing_truth`).
        findings: the pipeline's findings, as ``Finding`` objects or their ``to_dict()`` form.
        codes_prefix: only codes starting with it are scored (default: the DC3xx family).

    Returns:
        ``{"overall": {p, r, f1, tp, fp, fn}, "by_code": {code: {p, r, f1, tp, fp, fn}}}``;
        ``by_code`` lists every code seen in truth or findings, sorted.
    """
    problems: list[Problem] = []
    seen_claims: set[tuple[str, str | None]] = set()
    for p in truth:
        if not p.code.startswith(codes_prefix):
            continue
        if p.code in CLAIM_LEVEL_CODES:
            if (p.code, p.claim_id) in seen_claims:
                continue
            seen_claims.add((p.code, p.claim_id))
            p = Problem(p.claim_id, None, p.code, p.note_id, p.patient_id, p.billed_code)
        problems.append(p)
    keys: list[_Key] = []
    seen_claims.clear()
    for k in (finding_key(f) for f in findings):
        if not k.code.startswith(codes_prefix):
            continue
        if k.code in CLAIM_LEVEL_CODES and k.claim_id is not None:
            if (k.code, k.claim_id) in seen_claims:
                continue
            seen_claims.add((k.code, k.claim_id))
            k = _Key(k.code, k.claim_id, None)
        keys.append(k)
    used_p: set[int] = set()
    used_f: set[int] = set()
    for exact_line in (True, False):
        for fi, key in enumerate(keys):
            if fi in used_f:
                continue
            for pi, problem in enumerate(problems):
                if pi not in used_p and _compatible(problem, key, exact_line):
                    used_p.add(pi)
                    used_f.add(fi)
                    break
    codes = sorted({p.code for p in problems} | {k.code for k in keys})
    by_code: dict[str, Any] = {}
    for code in codes:
        tp = sum(1 for pi in used_p if problems[pi].code == code)
        n_f = sum(1 for k in keys if k.code == code)
        n_p = sum(1 for p in problems if p.code == code)
        by_code[code] = prf(tp, n_f - tp, n_p - tp)
    tp = len(used_p)
    return {"overall": prf(tp, len(keys) - tp, len(problems) - tp), "by_code": by_code}
