"""The ``driftcheck`` command line: thin wrappers that parse options and call the library.

Exit codes (a gate for pre-sign hooks and CI): 0 clean, 1 findings at or above ``--fail-on``,
2 usage or input error — including rows skipped as unreadable, after the report is written.
Heavy imports (spaCy, scikit-learn) happen inside commands so ``--help`` and cold checks start
fast.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from driftcheck import __version__
from driftcheck.config import Config, load_config
from driftcheck.errors import DriftcheckError
from driftcheck.model import ClaimLine, Note, RowError, RunResult, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
log = logging.getLogger("driftcheck")


class InputFailure(click.ClickException):
    """A user-actionable error (bad file, bad config): one line on stderr, exit code 2."""

    exit_code = EXIT_INPUT

    def format_message(self) -> str:
        return self.message


class DriftcheckGroup(click.Group):
    """Turns :class:`DriftcheckError` raised anywhere in a command into exit code 2.

    Also loads rarely used command groups lazily (``LAZY``), so ``check`` does not pay for
    importing the synthetic-corpus generator.
    """

    LAZY = {"corpus": ("driftcheck.corpus.cli", "corpus")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        if self.name == "cli":
            names |= set(self.LAZY)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if self.name == "cli" and cmd_name in self.LAZY and cmd_name not in self.commands:
            import importlib

            module, attr = self.LAZY[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DriftcheckError as exc:
            raise InputFailure(str(exc)) from None


def _config(ctx: click.Context) -> Config:
    return ctx.obj["config"]


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that reports findings."""
    options = [
        click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv"]), default="text",
                     show_default=True, help="Report format on stdout (or --output)."),
        click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the report to this file (created 0600) instead of stdout."),
        click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Also write an HTML report to this file (created 0600)."),
        click.option("--fail-on", type=click.Choice(["info", "warning", "error"]),
                     help="Lowest severity that makes the exit code 1 [default: error, or config]."),
        click.option("--select", multiple=True, help="Only these rule codes/prefixes/names (repeatable)."),
        click.option("--ignore", multiple=True, help="Skip these rule codes/prefixes/names (repeatable)."),
        click.option("--explain", is_flag=True, help="Include each finding's decision trail (ids, numbers)."),
        click.option("--show-text", is_flag=True,
                     help="Include evidence text in reports. The output then contains PHI and says so."),
        click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                     help="History store (SQLite). Default: the user data directory, or config 'db'."),
        click.option("--suppressions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Reviewed suppressions (TOML [[suppress]] with code, note_id/patient_id, reason)."),
        click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A previous --format json report: report only findings new since then."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(cls=DriftcheckGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="driftcheck")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Config file (driftcheck.toml or pyproject.toml). Default: nearest one found.")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (ids and offsets only).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """driftcheck: catch cloned, static and thin pain-management notes before billing.

    Example:

        driftcheck scan corpora/demo
    """
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2), format="driftcheck: %(message)s",
                        stream=sys.stderr)
    import warnings

    from driftcheck.ingest.common import IngestEncodingWarning

    warnings.simplefilter("ignore", IngestEncodingWarning)  # the logger already says it, once
    ctx.ensure_object(dict)
    try:
        ctx.obj["config"] = load_config(config_path)
    except DriftcheckError as exc:
        raise InputFailure(str(exc)) from None


def _effective(config: Config, fail_on: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
               db: Path | None) -> Config:
    changes: dict[str, Any] = {}
    if fail_on:
        changes["fail_on"] = Severity.parse(fail_on)
    if select:
        changes["select"] = tuple(select)
    if ignore:
        changes["ignore"] = tuple(config.ignore) + tuple(ignore)
    if db:
        changes["db"] = db
    return config.replace(**changes) if changes else config


def _emit(result: RunResult, fmt: str, output: Path | None, html_path: Path | None, explain: bool,
          show_text: bool, texts: dict[str, str]) -> None:
    from driftcheck.fileio import open_private
    from driftcheck.report import ReportOptions, get_reporter

    options = ReportOptions(explain=explain, show_text=show_text, texts=texts if show_text else {},
                            color=output is None and fmt == "text" and sys.stdout.isatty())
    if output is not None:
        with open_private(output) as fh:
            get_reporter(fmt)(result, fh, options)
    else:
        get_reporter(fmt)(result, sys.stdout, options)
    if html_path is not None:
        with open_private(html_path) as fh:
            get_reporter("html")(result, fh, options)
        click.echo(f"driftcheck: HTML report written to {html_path}", err=True)


def _exit_code(result: RunResult, fail_on: Severity) -> int:
    if result.row_errors:
        return EXIT_INPUT
    return EXIT_FINDINGS if any(f.severity >= fail_on for f in result.findings) else EXIT_CLEAN


def _open_store(path: Path | None) -> Any:
    from driftcheck.store import HistoryStore, default_db_path

    return HistoryStore(path or default_db_path())


def _ingest(store: Any, notes_path: Path, claims_path: Path | None,
            ) -> tuple[list[RowError], dict[str, int], set[str]]:
    """Read notes (and claims) into ``store``; bad rows are reported on stderr and returned.

    Returns the row errors, the counts, and the patient ids the input holds (a scan reports
    those patients only, even when the store holds others).
    """
    from driftcheck.ingest import detect_format, find_claims, read_claims, read_notes

    errors: list[RowError] = []
    counts = {"notes_added": 0, "notes_unchanged": 0, "note_versions": 0, "claims_added": 0, "drafts": 0}
    batch: list[Note] = []
    patients: set[str] = set()

    def flush() -> None:
        res = store.add_notes(batch)
        counts["notes_added"] += res.added
        counts["notes_unchanged"] += res.unchanged
        counts["note_versions"] += res.new_versions
        counts["drafts"] += res.skipped_draft
        for note_id in res.conflicts:
            err = RowError(notes_path.name, 0, "note_id",
                           f"note_id {note_id!r} is already stored for another patient; ids must be unique")
            errors.append(err)
            click.echo(f"driftcheck: skipped {err}", err=True)
        patients.update(n.patient_id for n in batch if n.status != "draft" and n.note_id not in res.conflicts)
        batch.clear()

    for item in read_notes(notes_path):
        if isinstance(item, RowError):
            errors.append(item)
            click.echo(f"driftcheck: skipped {item}", err=True)
            continue
        batch.append(item)
        if len(batch) >= 500:
            flush()
    flush()
    if claims_path is None and notes_path.is_dir():
        claims_path = find_claims(notes_path)
    elif claims_path is None and detect_format(notes_path).startswith("fhir"):
        claims_path = notes_path  # a FHIR bundle carries its Claim resources beside the notes
    if claims_path is not None:
        lines: list[ClaimLine] = []
        for item in read_claims(claims_path):
            if isinstance(item, RowError):
                errors.append(item)
                click.echo(f"driftcheck: skipped {item}", err=True)
            else:
                lines.append(item)
        res = store.add_claims(lines)
        counts["claims_added"] += res.added
        patients.update(line.patient_id for line in lines if line.patient_id)
    if counts["drafts"]:
        click.echo(f"driftcheck: {counts['drafts']} draft notes not stored (only signed notes are history; "
                   "check drafts with `driftcheck check`)", err=True)
    return errors, counts, patients


@cli.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--claims", "claims_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Claim lines (CSV/JSONL). Default for a folder: its claims.csv/claims.jsonl.")
@click.option("--patient", "patients", multiple=True, help="Only these patients (repeatable).")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
@output_options
@click.pass_context
def scan(ctx: click.Context, path: Path, claims_path: Path | None, patients: tuple[str, ...], no_progress: bool,
         fmt: str, output: Path | None, html_path: Path | None, fail_on: str | None, select: tuple[str, ...],
         ignore: tuple[str, ...], explain: bool, show_text: bool, db: Path | None, suppressions: Path | None,
         baseline: Path | None) -> None:
    """Scan an export: every patient, every note in date order, every claim line.

    PATH is a notes CSV/JSONL file, a FHIR bundle/ndjson, or a folder
    <root>/<patient_id>/<YYYY-MM-DD>[_<note_id>].txt with an optional claims.csv.
    Without --db the notes are analysed in a private temporary store that is removed afterwards.

    Example:

        driftcheck scan corpora/demo --html report.html
    """
    config = _effective(_config(ctx), fail_on, select, ignore, db)
    entries = _suppressions(config, suppressions)
    result, texts = _run_scan(config, path, claims_path, patients, no_progress, show_text, entries)
    from driftcheck.suppress import unused

    for entry in unused(entries):
        click.echo(f"driftcheck: warning: suppression entry {entry.entry} ({entry.code}) matched no finding",
                   err=True)
    result = _against_baseline(result, baseline)
    _emit(result, fmt, output, html_path, explain, show_text, texts)
    ctx.exit(_exit_code(result, config.fail_on))


def _suppressions(config: Config, path: Path | None) -> list[Any]:
    """Reviewed suppressions from --suppressions, else from config 'suppressions'."""
    from driftcheck.suppress import load_suppressions

    path = path or config.suppressions
    return load_suppressions(path) if path else []


def _against_baseline(result: RunResult, baseline: Path | None) -> RunResult:
    """Only the findings new since a previous JSON report (claim verdicts are unchanged)."""
    if baseline is None:
        return result
    import dataclasses

    from driftcheck.suppress import load_baseline, new_since

    return dataclasses.replace(result, findings=tuple(new_since(result.findings, load_baseline(baseline))),
                               new_since_baseline=True)


def _run_scan(config: Config, path: Path, claims_path: Path | None, patients: tuple[str, ...],
              no_progress: bool, show_text: bool, suppressions: list[Any] | None = None,
              ) -> tuple[RunResult, dict[str, str]]:
    """Ingest ``path`` into the configured (or a private temporary) store and scan it."""
    from driftcheck.analyze import Analyzer, scan_store
    from driftcheck.persist import NoteCache

    with tempfile.TemporaryDirectory(prefix="driftcheck-") as tmp:
        store = _open_store(config.db or Path(tmp) / "scan.sqlite")
        with store:
            # A persistent store keeps each note's analysis, so re-scanning it is fast; a
            # throw-away store would only pay for writing a cache nobody reads.
            analyzer = Analyzer(config, suppressions=suppressions or (),
                                note_cache=NoteCache(store) if config.db else None)
            errors, _, read = _ingest(store, path, claims_path)
            # Only the patients of this export, even when --db holds others.
            wanted = list(patients) or sorted(read)
            total = len(wanted)
            show = not no_progress and sys.stderr.isatty()
            with click.progressbar(length=total, label="driftcheck: scanning patients", file=sys.stderr,
                                   show_pos=True) if show else _NullBar() as bar:
                result = scan_store(store, analyzer, patients=wanted, row_errors=errors,
                                    progress=lambda done, _total: bar.update(1))
            texts = _texts(store, result) if show_text else {}
    return result, texts


@cli.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--claims", "claims_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Claim lines (CSV/JSONL). Default for a folder: its claims.csv/claims.jsonl.")
@click.option("-n", "--size", default=30, show_default=True, type=click.IntRange(min=1),
              help="Number of notes to sample.")
@click.option("--seed", default=1, show_default=True, help="Seed: the same export and seed give the same sample.")
@click.option("--strategy", type=click.Choice(["stratified", "risk", "random"]), default="stratified",
              show_default=True, help="stratified: equal shares of high/medium/low risk; risk: highest first.")
@click.option("--worksheet", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the reviewer worksheet CSV here (created 0600) instead of stdout.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the full HTML report of the scan (created 0600).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="History store (SQLite).")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
@click.pass_context
def sample(ctx: click.Context, path: Path, claims_path: Path | None, size: int, seed: int, strategy: str,
           worksheet: Path | None, html_path: Path | None, db: Path | None, no_progress: bool) -> None:
    """Draw a reproducible audit sample of notes, ranked by risk, as a reviewer worksheet.

    The worksheet lists ids, dates, risk tier, finding codes and claim verdicts (no note text)
    with empty columns for the reviewer. Same export + seed + strategy = same sample.

    Example:

        driftcheck sample corpora/demo -n 10 --seed 2026 --worksheet audit.csv
    """
    from driftcheck.fileio import open_private
    from driftcheck.sample import draw_sample, write_worksheet

    config = _effective(_config(ctx), None, (), (), db)
    result, _ = _run_scan(config, path, claims_path, (), no_progress, False)
    rows = draw_sample(result.notes, result.findings, result.verdicts, size, seed, strategy)
    if worksheet is not None:
        with open_private(worksheet) as fh:
            write_worksheet(rows, fh, strategy, seed)
        click.echo(f"driftcheck: {len(rows)} of {len(result.notes)} notes sampled ({strategy}, seed {seed}) "
                   f"-> {worksheet}", err=True)
    else:
        write_worksheet(rows, sys.stdout, strategy, seed)
    if html_path is not None:
        _write_html(result, html_path)
    ctx.exit(EXIT_INPUT if result.row_errors else EXIT_CLEAN)


def _write_html(result: RunResult, path: Path) -> None:
    from driftcheck.fileio import open_private
    from driftcheck.report import ReportOptions, get_reporter

    with open_private(path) as fh:
        get_reporter("html")(result, fh, ReportOptions())
    click.echo(f"driftcheck: HTML report written to {path}", err=True)


class _NullBar:
    def __enter__(self) -> _NullBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        """Progress is not shown (not a terminal, or --no-progress)."""


def _texts(store: Any, result: RunResult) -> dict[str, str]:
    wanted = {f.note_id for f in result.findings if f.note_id}
    out = {}
    for note_id in wanted:
        note = store.note(note_id)
        if note is not None:
            out[note_id] = note.text
    return out


_BILL_RE = re.compile(r"^(?P<code>[A-Za-z0-9]{5})(?::(?P<mods>[A-Za-z0-9]{2}(?:[;,][A-Za-z0-9]{2})*))?"
                      r"(?:[xX](?P<units>\d+))?$")


def _parse_bill(values: tuple[str, ...], patient_id: str, date: dt.date, note_id: str) -> list[ClaimLine]:
    """Planned claim lines from ``--bill CODE[:MOD;MOD][xUNITS]`` (validated like ingested claims)."""
    from driftcheck.ingest.common import RowProblem, parse_code, parse_modifiers

    lines = []
    for i, raw in enumerate(values, 1):
        m = _BILL_RE.match(raw.strip())
        if not m or (m.group("units") is not None and int(m.group("units")) < 1):
            raise click.BadParameter(f"{raw!r}: expected CODE[:MOD;MOD][xUNITS], e.g. 99214:25, 64493:50 or "
                                     "20553x1", param_hint="--bill")
        try:
            code, mods = parse_code(m.group("code")), parse_modifiers((m.group("mods") or "").upper())
        except RowProblem as exc:
            raise click.BadParameter(f"{raw!r}: {exc}", param_hint="--bill") from None
        lines.append(ClaimLine(claim_id=f"planned-{note_id}", line=i, code=code, note_id=note_id,
                               patient_id=patient_id, date=date, modifiers=mods,
                               units=int(m.group("units") or 1)))
    return lines


@cli.command(context_settings=CONTEXT)
@click.argument("note_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--patient", "patient_id", required=True, help="Patient id the draft belongs to.")
@click.option("--date", "date_", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date of service [default: today].")
@click.option("--note-id", default="draft", show_default=True, help="Id of the draft note.")
@click.option("--payer", help="Payer of the visit (selects [payers.<name>] overrides).")
@click.option("--bill", multiple=True, metavar="CODE[:MODS][xUNITS]",
              help="A planned claim line for this visit, e.g. --bill 62323 --bill 99214:25 (repeatable).")
@output_options
@click.pass_context
def check(ctx: click.Context, note_file: Path, patient_id: str, date_: dt.datetime | None, note_id: str,
          payer: str | None, bill: tuple[str, ...], fmt: str, output: Path | None, html_path: Path | None,
          fail_on: str | None, select: tuple[str, ...], ignore: tuple[str, ...], explain: bool,
          show_text: bool, db: Path | None, suppressions: Path | None, baseline: Path | None) -> None:
    """Check one draft note against the patient's stored history before signing.

    The history comes from the store filled by `driftcheck ingest`. Exit code 0 means clean,
    1 findings at or above --fail-on, 2 a usage or input error.

    Example:

        driftcheck check draft.txt --patient p01 --date 2026-03-02 --bill 62323 --bill 99214:25
    """
    import time

    from driftcheck.analyze import Analyzer
    from driftcheck.ingest.common import decode_bytes

    started = time.perf_counter()
    config = _effective(_config(ctx), fail_on, select, ignore, db)
    raw = sys.stdin.buffer.read() if str(note_file) == "-" else note_file.read_bytes()
    text = decode_bytes(raw, str(note_file))
    if not text.strip():
        raise click.UsageError(f"{note_file}: the note is empty")
    date = (date_ or dt.datetime.now()).date()
    draft = Note(patient_id=patient_id, note_id=note_id, date=date, text=text, payer=payer, status="draft")
    from driftcheck.persist import NoteCache
    from driftcheck.store import default_db_path

    db_path = config.db or default_db_path()
    if not Path(db_path).exists():
        raise InputFailure(f"history store {db_path} does not exist; fill it with `driftcheck ingest` "
                           "or pass --db (a pre-sign check needs the patient's history)")
    with _open_store(db_path) as store:
        analyzer = Analyzer(config, note_cache=NoteCache(store), suppressions=_suppressions(config, suppressions))
        history = store.notes_for(patient_id)
        if not history:
            click.echo(f"driftcheck: warning: no stored notes for patient {patient_id!r} in {db_path}; "
                       "the draft is checked without history (carried-forward text cannot be detected)",
                       err=True)
        claims = [c for c in store.claims_for(patient_id) if c.note_id != note_id]
        res = analyzer.check_note(draft, history, claims, _parse_bill(bill, patient_id, date, note_id))
    result = RunResult(command="check", findings=tuple(sorted(res.findings)), verdicts=tuple(res.verdicts),
                       notes=tuple(res.notes), patients=1, notes_checked=1, claim_lines=len(bill),
                       elapsed_s=time.perf_counter() - started, suppressed=res.suppressed)
    result = _against_baseline(result, baseline)
    _emit(result, fmt, output, html_path, explain, show_text, {note_id: text})
    ctx.exit(_exit_code(result, config.fail_on))


@cli.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--claims", "claims_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Claim lines (CSV/JSONL). Default for a folder: its claims.csv/claims.jsonl.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="History store (SQLite).")
@click.option("--precompute/--no-precompute", default=True, show_default=True,
              help="Analyse the stored notes now so later `check` runs start warm.")
@click.pass_context
def ingest(ctx: click.Context, path: Path, claims_path: Path | None, db: Path | None, precompute: bool) -> None:
    """Add signed notes (and claims) to the history store. Idempotent.

    The same note twice changes nothing; new text under an existing note_id is kept as a new
    version. Drafts are not stored.

    Example:

        driftcheck ingest corpora/demo --db history.sqlite
    """
    config = _effective(_config(ctx), None, (), (), db)
    from driftcheck.store import default_db_path

    target = config.db or default_db_path()
    with _open_store(target) as store:
        errors, counts, _ = _ingest(store, path, claims_path)
        if precompute:
            _precompute(store, config)
        totals = store.counts()
    click.echo(
        f"driftcheck: {counts['notes_added']} notes added, {counts['notes_unchanged']} unchanged, "
        f"{counts['note_versions']} new versions, {counts['claims_added']} claim lines added; "
        f"{len(errors)} rows skipped; store {target} holds {json.dumps(totals)}"
    )
    ctx.exit(EXIT_INPUT if errors else EXIT_CLEAN)


def _precompute(store: Any, config: Config) -> None:
    """Fill the store's per-note analysis cache (text stage + statements) for every note."""
    from driftcheck.analyze import Analyzer
    from driftcheck.persist import NoteCache

    analyzer = Analyzer(config, note_cache=NoteCache(store))
    patients = store.patients()
    show = sys.stderr.isatty()
    with click.progressbar(patients, label="driftcheck: analysing history", file=sys.stderr) if show \
            else _NullIter(patients) as items:
        for patient_id in items:
            for note in store.notes_for(patient_id):
                analyzer.analyse_text(note)


class _NullIter:
    def __init__(self, items: list[str]) -> None:
        self.items = items

    def __enter__(self) -> list[str]:
        return self.items

    def __exit__(self, *exc: object) -> None:
        return None


@cli.command(context_settings=CONTEXT)
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(code: str | None, fmt: str) -> None:
    """List every rule, or print one rule's documentation.

    Example:

        driftcheck rules DC101
    """
    from driftcheck.rules import registry

    selected = [registry.get(code)] if code else list(registry.all_rules().values())
    if fmt == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.default_severity.value, "summary": r.summary(),
                 "source": r.source, **({"doc": r.doc(), "options": _option_docs(r)} if code else {})}
                for r in selected]
        click.echo(json.dumps(rows, indent=2))
        return
    if code:
        rule = selected[0]
        click.echo(f"{rule.code} {rule.name} (default severity: {rule.default_severity.value})\n")
        click.echo(rule.doc())
        opts = _option_docs(rule)
        if opts:
            click.echo("\nConfigurable options (defaults):")
            for name, value in opts.items():
                click.echo(f"  {name} = {value!r}")
        click.echo(f"\nSource: {rule.source}")
        return
    for rule in selected:
        click.echo(f"{rule.code}  {rule.name:<34} {rule.default_severity.value:<8} {rule.summary()}")


def _option_docs(rule: Any) -> dict[str, Any]:
    import dataclasses

    defaults = rule.Options()
    return {f.name: getattr(defaults, f.name) for f in dataclasses.fields(defaults)}


@cli.group(cls=DriftcheckGroup, context_settings=CONTEXT, name="config")
def config_group() -> None:
    """Inspect the effective configuration."""


@config_group.command("show")
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """Print the effective configuration (file + defaults) as JSON."""
    from driftcheck.rules.packs import pack_defaults, resolve_params
    from driftcheck.rules.registry import configured_rules

    config = _config(ctx)
    configured_rules(config)  # validates rule tables against the rules' typed options
    for payer in (None, *config.payers):
        resolve_params(pack_defaults(), config.payers, payer)  # and payer parameter tables
    click.echo(json.dumps(config.to_dict(), indent=2))


@cli.group(cls=DriftcheckGroup, context_settings=CONTEXT, name="eval")
def eval_group() -> None:
    """Measure accuracy against gold files (formats: DESIGN.md "Gold files")."""


def _print_eval(result: dict[str, Any], kind: str, as_json: bool) -> None:
    from driftcheck.evaluation.tables import format_table

    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
    else:
        click.echo(format_table(result, kind))
        if result.get("cross_patient"):
            cp = result["cross_patient"]
            click.echo(f"cross-patient reuse (DC105, note pairs): P {cp['p']:.3f}  R {cp['r']:.3f}  "
                       f"(tp {cp['tp']}, fp {cp['fp']}, fn {cp['fn']})")
        if "baseline_naive" in result:
            base = result["baseline_naive"]["note"]
            click.echo(f"naive baseline ({result['baseline_naive']['rule']}): "
                       f"P {base['p']:.3f}  R {base['r']:.3f}  F1 {base['f1']:.3f}")


@eval_group.command("extraction")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--label", "labels", multiple=True, help="Only score these labels (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result.")
def eval_extraction_cmd(gold: Path, labels: tuple[str, ...], as_json: bool) -> None:
    """Score extraction against a gold JSONL: per label P/R/F1 strict, lenient, sentence.

    Example:

        driftcheck eval extraction corpora/gold/test.jsonl
    """
    from driftcheck.evaluation.runner import eval_extraction

    _print_eval(eval_extraction(gold, labels or None), "extraction", as_json)


@eval_group.command("cloning")
@click.argument("notes", type=click.Path(exists=True, path_type=Path))
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result.")
@click.pass_context
def eval_cloning_cmd(ctx: click.Context, notes: Path, labels: Path, as_json: bool) -> None:
    """Score note-level cloning (DC101) and copied-span characters against labels.

    Example:

        driftcheck eval cloning corpora/synth/default/notes.jsonl corpora/synth/default/labels.jsonl
    """
    from driftcheck.evaluation.runner import eval_cloning

    _print_eval(eval_cloning(notes, labels, _config(ctx)), "cloning", as_json)


@eval_group.command("billing")
@click.argument("notes", type=click.Path(exists=True, path_type=Path))
@click.argument("claims", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("truth", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result.")
@click.pass_context
def eval_billing_cmd(ctx: click.Context, notes: Path, claims: Path, truth: Path, as_json: bool) -> None:
    """Score DC3xx findings against seeded billing problems.

    Example:

        driftcheck eval billing corpora/synth/default/notes.jsonl corpora/synth/default/claims.jsonl \\
            corpora/synth/default/billing.jsonl
    """
    from driftcheck.evaluation.runner import eval_billing

    _print_eval(eval_billing(notes, claims, truth, _config(ctx)), "billing", as_json)


@cli.group(cls=DriftcheckGroup, context_settings=CONTEXT, name="model")
def model_group() -> None:
    """Build the model artefacts shipped in models/."""


@model_group.command("build-boilerplate")
@click.argument("notes", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--min-patients", default=5, show_default=True,
              help="A sentence is template when it appears in notes of at least this many patients.")
@click.option("--min-share", default=0.1, show_default=True, help="... and of at least this share of patients.")
def build_boilerplate_cmd(notes: Path, out: Path, min_patients: int, min_share: float) -> None:
    """Learn the clinic-template model from a notes export (stores hashes only, no text).

    Example:

        driftcheck model build-boilerplate corpora/synth/default/notes.jsonl models/boilerplate/boilerplate.json
    """
    from driftcheck.similarity import build_boilerplate

    model = build_boilerplate(notes, out, min_patients=min_patients, min_share=min_share)
    click.echo(f"driftcheck: {len(model)} template sentence keys written to {out}")


def main() -> None:
    """Console-script entry point.

    Errors users can act on are already one line with exit code 2. Anything unexpected is
    reported as one line too (its type only: exception text may quote note text) with exit
    code 2, never as exit 1, which means "findings"; ``DRIFTCHECK_DEBUG=1`` shows the traceback.
    """
    import os

    try:
        cli(prog_name="driftcheck")
    except Exception as exc:  # noqa: BLE001 - the last line of defence of a CLI gate
        if os.environ.get("DRIFTCHECK_DEBUG"):
            raise
        click.echo(f"driftcheck: internal error ({type(exc).__name__}); nothing was reported. "
                   "Set DRIFTCHECK_DEBUG=1 to see the traceback.", err=True)
        sys.exit(EXIT_INPUT)
