"""
The benchmarks. Each measures the real code path (services, selectors, the
HTTP API under gunicorn) and, in the same run, a floor: the least the same
machine can do for the same answer.
"""

import http.client
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.report import Figure, latency_summary, render_markdown, render_table

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
HTTP_SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "20"))
WORKERS = 4


def say(text: str) -> None:
    print(text, flush=True)


def _machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    load = os.getloadavg()
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", memory),
        ("PostgreSQL", f"{pg} (shared_buffers {buffers}), same machine"),
        ("Python", platform.python_version()),
        ("load average at start", f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"),
    ]


def _timed(func, samples: list) -> float:
    started = time.perf_counter()
    func()
    elapsed = time.perf_counter() - started
    samples.append(elapsed)
    return elapsed


class Suite:
    def __init__(
        self, *, dossiers: int, skip_http: bool = False, only: str = ""
    ) -> None:
        self.dossiers = dossiers
        self.skip_http = skip_http
        self.only = only
        self.figures: list[Figure] = []
        self.data: list[tuple[str, str]] = []
        self.notes: list[tuple[str, str]] = []
        self.machine: list[tuple[str, str]] = []
        self.generation: str = ""

    # -- the run ---------------------------------------------------------------
    def run(self) -> None:
        say("== database")
        call_command("migrate", verbosity=0)
        self.machine = _machine()
        self.ensure_data()
        if self.only in ("", "deadline"):
            say("== deadline engine")
            self.deadline_engine()
        if self.only in ("", "queries"):
            say("== queries")
            self.queries()
        if self.only in ("", "reports"):
            say("== statistics and Decision 766 (separate process)")
            self.reports()
        if not self.skip_http and self.only in ("", "http"):
            say("== reception through the HTTP API (gunicorn)")
            self.reception()
        say("")
        say(render_table(self.figures))

    def ensure_data(self) -> None:
        from motcua.dossiers.models import Dossier

        record = ROOT / "var" / "bench-generation.json"
        have = Dossier.objects.count()
        if have >= self.dossiers:
            say(f"{have:,} dossiers already there: not regenerated")
            self.generation = f"{have:,} dossiers already in the database"
        else:
            missing = self.dossiers - have
            say(f"generating {missing:,} dossiers (have {have:,})")
            started = time.monotonic()
            call_command("generate_province", dossiers=missing, years=1)
            seconds = time.monotonic() - started
            self.generation = f"{missing:,} dossiers generated in this run"
            record.parent.mkdir(exist_ok=True)
            record.write_text(
                json.dumps(
                    {
                        "dossiers": missing,
                        "seconds": seconds,
                        "when": timezone.now().isoformat(timespec="minutes"),
                    }
                )
            )
        # The generation figure: this run's, or the last one's on this machine.
        if record.exists():
            last = json.loads(record.read_text())
            self.figures.append(
                Figure(
                    "generation of the synthetic province",
                    last["seconds"],
                    "s",
                    target=600 * last["dossiers"] / 1_000_000,
                    detail=f"motcua generate-province --dossiers {last['dossiers']:,} "
                    f"(with events, steps, hand-overs, ratings), {last['when']}: "
                    f"{last['dossiers'] / last['seconds']:,.0f} dossiers/s; "
                    "target scaled from 1 million in 10 minutes",
                )
            )
        self._describe_data()

    def _describe_data(self) -> None:
        with connection.cursor() as cursor:
            rows = []
            for table in (
                "dossiers_dossier",
                "dossiers_dossierevent",
                "dossiers_dossierstep",
                "dossiers_handover",
                "dossiers_dossiercomponent",
                "feedback_rating",
            ):
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table]
                )
                rows.append((table, cursor.fetchone()[0]))
            cursor.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database()))"
            )
            size = cursor.fetchone()[0]
        self.data = [("generation", self.generation)]
        self.data += [(f"rows in {t} (estimate)", f"{n:,}") for t, n in rows]
        self.data.append(("database size", size))

    # -- deadline engine -------------------------------------------------------
    def deadline_engine(self, count: int = 200_000) -> None:
        from motcua.core.calendar import compute_due
        from motcua.units.calendars import get_calendar
        from motcua.units.models import WorkCalendar

        calendar = get_calendar(WorkCalendar.objects.filter(is_default=True).first())
        rng = random.Random(8)
        now = timezone.localtime()
        base = now - timedelta(days=300)
        jobs = [
            (
                base + timedelta(minutes=rng.randrange(0, 300 * 24 * 60)),
                rng.choice((1, 3, 5, 7, 10, 15, 20)),
            )
            for _ in range(count)
        ]

        def engine() -> None:
            for start, days in jobs:
                compute_due(calendar, start, days, "working_days")

        # The floor: a table of every working minute's instant, prepared
        # beforehand, and each start already turned into its table index.
        day = calendar.day_minutes
        first = calendar.offset(base)
        last = calendar.offset(now) + 21 * day
        table = [calendar.moment_at(o) for o in range(first, last + 1)]
        indexes = [(calendar.offset(s) - first, days * day) for s, days in jobs]

        def floor() -> None:
            for index, minutes in indexes:
                table[index + minutes]

        seconds = min(self._time(engine) for _ in range(3))
        floor_seconds = min(self._time(floor) for _ in range(3))
        self.figures.append(
            Figure(
                "deadline engine: due times",
                count / seconds,
                "/s",
                floor=count / floor_seconds,
                floor_name="precomputed working-minute table",
                target=200_000,
                higher_is_better=True,
                detail="compute_due(…, N working days), best of 3",
            )
        )
        say(f"  {count / seconds:,.0f}/s (floor {count / floor_seconds:,.0f}/s)")

    @staticmethod
    def _time(func) -> float:
        started = time.perf_counter()
        func()
        return time.perf_counter() - started

    # -- lookup, inbox, search -------------------------------------------------
    def queries(self, rounds: int = 150) -> None:
        from motcua.accounts.constants import Role
        from motcua.accounts.models import StaffMembership, User
        from motcua.dossiers.selectors import (
            dossier_search_by_name,
            dossier_timeline,
            inbox_for,
        )
        from motcua.public.views.lookup import _public_dossier

        rng = random.Random(9)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT code, applicant_search FROM dossiers_dossier TABLESAMPLE SYSTEM (1) "
                "WHERE code IS NOT NULL LIMIT 2000"
            )
            sample = cursor.fetchall()
        rng.shuffle(sample)
        codes = [c for c, _ in sample][:rounds]
        # Searches as typed at a counter: surname and given name, no diacritics.
        names = [
            f"{n.split()[0]} {n.split()[-1]}" for _, n in sample if len(n.split()) > 1
        ][:rounds]
        floor_samples: list[float] = []
        for _ in range(rounds):

            def ping() -> None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    cursor.fetchone()

            _timed(ping, floor_samples)
        floor = latency_summary(floor_samples)

        lookup: list[float] = []
        for code in codes:

            def one(code=code) -> None:
                dossier = _public_dossier(code)
                list(dossier.steps.select_related("agency"))
                list(dossier_timeline(dossier, public=True))

            _timed(one, lookup)
        officers = list(
            User.objects.filter(
                pk__in=StaffMembership.objects.active()
                .filter(role__in=(Role.PROCESSING, Role.RECEPTION))
                .values("user_id")
            ).order_by("pk")
        )
        inbox: list[float] = []
        for i in range(rounds):
            user = officers[i % len(officers)]

            def one(user=user) -> None:
                list(inbox_for(user=user)[:50])

            _timed(one, inbox)
        supervisor = User.objects.get(username="giamsat.tinh")
        search: list[float] = []
        for name in names:

            def one(name=name) -> None:
                list(dossier_search_by_name(user=supervisor, text=name))

            _timed(one, search)
        targets = {"lookup": 20, "inbox": 50, "search": 100}
        for key, label, samples, detail in (
            (
                "lookup",
                "lookup by code",
                lookup,
                "public page: dossier, steps, timeline",
            ),
            (
                "inbox",
                "officer inbox, 50 most urgent",
                inbox,
                f"inbox_for(), {len(officers)} officers in turn",
            ),
            (
                "search",
                "name search without diacritics",
                search,
                "dossier_search_by_name(), province-wide supervisor",
            ),
        ):
            summary = latency_summary(samples)
            for p in ("p50", "p95", "p99"):
                self.figures.append(
                    Figure(
                        f"{label} {p}",
                        summary[p],
                        "ms",
                        floor=floor[p],
                        floor_name="SELECT 1 round trip",
                        target=targets[key] if p == "p95" else None,
                        detail=detail if p == "p50" else "",
                    )
                )
            say(
                f"  {label}: "
                + ", ".join(f"{p} {v:.1f} ms" for p, v in summary.items())
            )

    # -- reports in a process of their own (time and peak memory) --------------
    def reports(self) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "bench.reports"],
            cwd=ROOT,
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            say(result.stderr[-3000:])
            raise RuntimeError("The report benchmark failed.")
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        for key, label, detail in (
            (
                "statistics",
                "province-year statistics",
                "dossier_statistics(year, by agency)",
            ),
            ("index766", "Decision 766 index, all units", "index_766_by_agency(year)"),
        ):
            self.figures.append(
                Figure(
                    label,
                    figures[key],
                    "s",
                    floor=figures["floor"],
                    floor_name="one raw SQL aggregate over the same rows",
                    target=5,
                    detail=f"{detail}, {figures[key + '_rows']}"
                    + (
                        f"; building the calendars first, once per process: {figures['calendars']:.1f} s"
                        if key == "statistics"
                        else ""
                    ),
                )
            )
            say(f"  {label}: {figures[key]:.2f} s (floor {figures['floor']:.2f} s)")
        self.figures.append(
            Figure(
                "peak RSS of the report run",
                figures["max_rss_mb"],
                "MB",
                detail="both reports in one process",
            )
        )
        say(f"  peak RSS {figures['max_rss_mb']:.0f} MB")

    # -- reception over HTTP ---------------------------------------------------
    def reception(self) -> None:
        from motcua.accounts.models import User
        from motcua.catalog.models import Procedure

        token = self._token("tiepnhan.anhoa")
        procedure = Procedure.objects.get(code="1.004222")
        version = (
            procedure.versions.filter(status="published").order_by("-number").first()
        )
        components = [
            {"component": c.pk, "source": "paper", "paper_count": 1}
            for c in version.components.filter(required=True)
        ]
        User.objects.get(username="tiepnhan.anhoa")
        port = _free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "bench.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                # Loaded once in the master and forked: workers start at once
                # and share the imported code, as a production server runs.
                "--preload",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        try:
            _wait_for(port)
            rng = random.Random(10)
            surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng"]
            given = ["Văn An", "Thị Bình", "Minh Châu", "Quang Dũng", "Thị Hoa"]

            def body() -> bytes:
                return json.dumps(
                    {
                        "procedure": "1.004222",
                        "competent_agency": "004.02.00.H99",
                        "applicant": {
                            "name": f"{rng.choice(surnames)} {rng.choice(given)}",
                            "id_number": f"0010990{rng.randrange(10**5):05d}",
                            "address": "Số 12 đường Lê Lợi, xã An Hòa",
                            "phone": "0912345678",
                            "identity_verified": True,
                        },
                        "components": components,
                    }
                ).encode()

            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
            }
            # Warm-up, not measured: each worker's first requests build the
            # calendars and fill Django's caches.
            _load(port, "POST", "/api/v1/dossiers", body, headers, 201, seconds=10)
            say("  floor: GET /bench/ping")
            floor = _load(port, "GET", "/bench/ping", None, headers, 200)
            say(f"  floor {floor['rate']:.0f}/s, p95 {floor['p95']:.1f} ms")
            say("  POST /api/v1/dossiers (create + receive)")
            real = _load(port, "POST", "/api/v1/dossiers", body, headers, 201)
            say(
                f"  {real['rate']:.0f} dossiers/s, p95 {real['p95']:.1f} ms, errors {real['errors']}"
            )
            # Reads too, so that the worker's memory is that of a day's work.
            _load(port, "GET", "/api/v1/inbox", None, headers, 200, seconds=5)
            rss = _worker_peak_rss(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        self.figures += [
            Figure(
                "reception over HTTP",
                real["rate"],
                "dossiers/s",
                floor=floor["rate"],
                floor_name="minimal Django JSON view",
                target=150,
                higher_is_better=True,
                detail=f"POST /api/v1/dossiers, {CLIENTS} clients, gunicorn {WORKERS} sync workers, {real['count']} dossiers, {real['errors']} errors",
            ),
            Figure(
                "reception latency p50",
                real["p50"],
                "ms",
                floor=floor["p50"],
                floor_name="minimal Django JSON view",
            ),
            Figure(
                "reception latency p95",
                real["p95"],
                "ms",
                floor=floor["p95"],
                floor_name="minimal Django JSON view",
                target=100,
            ),
            Figure(
                "reception latency p99",
                real["p99"],
                "ms",
                floor=floor["p99"],
                floor_name="minimal Django JSON view",
            ),
            Figure(
                "peak RSS of a web worker",
                rss,
                "MB",
                target=250,
                detail="largest VmHWM of the gunicorn workers after the load",
            ),
        ]

    def _token(self, username: str) -> str:
        from io import StringIO

        out = StringIO()
        call_command(
            "create_api_token", username, name="bench", stdout=out, stderr=StringIO()
        )
        return out.getvalue().strip().splitlines()[-1]

    # -- report ----------------------------------------------------------------
    def markdown(self) -> str:
        from bench.notes import sections

        return render_markdown(
            title="Benchmarks",
            machine=self.machine,
            data=self.data,
            figures=self.figures,
            sections=sections(self),
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/ping")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer.")


def _load(port, method, path, body, headers, expected, seconds=HTTP_SECONDS) -> dict:
    """``CLIENTS`` threads on keep-alive connections for ``seconds``; latencies."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], 0
        while time.monotonic() < stop:
            payload = body() if callable(body) else body
            started = time.perf_counter()
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == expected
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            elapsed = time.perf_counter() - started
            if ok:
                mine.append(elapsed)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    if not latencies:
        raise RuntimeError(f"No successful {method} {path}.")
    return {
        "rate": len(latencies) / wall,
        "count": len(latencies),
        "errors": errors[0],
        **latency_summary(latencies),
    }


def _worker_peak_rss(master: int) -> float:
    peak = 0
    for pid in subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    ).stdout.split():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024
