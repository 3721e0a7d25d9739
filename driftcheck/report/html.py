"""HTML reporter: one self-contained page (jinja2 template, inline CSS, no external assets).

Compliance staff open it offline; nothing is fetched. Note text appears only with
``--show-text``, and then a banner says the file holds PHI.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TextIO

import jinja2

from driftcheck.model import RunResult
from driftcheck.report import PHI_BANNER, ReportOptions, excerpt


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    source = (resources.files("driftcheck.report") / "templates" / "report.html").read_text(encoding="utf-8")
    return env.from_string(source)


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Render the report page to ``out``."""
    by_note: dict[tuple[str, str], list[dict]] = {}
    for f in result.findings:
        row = f.to_dict(explain=options.explain)
        for span, ev in zip(f.evidence, row["evidence"], strict=True):
            ev["text"] = excerpt(options, f.note_id, span.start, span.end, width=400)
        by_note.setdefault((f.patient_id, f.note_id or "(no note)"), []).append(row)
    out.write(_template().render(
        summary=result.summary(),
        groups=sorted(by_note.items()),
        verdicts=[v.to_dict() for v in sorted(result.verdicts, key=lambda v: (v.patient_id, v.claim_id))],
        notes=[n.to_dict() for n in sorted(result.notes, key=lambda n: -n.risk)][:200],
        row_errors=[str(e) for e in result.row_errors],
        phi_banner=PHI_BANNER if options.show_text else None,
    ))
