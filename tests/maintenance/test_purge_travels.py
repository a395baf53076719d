"""A purge on the township laptop reaches the supervisor as a tombstone in the next export, and the
supervisor's copy of the file (and its history) goes too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.services.purge import PurgeReason
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.models import ChangeEntry, FollowUp, Tombstone, Victim
from tests.exchange.conftest import Templates, open_desk
from tests.helpers import closed_long_ago

pytestmark = pytest.mark.slow  # builds the exchange tests' certificates (RSA keys) once per session


def test_purge_travels_to_the_supervisor_as_a_tombstone(templates: Templates, tmp_path: Path) -> None:
    sup, town = templates.copy("sup", tmp_path), templates.copy("town_a", tmp_path)
    d = open_desk(town)
    try:
        vid = d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
        first = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    s = open_desk(sup)
    try:
        s.exchange.import_bundle(first)
        with s.read() as ss:
            assert ss.get(Victim, vid) is not None
            visits = set(ss.scalars(select(FollowUp.id).where(FollowUp.victim_id == vid)))
    finally:
        s.close()

    d = open_desk(town)
    try:
        d.lifecycle.close(vid, "returned_home", closed_on="2015-06-01")
        closed_long_ago(d, vid, date(2015, 6, 1))
        d.purge.purge([vid], PurgeReason.RETENTION_EXPIRED)
        second = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    s = open_desk(sup)
    try:
        s.exchange.import_bundle(second)
        with s.read() as ss:
            assert ss.get(Victim, vid) is None
            assert not set(ss.scalars(select(FollowUp.id).where(FollowUp.id.in_(visits))))
            tomb = ss.get(Tombstone, vid)
            assert tomb is not None and tomb.reason == "purged"
            assert ss.scalar(select(ChangeEntry.seq).where(ChangeEntry.record_id == vid)) is None
    finally:
        s.close()
