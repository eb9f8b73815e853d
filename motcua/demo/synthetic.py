"""
A synthetic province: millions of dossiers with their history, written in bulk.

The demo's activity replay (``motcua.demo.activity``) drives every dossier
through the services, which is right for a few hundred dossiers and far too
slow for the volumes a merged province keeps (0.5–5 million a year). This
module writes the same rows the services would leave — dossier, components,
fees, steps, hand-overs, events, supplement requests, ratings — straight into
the tables: ``COPY`` on PostgreSQL, ``bulk_create`` on SQLite.

What must match the services does so because it is computed by the same code:
due times by ``motcua.dossiers.deadlines`` on the agency's working calendar,
the folded search name by ``motcua.core.text.fold``, codes as
``_allocate_code`` builds them (receiving centre's electronic id valid that
day + YYMMDD + daily sequence), tracking-book numbers per centre and year, and
the ``SequenceCounter`` rows advanced past every number issued, so a real
reception afterwards never collides. Timeliness is classified by
``deadlines.timeliness`` from the generated times, so the late share comes
out of the timeline, it is not set by hand.

Not generated (nothing that the inbox, lookup, statistics or the Decision 766
index reads depends on them): audit rows (the hash chain is sealed row by row
by ``audit_seal``; millions of synthetic seals would only measure hashing),
portal sync and notification outboxes, payment intents, signed e-results,
extensions and consultations.
"""

import json
import queue
import random
import threading
import time as _time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from django.db import connection, transaction
from django.db.models import Max

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership
from motcua.catalog.constants import CopyType, DataSource, StepKind, UnitRole
from motcua.catalog.selectors import fees_for
from motcua.core.calendar import LOCAL_TZ
from motcua.core.models import SequenceCounter
from motcua.core.text import fold
from motcua.dossiers import deadlines
from motcua.dossiers.constants import (
    DossierAction as A,
)
from motcua.dossiers.constants import (
    DossierStatus as S,
)
from motcua.dossiers.constants import (
    FeeStatus,
    HandOverKind,
    Phase,
    ResultKind,
    StepStatus,
)
from motcua.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFee,
    DossierStep,
    HandOver,
    SupplementRequest,
)
from motcua.dossiers.services.steps import _DEFAULT_TEMPLATE, resolve_participant_agency
from motcua.feedback.constants import DISSATISFIED_MEAN, SATISFIED_MEAN, Criterion
from motcua.feedback.models import Rating, RatingAgency, RatingAnswer
from motcua.units.models import Agency

from .activity import STREETS, _name_pool

# Shares, from the demo replay and the provincial figures (DESIGN.md §7).
ONLINE_SHARE = 0.70
POST_SHARE = 0.05
REFUSED_AT_RECEPTION = 0.02
RECEPTION_SUPPLEMENT = 0.06  # online dossiers sent back once before reception
PROCESSING_SUPPLEMENT = 0.04
SECOND_SUPPLEMENT = 0.004  # a breach: counted late (Decision 766)
NEVER_SUPPLIED = 0.10  # of the processing supplements: closed after 15 days
LATE_PACE = 0.05  # dossiers whose officers take longer than allotted
RATED = 0.15  # returned dossiers rated by the applicant
# Working minutes between an online submission and its reception; the last
# ones exceed the 8 working hours of Decree 118 Art.17(2).
ACCEPTANCE_DELAYS = (30, 60, 120, 240, 400, 600)
ACCEPTANCE_WEIGHTS = (20, 30, 25, 15, 7, 3)
CHUNK = 20_000
# The start of a step never started: later than any generated ``now``.
NEVER = datetime(9999, 1, 1, tzinfo=LOCAL_TZ)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    # Escaping is rare: checking first is many times cheaper than translate().
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _json_text(value) -> str:
    return _text(json.dumps(value, ensure_ascii=False))


def _line_encoder(model, columns: tuple[str, ...]) -> Callable[[tuple], str]:
    """
    Compile one function that renders a row as a line of COPY's text format.

    psycopg's write_row() looks up a dumper for every value; at hundreds of
    millions of values that lookup, not PostgreSQL, would bound the load.
    str() of an aware datetime carries its UTC offset, which COPY reads.
    """
    fields = {f.attname: f for f in model._meta.concrete_fields}
    parts = []
    for i, name in enumerate(columns):
        f = fields[name]
        kind = f.get_internal_type()
        if kind == "JSONField":
            expr = f"_json_text(r[{i}])"
        elif kind == "BooleanField":
            expr = f"('t' if r[{i}] else 'f')"
        elif kind in ("CharField", "TextField", "EmailField"):
            expr = f"_text(r[{i}])"
        else:
            expr = f"str(r[{i}])"
        if f.null:
            expr = f"('\\\\N' if r[{i}] is None else {expr})"
        parts.append(expr)
    source = "lambda r: '\\t'.join((" + ", ".join(parts) + ",))"
    return eval(source, {"_text": _text, "_json_text": _json_text})  # noqa: S307 - built above from field types


@dataclass
class Table:
    model: type
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


class _CopyWriter(threading.Thread):
    """
    COPY chunks on a connection of its own, while the caller generates the
    next chunk: PostgreSQL inserts and indexes on the other core meanwhile.
    Each chunk is one transaction.
    """

    def __init__(self, params: dict, quiet_triggers: bool) -> None:
        super().__init__(daemon=True)
        self.params, self.quiet_triggers = params, quiet_triggers
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(**self.params) as conn:
                while (chunk := self.queue.get()) is not None:
                    with conn.transaction(), conn.cursor() as cursor:
                        # A lost chunk on a crash is regenerated, not recovered.
                        cursor.execute("SET LOCAL synchronous_commit = off")
                        if self.quiet_triggers:
                            # The foreign keys hold by construction (ids are
                            # allocated here, agencies and users read from the
                            # database); checking each row at commit would
                            # double the load time.
                            cursor.execute(
                                "SET LOCAL session_replication_role = replica"
                            )
                        for sql, encode, rows in chunk:
                            with cursor.copy(sql) as copy:
                                for start in range(0, len(rows), 5000):
                                    lines = [
                                        encode(r) for r in rows[start : start + 5000]
                                    ]
                                    copy.write("\n".join(lines) + "\n")
        except BaseException as error:  # handed to the caller
            self.error = error
            while self.queue.get() is not None:  # let the caller finish
                pass

    def put(self, chunk) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(chunk)

    def close(self) -> None:
        self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error


class Sink:
    """Rows per table, flushed in chunks: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self) -> None:
        self.tables: dict[type, Table] = {}
        self.written: dict[str, int] = defaultdict(int)
        self._encoders: dict[type, Callable] = {}
        self._writer: _CopyWriter | None = None
        self._copy_here = False
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # Inside the caller's transaction (a test, a larger job): COPY on
            # its connection, so the rows live and die with it.
            self._copy_here = True
        elif connection.vendor == "postgresql":
            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            self._writer = _CopyWriter(params, _superuser())
            self._writer.start()

    def table(self, model, columns: tuple[str, ...]) -> Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(model, columns)
            self._encoders[model] = _line_encoder(model, columns)
        return table

    def flush(self) -> None:
        chunk = []
        for table in self.tables.values():
            if not table.rows:
                continue
            self.written[table.model._meta.db_table] += len(table.rows)
            if self._writer is not None or self._copy_here:
                quote = connection.ops.quote_name
                names = ", ".join(quote(c) for c in table.columns)
                sql = f"COPY {quote(table.model._meta.db_table)} ({names}) FROM STDIN"
                chunk.append((sql, self._encoders[table.model], table.rows))
            else:
                with transaction.atomic():
                    self._bulk_create(table)
            table.rows = []
        if chunk and self._copy_here:
            with connection.cursor() as cursor:
                for sql, encode, rows in chunk:
                    with cursor.cursor.copy(sql) as copy:
                        copy.write("".join(encode(r) + "\n" for r in rows))
        elif chunk:
            self._writer.put(chunk)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()

    def _bulk_create(self, table: Table) -> None:
        model, columns = table.model, table.columns
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in table.rows],
            batch_size=500,
        )


def _columns(model, *, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(
        f.attname for f in model._meta.concrete_fields if f.attname not in skip
    )


def _defaults(model) -> dict:
    """Column defaults as the ORM would fill them (empty strings, not NULL)."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.has_default():
            values[f.attname] = f.get_default()
        elif f.null:
            values[f.attname] = None
        elif f.get_internal_type() in ("CharField", "TextField", "EmailField"):
            values[f.attname] = ""
    return values


@dataclass
class StepPlan:
    order: int
    block: int
    lane: str
    name: str
    kind: str
    role: str
    agency_id: int
    is_lead: bool
    minutes: int  # allotted working minutes; 0 when shared from the total
    share: Decimal | None = None


@dataclass
class Choice:
    """One procedure of the mix, with what every dossier of it shares."""

    version: object
    spec: object
    duration_value: Decimal | None
    duration_unit: str
    cutoff: object
    channels: list[str]
    components: list[tuple]  # (component id, name, copy type, source kind, required)
    fees: dict[str, list]  # channel -> fee items
    templates: list  # StepTemplate rows, or [] for the default template


@dataclass
class Outcome:
    dossiers: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    timeliness: dict[str, int] = field(default_factory=dict)


class ProvinceGenerator:
    """
    Generate ``n`` dossiers submitted over the ``years`` before ``now`` for
    the demo province. Events after ``now`` are not written: the dossiers of
    the last weeks are still open, with their active steps, as in a real inbox.
    """

    def __init__(self, demo, catalog, *, now: datetime, seed: int = 2026) -> None:
        # In the calendar's zone: comparing datetimes of one tzinfo is a plain
        # comparison, of two zones an offset lookup each time.
        self.demo, self.catalog, self.now = demo, catalog, now.astimezone(LOCAL_TZ)
        self.rng = random.Random(seed)
        self.surnames, self.male, self.female, self.middle_male = _name_pool()
        self._folded: dict[str, str] = {}
        self.staff: dict[tuple[int, str], tuple[int, str]] = {}
        for m in (
            StaffMembership.objects.active()
            .select_related("user")
            .order_by("agency_id", "role", "user_id")
        ):
            self.staff.setdefault(
                (m.agency_id, m.role), (m.user_id, m.user.display_name)
            )
        self.choices = [self._choice(code) for code in catalog.versions]
        self.cum_weights = list(accumulate(c.spec.weight for c in self.choices))
        self._calendars: dict[int, object] = {}
        self._codes: dict[tuple[int, object], str] = {}
        self._centres: dict[int, Agency] = {}
        self._plans: dict[tuple[int, int, int], list[StepPlan]] = {}
        self._load_counters()
        self._ids = {
            model: (model.objects.aggregate(m=Max("pk"))["m"] or 0)
            for model in (
                Dossier,
                DossierComponent,
                DossierFee,
                DossierStep,
                HandOver,
                DossierEvent,
                SupplementRequest,
                Rating,
                RatingAgency,
                RatingAnswer,
            )
        }
        self.sink = Sink()
        self.dossier_defaults = _defaults(Dossier)
        self.dossier_columns = _columns(Dossier)
        self.outcome = Outcome()

    # -- shared data -----------------------------------------------------------
    def _choice(self, code: str) -> Choice:
        version = self.catalog.versions[code]
        components = []
        for c in version.components.all().order_by("order", "pk"):
            if c.copy_type == CopyType.PRESENTED or c.presented_only:
                kind = (
                    "national_database"
                    if c.reusable_source == DataSource.POPULATION
                    else "presented"
                )
            else:
                kind = ""
            components.append((c.pk, c.name, c.copy_type, kind, c.required))
        channels = version.channels or ["counter"]
        return Choice(
            version=version,
            spec=self.catalog.specs[code],
            duration_value=version.duration_value,
            duration_unit=version.duration_unit,
            cutoff=version.cutoff_time,
            channels=channels,
            components=components,
            fees={ch: fees_for(version, ch) for ch in ("online", "counter", "post")},
            templates=list(
                version.steps.select_related("participant").order_by("order")
            ),
        )

    def _load_counters(self) -> None:
        self.code_seq: dict[str, int] = {}
        self.book_seq: dict[str, int] = {}
        for scope, key, value in SequenceCounter.objects.filter(
            scope__in=("dossier_code", "tracking_book")
        ).values_list("scope", "key", "value"):
            (self.code_seq if scope == "dossier_code" else self.book_seq)[key] = value

    def _calendar(self, agency):
        cal = self._calendars.get(agency.pk)
        if cal is None:
            cal = self._calendars[agency.pk] = deadlines.calendar_for_agency(agency)
        return cal

    def _agency_code(self, centre, day) -> str:
        key = (centre.pk, day)
        code = self._codes.get(key)
        if code is None:
            # The centre's identifiers are prefetched: code_on() then picks the
            # one valid that day without a query, by the rule the services use.
            agency = self._centres.get(centre.pk)
            if agency is None:
                agency = self._centres[centre.pk] = Agency.objects.prefetch_related(
                    "codes"
                ).get(pk=centre.pk)
            code = self._codes[key] = agency.code_on(day)
        return code

    def _user(self, agency_id: int, *roles: str) -> tuple[int | None, str]:
        for role in roles:
            found = self.staff.get((agency_id, role))
            if found:
                return found
        return None, ""

    def _next_id(self, model) -> int:
        self._ids[model] += 1
        return self._ids[model]

    def _plan(self, choice: Choice, centre, competent, calendar) -> list[StepPlan]:
        """The steps ``instantiate_steps`` would create, resolved once per agency pair."""
        key = (choice.version.pk, centre.pk, competent.pk)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        plan = []
        if choice.templates:
            probe = Dossier(
                procedure_version=choice.version,
                receiving_centre=centre,
                competent_agency=competent,
            )
            participants: dict[int, object] = {}
            block_keys: list[tuple] = []
            for t in choice.templates:
                if t.unit_role == UnitRole.PARTICIPANT:
                    p = t.participant
                    if p.pk not in participants:
                        participants[p.pk] = resolve_participant_agency(probe, p)
                    agency, bkey = participants[p.pk], ("stage", p.stage)
                    lane, lead = f"p{p.pk}", p.role == "lead"
                else:
                    agency = (
                        centre
                        if t.unit_role == UnitRole.RECEIVING_CENTRE
                        else competent
                    )
                    bkey, lane, lead = ("step", t.order), "", False
                if bkey not in block_keys:
                    block_keys.append(bkey)
                plan.append(
                    StepPlan(
                        order=t.order,
                        block=block_keys.index(bkey) + 1,
                        lane=lane,
                        name=t.name,
                        kind=t.kind,
                        role=t.role,
                        agency_id=agency.pk,
                        is_lead=lead,
                        minutes=deadlines.step_minutes(
                            calendar, t.allotted_value, t.allotted_unit
                        ),
                    )
                )
        else:
            for index, (kind, name, role, unit_role, share) in enumerate(
                _DEFAULT_TEMPLATE, start=1
            ):
                agency = centre if unit_role == UnitRole.RECEIVING_CENTRE else competent
                plan.append(
                    StepPlan(
                        index,
                        index,
                        "",
                        str(name),
                        kind,
                        role,
                        agency.pk,
                        False,
                        0,
                        share,
                    )
                )
        self._plans[key] = plan
        return plan

    # -- people ------------------------------------------------------------------
    def _person(self, commune) -> dict:
        rng = self.rng
        female = rng.random() < 0.5
        given = rng.choice(self.female if female else self.male)
        if female and rng.random() < 0.5:
            middle = "Thị "
        elif rng.random() < 0.3:
            middle = rng.choice(self.middle_male) + " "
        else:
            middle = ""
        name = f"{rng.choice(self.surnames)} {middle}{given}"
        folded = self._folded.get(name)
        if folded is None:
            folded = self._folded[name] = fold(name)
        year = rng.randint(1950, 2005)
        century_gender = (2 if year >= 2000 else 0) + (1 if female else 0)
        unit = commune["unit"]
        return {
            "applicant_name": name,
            "applicant_search": folded,
            "applicant_id_number": f"099{century_gender}{year % 100:02d}{rng.randint(0, 999999):06d}",
            "applicant_birth_date": date(year, rng.randint(1, 12), rng.randint(1, 28)),
            "applicant_address": f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}, {unit.full_name}, tỉnh Lâm Hải Giang",
            "applicant_unit_id": unit.pk,
            "applicant_phone": f"09{rng.randint(10000000, 99999999)}",
            "identity_verified": True,
        }

    def _agencies(self, spec, commune):
        rng = self.rng
        if spec.resolver in ("commune", "land"):
            competent = commune["committee"]
        elif spec.resolver == "police":
            competent = commune["police"]
        else:
            competent = self.demo.agencies[spec.resolver]
        roll = rng.random()
        if spec.resolver not in ("commune", "land", "police"):
            centre = self.demo.agencies["ttpvhcc"] if roll < 0.7 else commune["centre"]
        elif roll < 0.75:
            centre = commune["centre"]
        elif roll < 0.87:
            centre = rng.choice(self.demo.communes)["centre"]  # boundary-free
        else:
            centre = self.demo.agencies["ttpvhcc"]
        return competent, centre

    # -- one dossier -------------------------------------------------------------
    def _event(
        self,
        events,
        when,
        action,
        before,
        after,
        actor,
        agency_id,
        due,
        *,
        step=None,
        data=None,
        public=True,
    ):
        events.append(
            (
                when,
                action,
                before,
                after,
                actor,
                agency_id,
                due,
                step,
                data or {},
                public,
            )
        )

    def dossier(self, window: tuple[int, int]) -> None:
        rng, now = self.rng, self.now
        choice = self.choices[
            bisect_right(self.cum_weights, rng.random() * self.cum_weights[-1])
        ]
        spec = choice.spec
        commune = rng.choice(self.demo.communes)
        competent, centre = self._agencies(spec, commune)
        cal = self._calendar(competent)
        channels = choice.channels
        if "online" in channels and rng.random() < ONLINE_SHARE:
            channel = "online"
        elif "post" in channels and rng.random() < POST_SHARE:
            channel = "post"
        else:
            channel = "counter" if "counter" in channels else channels[0]
        dossier_id = self._next_id(Dossier)
        row = dict(self.dossier_defaults)
        row.update(self._person(commune))
        offset = rng.randrange(*window)
        if channel == "online" and rng.random() < 0.3:
            # Online filings arrive at any hour, nights and weekends too.
            submitted = cal.moment_at(offset) + timedelta(minutes=rng.randrange(0, 900))
            if submitted > now:
                submitted = now - timedelta(minutes=1)
        else:
            submitted = cal.moment_at(offset)
        reception_user, reception_label = self._user(
            centre.pk, Role.RECEPTION, Role.CENTRE_HEAD
        )
        events: list[tuple] = []
        supplements: list[tuple] = []
        status = S.SUBMITTED
        row.update(
            id=dossier_id,
            lookup_secret="".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=8)),
            procedure_version_id=choice.version.pk,
            channel=channel,
            receiving_centre_id=centre.pk,
            competent_agency_id=competent.pk,
            summary=choice.version.name[:500],
            return_method="online"
            if channel == "online"
            else ("post" if channel == "post" else "counter"),
            submitted_at=submitted,
            created_at=submitted,
        )
        portal_id = ""
        if channel == "online":
            portal_id = (
                f"G22.99-{submitted.astimezone(LOCAL_TZ):%y%m%d}-S{dossier_id:07d}"
            )
            row["portal_id"] = portal_id
            row["acceptance_due_at"] = deadlines.acceptance_due(cal, submitted)
            self._event(
                events,
                submitted,
                A.SUBMIT_ONLINE,
                "",
                S.SUBMITTED,
                (None, "Cổng Dịch vụ công quốc gia"),
                centre.pk,
                None,
                data={"channel": channel, "portal_id": portal_id},
            )
            when = cal.add_working_minutes(
                submitted, rng.choices(ACCEPTANCE_DELAYS, ACCEPTANCE_WEIGHTS)[0]
            )
        else:
            self._event(
                events,
                submitted,
                A.SUBMIT,
                "",
                S.SUBMITTED,
                (reception_user, reception_label),
                centre.pk,
                None,
                data={"channel": channel, "portal_id": ""},
            )
            when = submitted
        self._components(dossier_id, choice, channel)
        roll = rng.random()
        if roll < REFUSED_AT_RECEPTION:
            self._event(
                events,
                when,
                A.REFUSE,
                S.SUBMITTED,
                S.REFUSED,
                (reception_user, reception_label),
                centre.pk,
                None,
            )
            row.update(
                status=S.REFUSED,
                refused_at=when,
                finished_at=when,
                decision_reason="Yêu cầu không thuộc phạm vi giải quyết thủ tục hành chính.",
            )
            return self._finish(row, events, supplements, [], [], cal, choice, channel)
        if channel == "online" and roll < REFUSED_AT_RECEPTION + RECEPTION_SUPPLEMENT:
            asked = when
            supplied = cal.add_working_minutes(asked, rng.choice((120, 480, 960)))
            self._event(
                events,
                asked,
                A.REQUEST_SUPPLEMENT,
                S.SUBMITTED,
                S.NEEDS_SUPPLEMENT,
                (reception_user, reception_label),
                centre.pk,
                None,
                data={"phase": Phase.RECEPTION, "breaches": []},
            )
            self._event(
                events,
                supplied,
                A.SUPPLEMENT,
                S.NEEDS_SUPPLEMENT,
                S.SUBMITTED,
                (None, "Cổng Dịch vụ công quốc gia"),
                centre.pk,
                None,
                data={"phase": Phase.RECEPTION},
            )
            supplements.append(
                [
                    Phase.RECEPTION,
                    asked,
                    reception_user,
                    centre.pk,
                    supplied,
                    None,
                    None,
                    None,
                    "",
                ]
            )
            row["acceptance_due_at"] = deadlines.acceptance_due(cal, supplied)
            when = cal.add_working_minutes(supplied, 60)
        # -- reception: code, due time, steps (handlers.receive) --
        received = when
        if received > now:
            return self._finish(row, events, supplements, [], [], cal, choice, channel)
        breached = (
            row["acceptance_due_at"] is not None and received > row["acceptance_due_at"]
        )
        day = received.astimezone(LOCAL_TZ).date()
        prefix = f"{self._agency_code(centre, day)}-{day:%y%m%d}"
        seq = self.code_seq[prefix] = self.code_seq.get(prefix, 0) + 1
        book_key = f"{centre.pk}-{day.year}"
        book = self.book_seq[book_key] = self.book_seq.get(book_key, 0) + 1
        due = deadlines.legal_due(
            cal,
            start=received,
            value=choice.duration_value,
            unit=choice.duration_unit,
            cutoff=choice.cutoff,
        )
        row.update(
            code=f"{prefix}-{seq:04d}",
            book_year=day.year,
            book_sequence=book,
            acceptance_breached=breached,
            received_at=received,
            received_by_id=reception_user,
            duration_value=choice.duration_value,
            duration_unit=choice.duration_unit,
            cutoff_time=choice.cutoff,
            clock_started_at=received,
            due_at=due,
            original_due_at=due,
        )
        status = S.RECEIVED
        self._event(
            events,
            received,
            A.RECEIVE,
            S.SUBMITTED,
            S.RECEIVED,
            (reception_user, reception_label),
            centre.pk,
            due,
            data={"acceptance_breached": breached, "code": row["code"]},
        )
        total = max(1, cal.working_minutes_between(received, due))
        plan = self._plan(choice, centre, competent, cal)
        # The pace of this dossier's officers: most finish well ahead, a few late.
        pace = (
            rng.uniform(1.05, 1.8)
            if rng.random() < LATE_PACE
            else rng.uniform(0.15, 0.95)
        )
        steps = []  # [plan, started, due, completed, used, timeliness]
        clock = cal.offset(received)
        counted_late = False
        supplement_at = None
        if rng.random() < PROCESSING_SUPPLEMENT and len(plan) > 1:
            supplement_at = plan[1].block
        stopped_at = None
        for block in sorted({p.block for p in plan}):
            if stopped_at is not None:
                break
            if supplement_at == block:
                # Decree 118 Art.19(5): asked within 3 working days of reception.
                asked_off = min(
                    clock + rng.randint(10, 600),
                    cal.offset(received) + 3 * cal.day_minutes,
                )
                asked_off = max(asked_off, clock)
                asked = cal.moment_at(asked_off)
                actor = self._user(competent.pk, Role.PROCESSING, Role.AGENCY_LEADER)
                before_status = status
                self._event(
                    events,
                    asked,
                    A.REQUEST_SUPPLEMENT,
                    before_status,
                    S.NEEDS_SUPPLEMENT,
                    actor,
                    competent.pk,
                    row["due_at"],
                    data={"phase": Phase.PROCESSING, "breaches": []},
                )
                request = [
                    Phase.PROCESSING,
                    asked,
                    actor[0],
                    competent.pk,
                    None,
                    None,
                    row["due_at"],
                    None,
                    "",
                ]
                supplements.append(request)
                if rng.random() < NEVER_SUPPLIED:
                    closed = deadlines.supplement_respond_by(asked)
                    request[5] = closed
                    self._event(
                        events,
                        closed,
                        A.CLOSE_UNSUPPLEMENTED,
                        S.NEEDS_SUPPLEMENT,
                        S.STOPPED,
                        (None, "Hệ thống"),
                        competent.pk,
                        row["due_at"],
                    )
                    stopped_at = closed
                    row["paused_minutes"] = max(
                        0, cal.working_minutes_between(asked, closed)
                    )
                    break
                supplied = cal.add_working_minutes(asked, rng.randint(240, 4800))
                new_due = deadlines.legal_due(
                    cal,
                    start=supplied,
                    value=choice.duration_value,
                    unit=choice.duration_unit,
                    cutoff=choice.cutoff,
                )
                request[4], request[7] = supplied, new_due
                row.update(
                    due_at=new_due,
                    clock_started_at=supplied,
                    paused_minutes=row["paused_minutes"]
                    + max(0, cal.working_minutes_between(asked, supplied)),
                )
                self._event(
                    events,
                    supplied,
                    A.SUPPLEMENT,
                    S.NEEDS_SUPPLEMENT,
                    before_status,
                    (None, "Cổng Dịch vụ công quốc gia")
                    if channel == "online"
                    else (reception_user, reception_label),
                    centre.pk,
                    new_due,
                    data={"phase": Phase.PROCESSING},
                )
                clock = cal.offset(supplied)
                if rng.random() < SECOND_SUPPLEMENT / PROCESSING_SUPPLEMENT:
                    # A second request in the same phase: the officer acknowledged
                    # the breach, so the dossier counts as late (Decision 766).
                    asked2 = cal.add_working_minutes(supplied, rng.randint(30, 600))
                    supplied2 = cal.add_working_minutes(asked2, rng.randint(240, 2400))
                    new_due = deadlines.legal_due(
                        cal,
                        start=supplied2,
                        value=choice.duration_value,
                        unit=choice.duration_unit,
                        cutoff=choice.cutoff,
                    )
                    counted_late = True
                    row.update(
                        counted_late=True,
                        counted_late_reason="supplement_limit",
                        due_at=new_due,
                        clock_started_at=supplied2,
                    )
                    row["paused_minutes"] += max(
                        0, cal.working_minutes_between(asked2, supplied2)
                    )
                    supplements.append(
                        [
                            Phase.PROCESSING,
                            asked2,
                            actor[0],
                            competent.pk,
                            supplied2,
                            None,
                            request[7],
                            new_due,
                            "supplement_limit",
                        ]
                    )
                    self._event(
                        events,
                        asked2,
                        A.REQUEST_SUPPLEMENT,
                        before_status,
                        S.NEEDS_SUPPLEMENT,
                        actor,
                        competent.pk,
                        request[7],
                        data={
                            "phase": Phase.PROCESSING,
                            "breaches": ["supplement_limit"],
                        },
                    )
                    self._event(
                        events,
                        supplied2,
                        A.SUPPLEMENT,
                        S.NEEDS_SUPPLEMENT,
                        before_status,
                        (reception_user, reception_label),
                        centre.pk,
                        new_due,
                        data={"phase": Phase.PROCESSING},
                    )
                    clock = cal.offset(supplied2)
            block_end = clock
            for lane in sorted({p.lane for p in plan if p.block == block}):
                lane_clock = clock
                for p in (p for p in plan if p.block == block and p.lane == lane):
                    allotted = p.minutes or max(1, int(total * p.share))
                    started = (
                        cal.moment_at(lane_clock)
                        if lane_clock != cal.offset(received)
                        else received
                    )
                    step_due = cal.moment_at(lane_clock + allotted)
                    used = max(1, int(allotted * pace * rng.uniform(0.7, 1.3)))
                    lane_clock += used
                    completed = cal.moment_at(lane_clock)
                    steps.append([p, started, step_due, completed, used, "", allotted])
                block_end = max(block_end, lane_clock)
            clock = block_end
        # Steps of the stages never reached (closed for no supplement) stay pending.
        reached = {s[0].order for s in steps}
        steps += [
            [p, NEVER, NEVER, NEVER, 0, "", p.minutes or max(1, int(total * p.share))]
            for p in plan
            if p.order not in reached
        ]
        # -- statuses along the timeline --
        handovers = []
        # Times of the step milestones, in order: complete_step, resolve, return.
        for s in steps:
            if s[3] is NEVER:
                continue
            p, started, step_due, completed, used, _t, allotted = s
            s[5] = deadlines.timeliness(
                cal, finished_at=completed, due_at=step_due, counted_late=False
            )
        resolved_at = returned_at = None
        last_status = status
        for index, s in enumerate(steps):
            p, started, step_due, completed = s[0], s[1], s[2], s[3]
            if completed is NEVER:
                continue
            actor = self._user(
                p.agency_id, p.role, Role.PROCESSING, Role.AGENCY_LEADER, Role.RECEPTION
            )
            nxt = [t for t in steps if t[0].block == p.block + 1]
            last_of_block = all(
                t[3] <= completed for t in steps if t[0].block == p.block
            )
            if p.kind == StepKind.SIGNING:
                resolved_at = completed
                self._event(
                    events,
                    completed,
                    A.RESOLVE,
                    last_status,
                    S.RESOLVED,
                    actor,
                    competent.pk,
                    row["due_at"],
                    step=index,
                    data={},
                )
                last_status = S.RESOLVED
            elif p.kind == StepKind.RETURN:
                if resolved_at is None:
                    resolved_at = started
                    self._event(
                        events,
                        started,
                        A.RESOLVE,
                        last_status,
                        S.RESOLVED,
                        self._user(competent.pk, Role.AGENCY_LEADER, Role.PROCESSING),
                        competent.pk,
                        row["due_at"],
                        data={},
                    )
                    last_status = S.RESOLVED
                returned_at = completed
                self._event(
                    events,
                    completed,
                    A.RETURN_RESULT,
                    last_status,
                    S.RETURNED,
                    actor,
                    centre.pk,
                    row["due_at"],
                    step=index,
                    data={"method": row["return_method"]},
                )
                last_status = S.RETURNED
                handovers.append(
                    (
                        index,
                        HandOverKind.RETURN,
                        centre.pk,
                        None,
                        actor[0],
                        None,
                        row["applicant_name"],
                        completed,
                        step_due,
                        s[5],
                    )
                )
                continue
            else:
                self._event(
                    events,
                    completed,
                    A.COMPLETE_STEP,
                    last_status,
                    S.IN_PROGRESS,
                    actor,
                    p.agency_id,
                    row["due_at"],
                    step=index,
                    data={},
                )
                last_status = S.IN_PROGRESS
            following = [
                t
                for t in steps
                if t[0].block == p.block
                and t[0].lane == p.lane
                and t[0].order > p.order
            ]
            if following:
                targets = following[:1]
            elif last_of_block:
                firsts: dict[str, list] = {}
                for t in nxt:
                    firsts.setdefault(t[0].lane, t)
                targets = list(firsts.values())
            else:
                targets = []
            handovers.extend(
                (
                    index,
                    HandOverKind.FORWARD,
                    p.agency_id,
                    t[0].agency_id,
                    actor[0],
                    None,
                    "",
                    completed,
                    step_due,
                    s[5],
                )
                for t in targets
            )
        if resolved_at is None and steps and stopped_at is None:
            resolved_at = steps[-1][3]
            self._event(
                events,
                resolved_at,
                A.RESOLVE,
                last_status,
                S.RESOLVED,
                self._user(competent.pk, Role.AGENCY_LEADER),
                competent.pk,
                row["due_at"],
                data={},
            )
        finished = stopped_at or resolved_at
        if finished is not None and finished <= now:
            row["finished_at"] = finished
            row["timeliness"] = deadlines.timeliness(
                cal,
                finished_at=finished,
                due_at=row["due_at"],
                counted_late=counted_late,
            )
            if stopped_at is not None:
                row.update(
                    stopped_at=stopped_at,
                    decision_reason="Quá 15 ngày không bổ sung hồ sơ.",
                )
            else:
                row.update(resolved_at=resolved_at, result_kind=ResultKind.APPROVED)
            if returned_at is not None and returned_at <= now:
                row["returned_at"] = returned_at
        return self._finish(
            row, events, supplements, steps, handovers, cal, choice, channel
        )

    def _components(self, dossier_id: int, choice: Choice, channel: str) -> None:
        table = self.sink.table(DossierComponent, COMPONENT_COLUMNS)
        rng = self.rng
        for order, (pk, name, copy_type, kind, required) in enumerate(
            choice.components
        ):
            if not required and rng.random() < 0.6:
                continue
            if kind:
                source, reference = (
                    kind,
                    ("CSDLQG-DC" if kind == "national_database" else ""),
                )
            else:
                source, reference = (
                    ("uploaded" if channel == "online" else "scanned"),
                    "",
                )
            digitized = source in ("uploaded", "scanned", "national_database")
            table.rows.append(
                (
                    self._next_id(DossierComponent),
                    dossier_id,
                    pk,
                    order,
                    name,
                    copy_type,
                    rng.randint(1, 4) if source == "scanned" else 0,
                    source,
                    digitized,
                    source == "national_database",
                    reference,
                    rng.randint(1, 6) if digitized else None,
                    "",
                )
            )

    def _finish(
        self, row, events, supplements, steps, handovers, cal, choice, channel
    ) -> None:
        """Keep what happened by ``now``; write the rows; the status is the last event's."""
        now = self.now
        dossier_id = row["id"]
        # Parallel lanes finish out of their list order: history is by time.
        events.sort(key=lambda e: e[0])
        kept = [e for e in events if e[0] <= now]
        status = kept[-1][3]
        row["status"] = status
        row["version"] = len(kept)
        row["updated_at"] = kept[-1][0]
        for key in (
            "resolved_at",
            "returned_at",
            "finished_at",
            "stopped_at",
            "refused_at",
        ):
            if row.get(key) is not None and row[key] > now:
                row[key] = None
        if row["finished_at"] is None:
            row["timeliness"] = ""
            row["result_kind"] = ""
        if status == S.NEEDS_SUPPLEMENT or status == S.AWAITING_PAYMENT:
            row["paused_at"] = kept[-1][0]
        # Step rows as they stand at ``now``.
        step_ids = []
        step_table = self.sink.table(DossierStep, STEP_COLUMNS)
        active_kinds = set()
        for s in steps:
            p, started, step_due, completed, used, timeliness, allotted = s
            step_id = self._next_id(DossierStep)
            step_ids.append(step_id)
            if completed <= now:
                st = StepStatus.DONE
            elif started <= now and status not in (S.STOPPED,):
                st = StepStatus.ACTIVE
                active_kinds.add(p.kind)
            else:
                st = StepStatus.PENDING
            done = st == StepStatus.DONE
            assignee = (
                self.staff.get((p.agency_id, p.role), (None,))[0]
                if st != StepStatus.PENDING
                else None
            )
            step_table.rows.append(
                (
                    step_id,
                    dossier_id,
                    p.order,
                    p.block,
                    p.lane,
                    p.name,
                    p.kind,
                    p.role,
                    p.agency_id,
                    p.is_lead,
                    assignee if done else None,
                    st,
                    allotted,
                    started if st != StepStatus.PENDING else None,
                    step_due if st != StepStatus.PENDING else None,
                    completed if done else None,
                    assignee if done else None,
                    timeliness if done else "",
                    used if done else None,
                    "",
                )
            )
        if status in (S.RECEIVED, S.IN_PROGRESS):
            row["sub_state"] = "+".join(sorted(active_kinds))[:32]
        elif status == S.SUBMITTED:
            row["sub_state"] = "awaiting_acceptance"
        elif status == S.RESOLVED:
            row["sub_state"] = "awaiting_return"
        self.sink.table(Dossier, self.dossier_columns).rows.append(
            tuple(row[c] for c in self.dossier_columns)
        )
        event_table = self.sink.table(DossierEvent, EVENT_COLUMNS)
        for when, action, before, after, (
            actor_id,
            label,
        ), agency_id, due, step, data, public in kept:
            event_table.rows.append(
                (
                    self._next_id(DossierEvent),
                    dossier_id,
                    action,
                    before,
                    after,
                    actor_id,
                    label,
                    agency_id,
                    step_ids[step] if step is not None else None,
                    "",
                    data,
                    due,
                    public,
                    when,
                )
            )
        hand_table = self.sink.table(HandOver, HANDOVER_COLUMNS)
        for (
            index,
            kind,
            from_agency,
            to_agency,
            giver,
            receiver,
            label,
            when,
            step_due,
            timeliness,
        ) in handovers:
            if when <= now:
                hand_table.rows.append(
                    (
                        self._next_id(HandOver),
                        dossier_id,
                        step_ids[index],
                        kind,
                        from_agency,
                        to_agency,
                        giver,
                        receiver,
                        label,
                        when,
                        step_due,
                        timeliness,
                        "",
                    )
                )
        sup_table = self.sink.table(SupplementRequest, SUPPLEMENT_COLUMNS)
        for (
            phase,
            asked,
            by,
            agency_id,
            supplied,
            closed,
            previous,
            new_due,
            breach,
        ) in supplements:
            if asked > now:
                continue
            sup_table.rows.append(
                (
                    self._next_id(SupplementRequest),
                    dossier_id,
                    phase,
                    asked,
                    by,
                    agency_id,
                    "Giấy tờ chưa đầy đủ, chưa rõ nét.",
                    [
                        {
                            "component": None,
                            "name": "Tờ khai",
                            "copy_type": CopyType.ORIGINAL,
                            "count": 1,
                            "note": "Chụp lại rõ nét",
                        }
                    ],
                    deadlines.supplement_respond_by(asked),
                    supplied if supplied and supplied <= now else None,
                    closed if closed and closed <= now else None,
                    previous,
                    new_due if supplied and supplied <= now else None,
                    breach,
                )
            )
        if row["received_at"] is not None:
            fee_table = self.sink.table(DossierFee, FEE_COLUMNS)
            returned = row.get("returned_at")
            for item in choice.fees[channel]:
                if item.amount > 0:
                    fee_status = FeeStatus.PAID if returned else FeeStatus.DUE
                else:
                    fee_status = FeeStatus.WAIVED
                fee_table.rows.append(
                    (
                        self._next_id(DossierFee),
                        dossier_id,
                        item.pk,
                        item.code,
                        item.name,
                        item.amount,
                        item.stage,
                        fee_status,
                        returned if fee_status == FeeStatus.PAID else None,
                        "counter" if fee_status == FeeStatus.PAID else "",
                    )
                )
        if row.get("returned_at") and self.rng.random() < RATED:
            self._rating(row, steps)
        out = self.outcome
        out.statuses[status] = out.statuses.get(status, 0) + 1
        out.channels[row["channel"]] = out.channels.get(row["channel"], 0) + 1
        if row["timeliness"]:
            out.timeliness[row["timeliness"]] = (
                out.timeliness.get(row["timeliness"], 0) + 1
            )

    def _rating(self, row, steps) -> None:
        rng = self.rng
        when = row["returned_at"] + timedelta(minutes=rng.randint(1, 2880))
        if when > self.now:
            return
        # Most applicants are satisfied; the late ones less so.
        base = 4 if row["timeliness"] != "late" else 3
        levels = [
            max(1, min(5, base + rng.choice((-1, 0, 0, 1, 1)))) for _ in Criterion
        ]
        mean = (Decimal(sum(levels)) / len(levels)).quantize(Decimal("0.01"))
        rating_id = self._next_id(Rating)
        self.sink.table(Rating, RATING_COLUMNS).rows.append(
            (
                rating_id,
                row["id"],
                rng.choice(("kiosk", "lookup", "notification")),
                None,
                when,
                "",
                mean,
                mean >= SATISFIED_MEAN,
                mean < DISSATISFIED_MEAN,
                True,
            )
        )
        answers = self.sink.table(RatingAnswer, ANSWER_COLUMNS)
        for criterion, level in zip(Criterion, levels, strict=True):
            answers.rows.append(
                (
                    self._next_id(RatingAnswer),
                    rating_id,
                    criterion.value,
                    level,
                    2 if level >= 4 else (1 if level == 3 else 0),
                )
            )
        agencies = {row["receiving_centre_id"], row["competent_agency_id"]} | {
            s[0].agency_id for s in steps
        }
        table = self.sink.table(RatingAgency, RATING_AGENCY_COLUMNS)
        for agency_id in sorted(agencies):
            table.rows.append((self._next_id(RatingAgency), rating_id, agency_id))

    # -- the run -------------------------------------------------------------------
    def run(
        self,
        n: int,
        *,
        years: float,
        progress: Callable[[int, float], None] | None = None,
    ) -> Outcome:
        start = _time.monotonic()
        ttp = self.demo.agencies["ttpvhcc"]
        cal = self._calendar(ttp)
        first = self.now - timedelta(days=int(365.25 * years))
        window = (cal.offset(first) + 1, cal.offset(self.now))
        done = 0
        rebuild = self._drop_indexes(n)
        try:
            while done < n:
                size = min(CHUNK, n - done)
                for _ in range(size):
                    self.dossier(window)
                self.sink.flush()
                done += size
                if progress:
                    progress(done, _time.monotonic() - start)
        finally:
            self.sink.close()
            self._create_indexes(rebuild, progress)
        with transaction.atomic():
            self._save_counters()
            self._reset_sequences()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in self._ids:
                    cursor.execute(
                        f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                    )
        out = self.outcome
        out.dossiers = n
        out.seconds = _time.monotonic() - start
        out.rows = dict(self.sink.written)
        return out

    def _drop_indexes(self, n: int) -> list[str]:
        """
        Drop the plain indexes of the tables written when loading at least as
        many dossiers as there are: building an index once from sorted rows is
        many times cheaper than maintaining twenty of them row by row. Primary
        keys and unique constraints stay, so nothing invalid gets in.
        """
        if connection.vendor != "postgresql" or n < max(
            50_000, Dossier.objects.count()
        ):
            return []
        tables = [m._meta.db_table for m in self._ids]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [tables],
            )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {name}")
        return [definition for _name, definition in found]

    def _create_indexes(self, definitions: list[str], progress) -> None:
        if not definitions:
            return
        started = _time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for definition in definitions:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        if progress:
            progress(-len(definitions), _time.monotonic() - started)

    def _save_counters(self) -> None:
        """Advance the gap-free counters past every number issued (codes, book)."""
        rows = [
            SequenceCounter(scope="dossier_code", key=k, value=v)
            for k, v in self.code_seq.items()
        ]
        rows += [
            SequenceCounter(scope="tracking_book", key=k, value=v)
            for k, v in self.book_seq.items()
        ]
        SequenceCounter.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["scope", "key"],
            update_fields=["value"],
        )

    def _reset_sequences(self) -> None:
        """The ids were allocated here; the database's own sequences must follow."""
        if connection.vendor != "postgresql":
            return  # SQLite's AUTOINCREMENT follows the largest id inserted
        with connection.cursor() as cursor:
            for model, last in self._ids.items():
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, 1), %s)",
                    [table, last, last > 0],
                )


def _superuser() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


COMPONENT_COLUMNS = (
    "id",
    "dossier_id",
    "component_id",
    "order",
    "name",
    "copy_type",
    "paper_count",
    "source",
    "is_digitized",
    "is_reused",
    "reuse_reference",
    "page_count",
    "note",
)
STEP_COLUMNS = (
    "id",
    "dossier_id",
    "order",
    "block",
    "lane",
    "name",
    "kind",
    "role",
    "agency_id",
    "is_lead",
    "assignee_id",
    "status",
    "allotted_minutes",
    "started_at",
    "due_at",
    "completed_at",
    "completed_by_id",
    "timeliness",
    "used_minutes",
    "result_note",
)
EVENT_COLUMNS = (
    "id",
    "dossier_id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_label",
    "agency_id",
    "step_id",
    "note",
    "data",
    "due_at",
    "is_public",
    "created_at",
)
HANDOVER_COLUMNS = (
    "id",
    "dossier_id",
    "step_id",
    "kind",
    "from_agency_id",
    "to_agency_id",
    "giver_id",
    "receiver_id",
    "receiver_label",
    "handed_at",
    "step_due_at",
    "timeliness",
    "note",
)
SUPPLEMENT_COLUMNS = (
    "id",
    "dossier_id",
    "phase",
    "requested_at",
    "requested_by_id",
    "agency_id",
    "reason",
    "items",
    "respond_by",
    "supplied_at",
    "closed_at",
    "previous_due_at",
    "new_due_at",
    "breaches_rule",
)
FEE_COLUMNS = (
    "id",
    "dossier_id",
    "fee_item_id",
    "code",
    "name",
    "amount",
    "stage",
    "status",
    "paid_at",
    "payment_reference",
)
RATING_COLUMNS = (
    "id",
    "dossier_id",
    "channel",
    "client_token",
    "submitted_at",
    "comment",
    "mean_level",
    "satisfied",
    "dissatisfied",
    "counts",
)
ANSWER_COLUMNS = ("id", "rating_id", "criterion", "level", "points")
RATING_AGENCY_COLUMNS = ("id", "rating_id", "agency_id")
