"""DC3xx billing-line checks: does each billed line stand on the note?

The family is split by code family into ``billing_cpm`` (G3002/G3003), ``billing_esi`` (imaging
bundling, ESI, add-ons), ``billing_facet`` (facet/RFA) and ``billing_tpi_em`` (trigger points,
E/M with modifier 25). Requirement data (codes, thresholds, sources, effective dates) is in
``rules/packs/*.toml``; see :mod:`driftcheck.rules.packs`.

DC301 is different: an orphan line has no note, so there is no :class:`RuleContext` to run a
rule on. :func:`orphan_findings` reports them; the class exists so the code is registered,
documented and selectable like every other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from driftcheck.model import ClaimLine, Finding, Severity
from driftcheck.rules.base import Rule, RuleContext
from driftcheck.rules.billing_common import BillingRule
from driftcheck.rules.billing_cpm import RULES as _CPM
from driftcheck.rules.billing_esi import RULES as _ESI
from driftcheck.rules.billing_facet import RULES as _FACET
from driftcheck.rules.billing_tpi_em import RULES as _TPI_EM

#: Why an undocumented line fails review (no pack: this holds for every code).
_ORPHAN_SOURCE = ("Medicare documentation requirement: a billed service must be supported by the "
                  "medical record of that encounter (MAC documentation/cloning guidance) [S35; grade S, High]")


class OrphanClaimLine(BillingRule):
    """A claim line with no note for its patient and date of service.

    What it flags:
        A claim line whose ``note_id`` is unknown and whose patient + date of service match no
        note. Reported by :func:`orphan_findings` (the line has no note to check), with
        ``note_id`` empty and the patient taken from the line.

    Why payers care:
        A service billed without a note for that encounter has no documentation at all; on
        review it is denied and recouped.

    Example (flagged):
        Claim line 64483 for patient P1 on 2025-05-02; P1 has no note dated 2025-05-02.

    Example (passes):
        The same line with ``note_id`` naming P1's note, or P1 has a note on 2025-05-02.

    How to fix:
        Sign and load the visit note, or correct the line's note id / date of service.

    Source:
        Medicare documentation requirement; MAC documentation and cloning guidance [S35].

    Options:
        None.
    """

    code = "DC301"
    name = "orphan-claim-line"
    source = _ORPHAN_SOURCE

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # Orphans never reach a RuleContext; see orphan_findings().
        return iter(())


def orphan_findings(orphans: Iterable[ClaimLine], severity: Severity | None = None) -> list[Finding]:
    """DC301 findings for claim lines that matched no note (from ``claims.tie_claims``).

    Args:
        orphans: the unmatched lines.
        severity: configured severity of DC301 (default: the rule's).

    Returns:
        One finding per line, sorted; ``note_id`` is None and ``patient_id`` comes from the line.
    """
    rule = OrphanClaimLine(severity=severity)
    out = []
    for line in orphans:
        when = line.date.isoformat() if line.date else "unknown date"
        ref = f", note id {line.note_id} not found" if line.note_id else ""
        out.append(Finding(
            code=rule.code, name=rule.name, severity=rule.severity,
            message=f"claim line {line.line_id} ({line.code}, {when}) has no note{ref}",
            patient_id=line.patient_id or "", note_id=None, rule_source=rule.source,
            claim_id=line.claim_id, billed_code=line.code,
            fix="Load the signed note for this date of service or correct the line's note id/date.",
        ))
    return sorted(out)


RULES: list[type[Rule]] = [OrphanClaimLine, *_CPM, *_ESI, *_FACET, *_TPI_EM]
RULES.sort(key=lambda rule: rule.code)
