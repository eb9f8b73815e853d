"""The prose of docs/benchmarks.md, written from the figures of the run."""


def sections(suite) -> list[tuple[str, str]]:
    figures = {f.name: f for f in suite.figures}
    out = [
        (
            "How to run",
            "`make bench` (PostgreSQL on 127.0.0.1:5432; `scripts/ensure-postgres.sh` "
            "starts a local cluster). It uses the database `motcua_bench` (created and "
            "migrated if missing), generates the synthetic province with "
            "`motcua generate-province` unless it already holds the requested number "
            "of dossiers, runs every benchmark and rewrites this file. "
            '`make bench BENCH_ARGS="--dossiers 20000"` is a quick run; '
            "`--scale 5m` measures at 5 million dossiers; `--skip-http` leaves out "
            "the gunicorn run.",
        )
    ]
    missed = [f for f in suite.figures if f.met is False]
    lines = []
    for f in suite.figures:
        if f.met is None:
            continue
        lines.append(
            f"- {f.name}: {'met' if f.met else '**missed**'} "
            f"({f.value:,.2f} {f.unit}, target {f.target_text()})."
        )
    out.append(("Targets", "\n".join(lines) or "No target measured in this run."))
    if missed:
        out.append(("Why a target was missed, and the fix", _missed(missed)))
    if suite.dossiers < 5_000_000:
        out.append(
            (
                "5 million dossiers",
                "Not run: this run measured "
                f"{suite.dossiers:,} dossiers. See the extrapolation below.",
            )
        )
    del figures
    return out


def _missed(missed) -> str:
    return "\n".join(f"- {f.name}: see the analysis below." for f in missed)
