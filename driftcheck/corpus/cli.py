"""``driftcheck corpus`` commands: generate the synthetic corpus.

Thin on purpose: argument parsing and progress only; the work is
:func:`driftcheck.corpus.synth.write_corpus`. The integrator registers :data:`corpus` in
``driftcheck/cli.py``.
"""

from __future__ import annotations

import time

import click

from driftcheck.corpus.synth import write_corpus


@click.group(name="corpus")
def corpus() -> None:
    """Synthetic corpora for testing and evaluation."""


@corpus.command(name="synth")
@click.option("--patients", "n_patients", type=click.IntRange(min=1), default=40, show_default=True,
              help="Number of patients to generate.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same bytes).")
@click.option("--visits-min", type=click.IntRange(min=2), default=6, show_default=True, help="Fewest visits per patient.")
@click.option("--visits-max", type=click.IntRange(min=2), default=24, show_default=True, help="Most visits per patient.")
@click.argument("out", type=click.Path(file_okay=False, writable=True))
def synth(n_patients: int, seed: int, visits_min: int, visits_max: int, out: str) -> None:
    """Write notes/claims/labels/statements/billing JSONL files to OUT.

    Example: driftcheck corpus synth --patients 40 --seed 7 corpora/synth/default
    """
    if visits_max < visits_min:
        raise click.UsageError("--visits-max must be >= --visits-min")
    started = time.perf_counter()
    step = max(1, n_patients // 20)

    def progress(done: int, notes: int) -> None:
        if done % step == 0 or done == n_patients:
            click.echo(f"\r{done}/{n_patients} patients, {notes} notes", err=True, nl=False)

    stats = write_corpus(out, n_patients, seed, visits_min, visits_max, progress=progress)
    elapsed = time.perf_counter() - started
    rate = stats["notes"] / elapsed if elapsed > 0 else float("inf")
    click.echo("", err=True)
    click.echo(f"wrote {stats['notes']} notes, {stats['claim_lines']} claim lines to {out} "
               f"in {elapsed:.2f}s ({rate:,.0f} notes/s)", err=True)
    click.echo("kinds: " + ", ".join(f"{k}={v}" for k, v in stats["kinds"].items()), err=True)
    click.echo("seeded: " + ", ".join(f"{k}={v}" for k, v in stats["problems"].items()), err=True)
