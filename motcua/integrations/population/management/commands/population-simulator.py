"""``motcua population-simulator``: a local population database for the demo."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.population.simulator import PopulationSimulator
from motcua.integrations.population.synthetic import (
    DEFAULT_COMMUNES,
    DEFAULT_PROVINCE_NAME,
    DEFAULT_SEED,
    generate_residents,
    load_name_data,
)


def _commune(value: str) -> tuple[str, str]:
    code, _sep, name = value.partition(":")
    if not code.strip() or not name.strip():
        raise CommandError(f"--commune takes CODE:NAME, not {value!r}.")
    return code.strip(), name.strip()


def _communes_from_csv(path: Path, province_code: str) -> list[tuple[str, str]]:
    # Columns as in data/vn-admin-units/communes_two_level_*.csv.
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["ward_code"], row["full_name"])
            for row in csv.DictReader(handle)
            if row.get("province_code", province_code) == province_code
        ]


class Command(BaseCommand):
    help = (
        "Run a local population database on loopback with a few thousand "
        "synthetic residents of the demo province (same people for the same seed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8767)
        parser.add_argument("--count", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--api-key", default=None, help="key expected (default POPULATION_API_KEY)"
        )
        parser.add_argument(
            "--commune",
            action="append",
            default=[],
            metavar="CODE:NAME",
            help='a commune of the province, e.g. "99001:Xã An Hòa" (repeatable)',
        )
        parser.add_argument(
            "--communes-csv",
            type=Path,
            help="communes from a CSV with ward_code, full_name (and province_code)",
        )
        parser.add_argument("--province-name", default=DEFAULT_PROVINCE_NAME)
        parser.add_argument(
            "--names-dir",
            type=Path,
            default=None,
            help="name material (default data/vn-names)",
        )

    def handle(self, *args, **o):
        province_code = settings.MOTCUA_PROVINCE_CODE
        communes = [_commune(v) for v in o["commune"]]
        if o["communes_csv"]:
            communes += _communes_from_csv(o["communes_csv"], province_code)
        names_dir = o["names_dir"] or Path(settings.DATA_DIR) / "vn-names"
        if not names_dir.is_dir():
            raise CommandError(f"No name material in {names_dir}.")
        residents = generate_residents(
            load_name_data(names_dir),
            count=o["count"],
            seed=o["seed"],
            communes=communes or DEFAULT_COMMUNES,
            province_code=province_code,
            province_name=o["province_name"],
        )
        try:
            simulator = PopulationSimulator(
                residents,
                api_key=o["api_key"] or settings.POPULATION_API_KEY,
                host=o["host"],
                port=o["port"],
            )
            simulator.bind()
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from None
        sample = residents[1] if len(residents) > 1 else residents[0]
        self.stdout.write(
            f"Population database simulator on {simulator.url} with "
            f"{len(residents)} residents (seed {o['seed']}); set "
            f"POPULATION_API_URL={simulator.url}. Try {sample.id_number} "
            f"({sample.full_name}). Ctrl+C to stop."
        )
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
