"""A synthetic registry for demos, tests and the benchmark: only generated people, never real ones.

Rows are generated valid by construction (training only for 16+, no minor placed with the buyer
household, consent before every referral, no DNA wording) and written in bulk with Core inserts: this is
about 50× faster than going through the ORM one record at a time.  The bulk path writes one DEMO audit
entry with the counts instead of one entry per synthetic record; ``tests/services/test_demo.py`` checks
that the generated data satisfies every rule the services enforce.

Generation is a generator yielding progress (done, total) so the UI can show a cancellable progress
dialog; cancelling before the final commit leaves the registry unchanged (one transaction).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select

from fanguai_desk.domain.clocks import is_minor, is_school_age, protected_as_minor, retention_until
from fanguai_desk.domain.entry_rules import FileFacts, check_service
from fanguai_desk.domain.enums import (
    AuditAction,
    ConsentGiver,
    ConsentScope,
    FileStatus,
    FollowUpMethod,
    FollowUpStatus,
    IdentityStatus,
    PlacementState,
    ReferralMatter,
    ReferralStatus,
    Role,
    ServiceStatus,
    ServiceType,
    Sex,
)
from fanguai_desk.domain.errors import RuleViolation
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.domain.search_keys import search_columns
from fanguai_desk.domain.synthetic import SyntheticPeople
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.users import UserService
from fanguai_desk.store.clock import local_today, utcnow
from fanguai_desk.store.engine import refresh_statistics
from fanguai_desk.store.models import (
    BuyerHousehold,
    Case,
    Consent,
    FollowUp,
    Guardian,
    LegalAidReferral,
    Placement,
    ReferralEvent,
    RegistryMeta,
    ServiceRecord,
    Township,
    User,
    Victim,
    new_uuid,
)

TOWNSHIP_NAMES = [
    "青龙镇", "白马镇", "石桥镇", "金山乡", "柳河镇", "双溪乡", "红岩镇", "龙泉乡", "清水镇", "黄桷镇",
    "新场镇", "高店乡", "三合镇", "文昌镇", "永兴乡", "太平镇", "凤鸣镇", "安乐乡", "东岳镇", "西岭乡",
    "南坪镇", "北山乡", "兴隆镇", "宝华镇", "长岭乡", "观音镇", "桃园乡", "梨花镇", "竹林乡", "松林镇",
    "花溪镇", "鹤鸣乡", "云台镇", "瓦窑乡", "灵山镇", "大石乡", "小河镇", "古城镇", "新民乡", "和平镇",
]
EXPLOITATION = ["拐卖妇女", "拐卖儿童", "强迫劳动", "组织乞讨", "非法婚姻中介", "网络招聘诱骗"]
INSTITUTIONS = ["县法律援助中心", "市法律援助中心", "县妇联维权站", "乡镇司法所"]


@dataclass(frozen=True)
class DemoSpec:
    victims: int = 2000
    townships: int = 6
    years: int = 10
    followups_per_victim: float = 10.0
    services_per_victim: float = 3.0
    referrals_per_victim: float = 0.5
    seed: int = 2026
    today: date | None = None


@dataclass
class DemoCounts:
    townships: int = 0
    cases: int = 0
    victims: int = 0
    followups: int = 0
    services: int = 0
    referrals: int = 0
    placements: int = 0
    consents: int = 0


class DemoService(ServiceBase):
    def generate(self, spec: DemoSpec) -> Iterator[tuple[int, int]]:
        """Yield (victims done, total); the data is committed only when the generator is exhausted."""
        self.uow.require(Permission.DEMO)
        gen = _Generator(spec, self.uow.actor.user_id, self.uow.registry.installation_id)
        with self.uow.tx() as s:
            existing = {t.name: t for t in s.scalars(select(Township))}
            county = self.uow.settings().county_code
            townships: list[Township] = []
            for i, name in enumerate(TOWNSHIP_NAMES[: spec.townships]):
                t = existing.get(name)
                if t is None:
                    t = Township(name=name, code=f"{county}{i + 1:02d}")
                    while any(x.code == t.code for x in existing.values()):
                        t.code = f"{county}{int(t.code[-2:]) + 1:02d}"
                    s.add(t)
                    s.flush()
                    existing[name] = t
                townships.append(t)
            for meta in s.scalars(select(RegistryMeta).where(RegistryMeta.key.like("file_seq:%"))):
                _, code, year_text = meta.key.split(":")
                gen._seq[(code, int(year_text))] = int(meta.value)
            batch = 500
            for start in range(0, spec.victims, batch):
                tables = gen.batch(townships, start, min(batch, spec.victims - start))
                for model, rows in tables:
                    if rows:
                        s.execute(insert(model), rows)
                yield min(start + batch, spec.victims), spec.victims
            for code, year, n in gen.file_counters():
                s.merge(RegistryMeta(key=f"file_seq:{code}:{year}", value=str(n)))
            self.uow.audit(s, AuditAction.DEMO, "registry", self.uow.registry.registry_id,
                            **{k: v for k, v in vars(gen.counts).items()})
        refresh_statistics(self.uow.registry.engine)
        self.counts = gen.counts

    def run(self, spec: DemoSpec) -> DemoCounts:
        for _ in self.generate(spec):
            pass
        return self.counts


class _Generator:
    def __init__(self, spec: DemoSpec, user_id: str, installation_id: str) -> None:
        self.spec = spec
        self.today = spec.today or local_today()
        self.people = SyntheticPeople(spec.seed)
        self.rng = random.Random(spec.seed + 1)
        self.user_id = user_id
        self.installation_id = installation_id
        self.counts = DemoCounts()
        self._seq: dict[tuple[str, int], int] = {}
        self._now = utcnow()

    def _stamp(self) -> dict[str, Any]:
        return {"id": new_uuid(), "created_at": self._now, "updated_at": self._now, "created_by": self.user_id,
                "updated_by": self.user_id, "origin_installation": self.installation_id,
                "updated_installation": self.installation_id, "version": 1}

    def file_counters(self) -> list[tuple[str, int, int]]:
        return [(code, year, n) for (code, year), n in self._seq.items()]

    def _date_between(self, a: date, b: date) -> date:
        if b <= a:
            return a
        return a + timedelta(days=self.rng.randint(0, (b - a).days))

    def batch(self, townships: list[Township], start: int, n: int) -> list[tuple[type[Any], list[dict[str, Any]]]]:
        rng, people, today = self.rng, self.people, self.today
        cases: list[dict[str, Any]] = []
        victims: list[dict[str, Any]] = []
        guardians: list[dict[str, Any]] = []
        buyers: list[dict[str, Any]] = []
        services: list[dict[str, Any]] = []
        followups: list[dict[str, Any]] = []
        referrals: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        placements: list[dict[str, Any]] = []
        consents: list[dict[str, Any]] = []
        first_day = today - timedelta(days=365 * self.spec.years)
        case_id: str | None = None
        for i in range(n):
            town = townships[(start + i) % len(townships)]
            rescue = self._date_between(first_day, today - timedelta(days=3))
            if case_id is None or rng.random() < 0.6:  # cases with one to a few victims
                case = {**self._stamp(), "township_id": town.id, "police_case_ref": f"A{rescue.year}{rng.randint(10**6, 10**7 - 1)}",
                        "handling_unit": f"{town.name}派出所", "opened_on": rescue - timedelta(days=rng.randint(0, 30)),
                        "incident_date": rescue - timedelta(days=rng.randint(30, 2000)), "place": people.village_address(),
                        "exploitation_type": rng.choice(EXPLOITATION), "summary": None}
                cases.append(case)
                case_id = case["id"]
            sex = Sex.FEMALE if rng.random() < 0.8 else Sex.MALE
            minor_at_rescue = rng.random() < 0.4
            birth = people.birth_date(3, 17, rescue) if minor_at_rescue else people.birth_date(18, 45, rescue)
            unknown = rng.random() < 0.06
            name = people.full_name(sex)
            vid = new_uuid()
            year = rescue.year
            seq = self._seq.get((town.code, year), 0) + 1
            self._seq[(town.code, year)] = seq
            closed = rescue < today - timedelta(days=365 * 6) and rng.random() < 0.5
            row: dict[str, Any] = {
                **self._stamp(), "id": vid, "file_number": f"{town.code}-{year}-{seq:04d}", "township_id": town.id,
                "case_id": case_id, "caseworker_id": self.user_id, "sex": sex, "nationality": "CN",
                "rescue_date": rescue, "rescue_unit": f"{town.name}派出所", "status": FileStatus.OPEN,
                "hidden_name": rng.random() < 0.03, "attention_flag": rng.random() < 0.02, "attention_message": None,
                "ethnicity": "汉族" if rng.random() < 0.85 else rng.choice(["彝族", "藏族", "苗族", "羌族"]),
                "notes": people.free_note() if rng.random() < 0.3 else None, "phone": None,
                "disability": None, "disability_grade": None, "identified_on": None,
                "arrived_at_institution_on": None, "closure_reason": None, "closed_on": None, "retention_until": None,
            }
            if unknown:
                row.update(identity_status=IdentityStatus.UNKNOWN, name=None, alias=f"{rng.choice('小大阿')}{name[-1]}",
                           birth_date=None, estimated_birth_year=birth.year, id_number=None,
                           household_registration=None, current_residence=None,
                           arrived_at_institution_on=rescue)
            else:
                number = people.id_number(birth, sex)
                row.update(identity_status=IdentityStatus.KNOWN, name=name, alias=None, birth_date=birth,
                           estimated_birth_year=None, id_number=number,
                           household_registration=people.village_address(),
                           current_residence=people.village_address())
            if closed:
                closed_on = self._date_between(rescue + timedelta(days=365), today - timedelta(days=30))
                row.update(status=FileStatus.CLOSED, closure_reason="returned_home", closed_on=closed_on,
                           retention_until=retention_until(closed_on, 5))
            row.update(search_columns(row["name"], row["alias"], row["id_number"]))
            victims.append(row)
            minor_now = is_minor(row["birth_date"], row["estimated_birth_year"], today)
            if minor_now:
                guardians.append({**self._stamp(), "victim_id": vid, "name": people.full_name(Sex.FEMALE),
                                  "relation": rng.choice(["母亲", "父亲", "祖母", "姑姑"]), "phone": people.phone(),
                                  "address": people.village_address(), "id_number": None})
            buyer_address = None
            if minor_at_rescue and rng.random() < 0.5:
                buyer_address = people.village_address()
                buyers.append({**self._stamp(), "victim_id": vid, "head_name": people.full_name(Sex.MALE),
                               "address": buyer_address, "member_id_numbers": None, "notes": None})
            # placement timeline: shelter at rescue, then an outcome (never the buyer household for a minor)
            placements.append({**self._stamp(), "victim_id": vid, "state": PlacementState.TEMPORARY_SHELTER,
                               "start_date": rescue, "institution": "县救助管理站", "household_head": None,
                               "address": None, "caregiver_id_number": None, "notes": None})
            outcome_day = rescue + timedelta(days=rng.randint(5, 120))
            if outcome_day < today:
                if unknown:
                    state = rng.choice([PlacementState.FAMILY_TRACING, PlacementState.WELFARE_INSTITUTION])
                elif minor_at_rescue:
                    state = rng.choice([PlacementState.RETURNED_TO_BIRTH_PARENTS, PlacementState.WELFARE_INSTITUTION,
                                        PlacementState.RETURNED_TO_BIRTH_PARENTS])
                else:
                    state = rng.choice([PlacementState.RETURNED_HOME, PlacementState.WORKING_ELSEWHERE,
                                        PlacementState.RETURNED_HOME, PlacementState.HUKOU_REGISTERED])
                placements.append({**self._stamp(), "victim_id": vid, "state": state, "start_date": outcome_day,
                                   "institution": "县儿童福利院" if state is PlacementState.WELFARE_INSTITUTION else None,
                                   "household_head": None,
                                   "address": row["household_registration"] if state in (
                                       PlacementState.RETURNED_HOME, PlacementState.RETURNED_TO_BIRTH_PARENTS) else None,
                                   "caregiver_id_number": None, "notes": None})
            # services: mostly done in time, a few still open past their due date (a working picture, not an alarm)
            facts = FileFacts(row["birth_date"], row["estimated_birth_year"])
            starts: list[tuple[date, ServiceType, bool]] = [
                (self._date_between(rescue, min(today, rescue + timedelta(days=700))), rng.choice(list(ServiceType)),
                 False)
                for _ in range(self._poisson(self.spec.services_per_victim))]
            if not closed and is_school_age(row["birth_date"], row["estimated_birth_year"], today) and rng.random() < 0.9:
                # most school-age children are back at school (回归学校): a service started while of school age
                school_start = self._date_between(max(rescue, today - timedelta(days=700)), today)
                starts.append((school_start, ServiceType.RETURN_TO_SCHOOL, True))  # ongoing
            for start_d, wanted, ongoing in starts:
                stype = ServiceType.MEDICAL
                for candidate in (wanted, ServiceType.CONTINUING_SUPPORT):
                    try:  # the entry rule's own check (training from 16, school at school age): no copies
                        check_service(facts, candidate, start_d)
                    except RuleViolation:
                        continue
                    stype = candidate
                    break
                due = start_d + timedelta(days=rng.choice([3, 7, 30, 90]))
                ongoing = ongoing and stype is ServiceType.RETURN_TO_SCHOOL
                done = not ongoing and due < today - timedelta(days=10) and rng.random() < 0.99
                services.append({**self._stamp(), "victim_id": vid, "service_type": stype,
                                 "responsible_unit": people.unit_name(stype.value),
                                 "cooperating_units": people.unit_name("women_federation") if rng.random() < 0.5 else None,
                                 "start_date": start_d, "due_date": None if ongoing else due,
                                 "end_date": due if done else None,
                                 # closing a file cancels what was still open on it (services/lifecycle.py)
                                 "status": ServiceStatus.DONE if done else (
                                     ServiceStatus.CANCELLED if closed else ServiceStatus.IN_PROGRESS),
                                 "willing": True if stype is ServiceType.VOCATIONAL_TRAINING else None,
                                 "notes": None})
            followups += self._visits(start + i, vid, town, row, rescue, closed)
            # legal aid: consent first, then the referral
            if rng.random() < self.spec.referrals_per_victim and not unknown:
                ref_day = self._date_between(rescue, min(today - timedelta(days=1), rescue + timedelta(days=400)))
                minor_then = protected_as_minor(row["birth_date"], row["estimated_birth_year"], ref_day)
                consent = {**self._stamp(), "victim_id": vid, "scope": ConsentScope.REFERRAL,
                           "given_by": ConsentGiver.GUARDIAN if minor_then else ConsentGiver.SELF,
                           "guardian_name": people.full_name(Sex.FEMALE) if minor_then else None,
                           "given_on": ref_day, "withdrawn_on": None, "notes": None}
                consents.append(consent)
                ref = {**self._stamp(), "victim_id": vid, "institution": rng.choice(INSTITUTIONS),
                       "matter": rng.choice(list(ReferralMatter)), "referral_date": ref_day, "green_channel": True,
                       "urgent_deadline": None, "status": ReferralStatus.REFERRED, "decision_date": None,
                       "lawyer_assigned_date": None, "lawyer": None, "concluded_date": None, "outcome": None,
                       "consent_id": consent["id"], "consent_override_reason": None, "notes": None}
                steps = [(ReferralStatus.REFERRED, ref_day)]
                age_days = (today - ref_day).days
                if age_days > 10 or rng.random() < 0.5:
                    d1 = ref_day + timedelta(days=rng.randint(1, 9))
                    if d1 <= today:
                        st = ReferralStatus.ACCEPTED if rng.random() < 0.9 else ReferralStatus.DECLINED
                        ref.update(status=st, decision_date=d1,
                                   outcome="不符合受理条件，已书面告知理由" if st is ReferralStatus.DECLINED else None)
                        steps.append((st, d1))
                        d2 = d1 + timedelta(days=rng.randint(1, 4))
                        if st is ReferralStatus.ACCEPTED and d2 <= today and rng.random() < 0.97:
                            ref.update(status=ReferralStatus.LAWYER_ASSIGNED, lawyer_assigned_date=d2,
                                       lawyer=f"{people.full_name(Sex.MALE)[0]}律师")
                            steps.append((ReferralStatus.LAWYER_ASSIGNED, d2))
                            d3 = d2 + timedelta(days=rng.randint(30, 300))
                            if d3 <= today:
                                ref.update(status=ReferralStatus.CONCLUDED, concluded_date=d3,
                                           outcome=rng.choice(["获得赔偿", "调解结案", "判决支持诉求"]))
                                steps.append((ReferralStatus.CONCLUDED, d3))
                referrals.append(ref)
                events += [{**self._stamp(), "referral_id": ref["id"], "status": st_, "at": d_, "note": None}
                           for st_, d_ in steps]
        c = self.counts
        c.cases += len(cases)
        c.victims += len(victims)
        c.followups += len(followups)
        c.services += len(services)
        c.referrals += len(referrals)
        c.placements += len(placements)
        c.consents += len(consents)
        return [(Case, cases), (Victim, victims), (Guardian, guardians), (BuyerHousehold, buyers),
                (ServiceRecord, services), (FollowUp, followups), (Consent, consents),
                (LegalAidReferral, referrals), (ReferralEvent, events), (Placement, placements)]

    def _visits(self, index: int, vid: str, town: Township, row: dict[str, Any], rescue: date, closed: bool) -> list[dict[str, Any]]:
        """A file's visits as a working township keeps them: done every two to four months, and on an open file
        most often the next one planned ahead; a few files have a visit left overdue (about one in ten) and a few
        none planned.  A closed file has only done visits, up to its closing."""
        rng, today = self.rng, self.today
        budget = max(1, self._poisson(self.spec.followups_per_victim))
        first = rescue + timedelta(days=rng.randint(20, 60))
        done_days: list[date] = []
        planned: date | None = None
        if closed:
            end = row["closed_on"]
            day = first
            while day <= end and len(done_days) < budget:
                done_days.append(day)
                day += timedelta(days=rng.randint(60, 120))
        else:
            fate = (index * 61 % 100 + rng.random()) / 100  # spread evenly over the files: the shares hold
            if fate < 0.09:  # overdue: the planned visit has not been made yet
                last = today - timedelta(days=rng.randint(100, 200))
                planned = last + timedelta(days=rng.randint(60, 95))
            elif fate < 0.17:  # nothing planned after the last visit
                last = today - timedelta(days=rng.randint(20, 240))
            else:  # the usual case: visited lately, the next visit planned
                last = today - timedelta(days=rng.randint(3, 85))
                planned = max(last + timedelta(days=rng.randint(60, 120)), today + timedelta(days=1))
            if last < first and planned is not None:  # a recent file: the first visit planned (late for a few)
                planned = first if fate < 0.09 and first < today else max(
                    first, today + timedelta(days=rng.randint(1, 30)))
            day = last
            while day >= first and len(done_days) < budget:
                done_days.append(day)
                day -= timedelta(days=rng.randint(60, 120))
            done_days.reverse()
        visits: list[dict[str, Any]] = []
        for day in done_days:
            minor = is_minor(row["birth_date"], row["estimated_birth_year"], day)
            visits.append(self._visit(vid, day, FollowUpStatus.DONE, town, minor))
        if planned is not None:
            visits.append(self._visit(vid, planned, FollowUpStatus.PLANNED, town, False))
        return visits

    def _visit(self, vid: str, day: date, status: FollowUpStatus, town: Township, minor: bool) -> dict[str, Any]:
        rng = self.rng
        fu = {**self._stamp(), "victim_id": vid, "caseworker_id": self.user_id, "planned_date": day,
              "method": rng.choice(list(FollowUpMethod)), "visitors": None, "living_situation": None,
              "schooling": None, "work": None, "health": None, "psychological": None, "needs": None,
              "difficulties": None, "referred_to_unit": None, "next_visit_date": None, "notes": None,
              "actual_date": None, "status": status}
        if status is FollowUpStatus.DONE:
            fu.update(actual_date=min(day + timedelta(days=rng.randint(0, 5)), self.today),
                      visitors=f"{town.name}民政办", living_situation=rng.choice(
                          ["生活稳定", "与家人同住，情况良好", "暂住亲戚家", "在外务工，电话联系正常"]),
                      health=rng.choice(["良好", "一般", "需定期复查"]),
                      psychological=rng.choice(["情绪稳定", "偶有焦虑，已联系社工", "良好"]),
                      schooling=rng.choice(["在校就读", "已返校，学习正常", "就读寄宿学校"]) if minor else None,
                      needs=rng.choice([None, "就业帮扶", "子女入学", "医疗费用"]))
        return fu

    def _poisson(self, mean: float) -> int:
        # Small-mean Poisson by inversion: enough realism for synthetic counts.
        limit, k, p = pow(2.718281828459045, -mean), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k


def demo_users(users: UserService, password: str, townships: int) -> list[str]:
    """One caseworker per demo township (cw01, cw02, …) and a supervisor, all with the demo password."""
    logins = []
    with users.uow.read() as s:
        names = [t.name for t in s.scalars(select(Township).order_by(Township.code))][:townships]
        existing = set(s.scalars(select(User.login)))
    for i, name in enumerate(names, start=1):
        login = f"cw{i:02d}"
        if login not in existing:
            users.add(login, password, Role.CASEWORKER, name, display_name=f"{name}社工")
            logins.append(login)
    if "supervisor" not in existing:
        users.add("supervisor", password, Role.SUPERVISOR, None, display_name="县民政局督导")
        logins.append("supervisor")
    return logins
