"""The yearly report's figures are the same after the one-pass rewrite (issue 16): every count of
``annual_statistics`` equals the straightforward statements it replaced (kept here as the reference: a GROUP BY
per topic, the latest placement and referral status by window functions, visits due by COALESCE), on a
generated ten-year registry, for every year, for a year still running, for the county and for a township's
caseworker; and the report's statements read the narrow indexes of migration 0019."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Select, and_, case, event, func, or_, select

from fanguai_desk.domain.enums import (
    FollowUpStatus,
    IdentityStatus,
    PlacementState,
    ReferralStatus,
    Role,
    ServiceStatus,
    ServiceType,
    Sex,
)
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.statistics import (
    AGE_GROUPS,
    NATIONALITY_GROUPS,
    NO_PLACEMENT,
    AnnualStatistics,
    TownshipStatistics,
    _age_group,
    _n,
    _nationality_group,
    _outcome,
    _outcome_keys,
    _placement_keys,
    _service_keys,
    _sex_keys,
    _status_keys,
    _status_rank,
    _zeros,
    annual_statistics,
    county_annual_book,
    county_period_book,
)
from fanguai_desk.store import rule_sql
from fanguai_desk.store.models import (
    FollowUp,
    LegalAidReferral,
    Placement,
    ReferralEvent,
    ServiceRecord,
    Township,
    Victim,
)
from tests.conftest import USER_PASSWORD


def reference_statistics(desk: Desk, year: int, today: date) -> AnnualStatistics:
    """The statements of ``annual_statistics`` before the rewrite, unchanged but for the day a file was made,
    the local day (``rule_sql.local_day``) since migration 0023, as in the rewrite."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    as_of = min(end, today)
    scope: list[str] | None = desk.visible_township_ids()
    settings = desk.settings()

    def scoped(stmt: Select[Any]) -> Select[Any]:
        return stmt if scope is None else stmt.where(Victim.township_id.in_(scope))

    made_on = rule_sql.local_day(Victim.created_at)
    opened_on = func.coalesce(Victim.rescue_date, made_on)
    open_at_end = and_(opened_on <= as_of, or_(Victim.closed_on.is_(None), Victim.closed_on > as_of))
    open_in_year = and_(opened_on <= end, or_(Victim.closed_on.is_(None), Victim.closed_on >= start))
    counts: dict[str, dict[str, Any]] = {}

    def row(township_id: str) -> dict[str, Any]:
        if township_id not in counts:
            counts[township_id] = {
                "services": _zeros(_service_keys()), "placements": _zeros(_placement_keys()),
                "referrals_by_status": _zeros(_status_keys()), "referral_outcomes": _zeros(_outcome_keys()),
                "referrals_green_channel": 0, "referrals_overdue": 0,
                "by_sex": _zeros(_sex_keys()), "by_age": _zeros(list(AGE_GROUPS)),
                "by_nationality": _zeros(list(NATIONALITY_GROUPS)),
            }
        return counts[township_id]

    with desk.read() as s:
        # 1. files
        files = scoped(select(
            Victim.township_id,
            _n(open_at_end), _n(open_in_year),
            _n(and_(opened_on >= start, opened_on <= end)),
            _n(and_(made_on >= start, made_on <= end)),
            _n(and_(Victim.closed_on >= start, Victim.closed_on <= end)),
            _n(and_(open_at_end, or_(Victim.identity_status == IdentityStatus.UNKNOWN,
                                     Victim.identified_on > as_of))),
        ).group_by(Victim.township_id))
        for tid, at_end, in_year, new, registered, closed, unidentified in s.execute(files):
            row(tid).update(files_open_at_end=int(at_end), files_open_in_year=int(in_year), files_new=int(new),
                            files_registered=int(registered), files_closed=int(closed),
                            unidentified=int(unidentified))

        # 1b. files open at the end by sex, age on that day, nationality
        for tid, sex, age, nat, n in s.execute(scoped(
                select(Victim.township_id, Victim.sex, _age_group(as_of), _nationality_group(), func.count())
                .where(open_at_end).group_by(Victim.township_id, Victim.sex, _age_group(as_of),
                                             _nationality_group()))):
            r, count = row(tid), int(n)
            r["by_sex"][Sex(sex).value] += count
            r["by_age"][str(age)] += count
            r["by_nationality"][str(nat)] += count

        # 2. services running in the period, by type; and the distinct files they belong to
        running = and_(ServiceRecord.status != ServiceStatus.CANCELLED, ServiceRecord.start_date <= end,
                       or_(ServiceRecord.end_date.is_(None), ServiceRecord.end_date >= start))
        svc_base = select(Victim.township_id).join(Victim, Victim.id == ServiceRecord.victim_id).where(running)
        for tid, stype, n in s.execute(scoped(svc_base.add_columns(ServiceRecord.service_type, func.count())
                                              .group_by(Victim.township_id, ServiceRecord.service_type))):
            row(tid)["services"][ServiceType(stype).value] += int(n)
        for tid, n in s.execute(scoped(svc_base.add_columns(func.count(func.distinct(ServiceRecord.victim_id)))
                                       .group_by(Victim.township_id))):
            row(tid)["persons_assisted"] = int(n)

        # 3. placement in force at the end of the period, for the files open then
        ranked = select(
            Placement.victim_id, Placement.state,
            func.row_number().over(partition_by=Placement.victim_id,
                                   order_by=(Placement.start_date.desc(), Placement.created_at.desc())).label("rn"),
        ).where(Placement.start_date <= as_of).subquery()
        latest = select(ranked.c.victim_id, ranked.c.state).where(ranked.c.rn == 1).subquery()
        placed = scoped(select(Victim.township_id, latest.c.state, func.count())
                        .outerjoin(latest, latest.c.victim_id == Victim.id)
                        .where(open_at_end).group_by(Victim.township_id, latest.c.state))
        for tid, state, n in s.execute(placed):
            key = PlacementState(state).value if state is not None else NO_PLACEMENT
            row(tid)["placements"][key] += int(n)

        # 4. referrals made in the period: status at the end (from the status history), clocks
        ev_ranked = select(
            ReferralEvent.referral_id, ReferralEvent.status,
            func.row_number().over(partition_by=ReferralEvent.referral_id,
                                   order_by=(ReferralEvent.at.desc(), _status_rank().desc())).label("rn"),
        ).where(ReferralEvent.at <= as_of).subquery()
        ev = select(ev_ranked.c.referral_id, ev_ranked.c.status).where(ev_ranked.c.rn == 1).subquery()
        status_at = func.coalesce(ev.c.status, ReferralStatus.REFERRED.value)
        # The status as of the end of the period: ACCEPTED then means no lawyer yet (lawyer_assigned_date=None).
        overdue = rule_sql.referral_overdue(as_of, status_at, lawyer_assigned_date=None)
        in_time = rule_sql.referral_decided_in_time()
        refs = scoped(
            select(Victim.township_id, status_at, LegalAidReferral.green_channel,
                   case((overdue, 1), else_=0), case((in_time, 1), else_=0), func.count())
            .select_from(LegalAidReferral)
            .join(Victim, Victim.id == LegalAidReferral.victim_id)
            .outerjoin(ev, ev.c.referral_id == LegalAidReferral.id)
            .where(LegalAidReferral.referral_date >= start, LegalAidReferral.referral_date <= end)
            .group_by(Victim.township_id, status_at, LegalAidReferral.green_channel,
                      case((overdue, 1), else_=0), case((in_time, 1), else_=0))
        )
        for tid, status_value, green, is_overdue, decided_in_time, n in s.execute(refs):
            r, count = row(tid), int(n)
            status = ReferralStatus(status_value)
            r["referrals_by_status"][status.value] += count
            r["referral_outcomes"][_outcome(status, bool(decided_in_time)).value] += count
            r["referrals_green_channel"] += count if green else 0
            r["referrals_overdue"] += count if is_overdue else 0

        # 5. follow-up visits due in the period
        due_on = func.coalesce(FollowUp.planned_date, FollowUp.actual_date)
        due = and_(FollowUp.status != FollowUpStatus.CANCELLED, due_on >= start, due_on <= end)
        done_by_end = and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.actual_date <= as_of)
        late = and_(FollowUp.planned_date < as_of, or_(FollowUp.actual_date.is_(None), FollowUp.actual_date > as_of))
        visits = scoped(select(Victim.township_id, func.count(), _n(done_by_end), _n(late))
                        .select_from(FollowUp).join(Victim, Victim.id == FollowUp.victim_id)
                        .where(due).group_by(Victim.township_id))
        for tid, n_due, n_done, n_late in s.execute(visits):
            row(tid).update(followups_due=int(n_due), followups_done=int(n_done), followups_overdue=int(n_late))
        visited = scoped(select(Victim.township_id, func.count(func.distinct(FollowUp.victim_id)))
                         .select_from(FollowUp).join(Victim, Victim.id == FollowUp.victim_id)
                         .where(open_in_year, FollowUp.status == FollowUpStatus.DONE,
                                FollowUp.actual_date >= start, FollowUp.actual_date <= min(end, as_of))
                         .group_by(Victim.township_id))
        for tid, n in s.execute(visited):
            row(tid)["files_visited"] = int(n)

        # townships with at least one file, in code order
        stmt = select(Township.id, Township.code, Township.name).order_by(Township.code, Township.name)
        if scope is not None:
            stmt = stmt.where(Township.id.in_(scope))
        townships = [(tid, code, name) for tid, code, name in s.execute(stmt) if tid in counts]

    return AnnualStatistics(
        year=year, period_start=start, period_end=end, as_of=as_of,
        county_code=settings.county_code, county_name=settings.county_name,
        townships=tuple(TownshipStatistics(township_code=code, township=name, **counts[tid])
                        for tid, code, name in townships),
    )


def _years(desk: Desk) -> range:
    with desk.read() as s:
        first = s.scalar(select(func.min(func.coalesce(Victim.rescue_date, rule_sql.local_day(Victim.created_at)))))
    return range(date.fromisoformat(str(first)[:10]).year, date.today().year + 1)


def test_every_year_counts_what_the_old_statements_counted(demo_desk: Desk) -> None:
    years = _years(demo_desk)
    assert len(years) >= 8  # the demo spans ten years
    today = date.today()
    for year in years:
        new, old = annual_statistics(demo_desk, year, today=today), reference_statistics(demo_desk, year, today)
        assert new == old, year
    assert sum(t.files_visited for t in annual_statistics(demo_desk, today.year - 1).townships) > 0
    # a year looked at while it was still running (as of 30 June), and on its last day
    for cut in (date(today.year - 2, 6, 30), date(today.year - 3, 12, 31)):
        assert annual_statistics(demo_desk, cut.year, today=cut) == reference_statistics(demo_desk, cut.year, cut)


def test_a_caseworker_s_township_counts_what_the_old_statements_counted(demo_desk: Desk) -> None:
    with demo_desk.read() as s:
        township = s.scalar(select(Township.name).join(Victim, Victim.township_id == Township.id)
                            .order_by(Township.code).limit(1))
    demo_desk.users.add("cw_stats", USER_PASSWORD, Role.CASEWORKER, township, display_name="统计社工")
    cw = Desk.unlock(demo_desk.registry.data_dir, "cw_stats", USER_PASSWORD)
    try:
        today = date.today()
        for year in (today.year - 1, today.year - 4):
            new = annual_statistics(cw, year, today=today)
            assert [t.township for t in new.townships] == [township]
            assert new == reference_statistics(cw, year, today)
    finally:
        cw.registry.close()


def test_the_protected_tables_are_those_of_the_old_counts(demo_desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the PDF prints (the protected book) is the same, for the yearly and the period report."""
    from fanguai_desk.services import statistics

    today = date.today()
    year = today.year - 1
    _cy, book = county_annual_book(demo_desk, year, today=today)
    _ys, period = county_period_book(demo_desk, year - 4, year, today=today)
    monkeypatch.setattr(statistics, "annual_statistics",
                        lambda desk, y, *, today=None: reference_statistics(desk, y, today or date.today()))
    assert county_annual_book(demo_desk, year, today=today)[1].tables == book.tables
    assert county_period_book(demo_desk, year - 4, year, today=today)[1].tables == period.tables


def test_the_report_reads_narrow_indexes_not_the_records(demo_desk: Desk) -> None:
    """Each statement of the yearly report reads the indexes made for it (migration 0019): no full scan of a
    records table, no window over every placement or status event."""
    statements: list[tuple[str, Any]] = []
    engine = demo_desk.registry.engine

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        statements.append((sql, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        annual_statistics(demo_desk, date.today().year - 1)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        for sql, params in statements:
            if sql.lstrip().upper().startswith(("SELECT", "WITH")) and "victims" in sql:
                plans.append(" | ".join(str(r[3]) for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params)))
    assert len(plans) == 5, plans
    text = "\n".join(plans)
    for index in ("ix_victims_report", "ix_victims_id_township", "ix_services_victim_running", "ix_followups_due",
                  "ix_followups_status_actual_victim", "ix_placements_victim_current"):
        assert f"COVERING INDEX {index}" in text, (index, text)
    for table in ("victims", "followups", "services", "placements", "referral_events"):
        assert f"SCAN {table}\n" not in text + "\n" and f"SCAN {table} |" not in text, text
    assert "row_number" not in " ".join(sql for sql, _p in statements)
    # a visit's, service's or referral's file is one seek in the narrow index, not the wide row
    assert "sqlite_autoindex_victims_1" not in text.split("ix_services_victim_running")[1], text
