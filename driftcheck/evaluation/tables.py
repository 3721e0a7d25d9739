"""Plain-text tables of evaluation results for the terminal.

Plain text (no rich markup) so the same output can be pasted into tickets and diffed in CI.
Ratios print with three decimals; ``None`` (nothing to measure) prints as ``-``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _num(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _grid(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
    groups: Sequence[tuple[str, int]] = (),
) -> str:
    """Left-align the first column, right-align the rest; a rule under the header.

    ``groups`` optionally names runs of columns after the first, as ``(name, width in
    columns)``, printed above the header (e.g. "strict" over its P, R, F1).
    """
    cells = [list(header)] + [[_num(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    group_line = ""
    if groups:
        pieces, col = [" " * widths[0]], 1
        for name, span in groups:
            width = sum(widths[col : col + span]) + 2 * (span - 1)
            pieces.append(name.center(width) if name else " " * width)
            col += span
        group_line = "  ".join(pieces).rstrip()

    def fmt(row: Sequence[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    lines = [title] if title else []
    if group_line:
        lines.append(group_line)
    lines += [fmt(cells[0]), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells[1:]]
    return "\n".join(lines)


def _prf_row(name: str, *views: dict[str, Any]) -> list[Any]:
    row: list[Any] = [name]
    for v in views:
        row += [v["p"], v["r"], v["f1"]]
    return row


def _extraction(result: dict[str, Any]) -> str:
    views = ("strict", "lenient", "sentence")
    header = ["label"] + [m for _ in views for m in ("P", "R", "F1")]
    header += ["gold", "pred", "tp", "fp", "fn"]
    groups = [(v, 3) for v in views] + [("", 2), ("lenient", 3)]
    rows = []
    for label, res in result["labels"].items():
        le = res["lenient"]
        rows.append(
            [
                *_prf_row(label, *(res[v] for v in views)),
                res["gold"],
                res["predicted"],
                le["tp"],
                le["fp"],
                le["fn"],
            ]
        )
    micro = result["micro"]
    mv = [micro.get(v) for v in views]
    if all(v is not None for v in mv):
        le = micro["lenient"]
        rows.append(
            [*_prf_row("micro", *mv), le["tp"] + le["fn"], le["tp"] + le["fp"], le["tp"], le["fp"], le["fn"]]
        )
    parts = [_grid(header, rows, title=f"Extraction ({result.get('docs', '?')} notes)", groups=groups)]

    attrs = result.get("attrs") or {}
    if attrs:
        arows = [
            [f"{label}.{name}", a["n"], a["correct"], a["accuracy"]]
            for label, by_name in attrs.items()
            for name, a in by_name.items()
        ]
        parts.append(_grid(["attribute (lenient pairs)", "n", "correct", "accuracy"], arows))
    neg = result.get("negation")
    if neg:
        nrows = [
            [label, v["total"], v["not_extracted"], v["rate"]] for label, v in neg.get("by_label", {}).items()
        ]
        nrows.append(["all", neg["total"], neg["not_extracted"], neg["rate"]])
        parts.append(_grid(["negated mentions", "total", "not extracted", "rate"], nrows))
    return "\n\n".join(parts)


def _counts_row(name: str, v: dict[str, Any]) -> list[Any]:
    return [name, v["p"], v["r"], v["f1"], v["tp"], v["fp"], v["fn"]]


_PRF_HEADER = ["", "P", "R", "F1", "tp", "fp", "fn"]


def _cloning(result: dict[str, Any]) -> str:
    rows = [_counts_row("notes", result["note"])]
    if result.get("chars") is not None:
        rows.append(_counts_row(f"characters ({result['chars'].get('notes', '?')} notes)", result["chars"]))
    parts = [_grid(_PRF_HEADER, rows, title="Cloning")]
    if result.get("by_kind"):
        krows = [
            [kind, v["n"], v.get("cloned", "-"), v["flagged"], v["rate"]]
            for kind, v in result["by_kind"].items()
        ]
        parts.append(_grid(["kind", "n", "cloned", "flagged", "flag rate"], krows))
    return "\n\n".join(parts)


def _billing(result: dict[str, Any]) -> str:
    rows = [_counts_row(code, v) for code, v in result["by_code"].items()]
    rows.append(_counts_row("overall", result["overall"]))
    return _grid(["code", *_PRF_HEADER[1:]], rows, title="Billing findings vs seeded problems")


def format_table(result: dict[str, Any], kind: str) -> str:
    """Render a scorer's result as a plain-text table.

    Args:
        result: the dict returned by ``score_extraction``, ``score_cloning`` or ``score_billing``.
        kind: ``"extraction"``, ``"cloning"`` or ``"billing"``.

    Raises:
        ValueError: unknown ``kind``.
    """
    renderers = {"extraction": _extraction, "cloning": _cloning, "billing": _billing}
    if kind not in renderers:
        raise ValueError(f"unknown result kind {kind!r}; expected one of: {', '.join(renderers)}")
    return renderers[kind](result)
