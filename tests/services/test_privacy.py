"""Privacy in the core: masked views of every record of a file; clear values only through the audited reveal."""

from __future__ import annotations

import json

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.services.desk import Desk


def test_masked_file_hides_every_identifying_field_and_reveal_file_audits_what_it_showed(desk: Desk) -> None:
    vid, _ = desk.victims.register({
        "name": "上官婉儿", "birth_date": "2013-06-07", "phone": "13800001234", "current_residence": "石门村3组12号",
        "guardians": [{"name": "上官大河", "phone": "13900002222", "address": "石门村3组12号"}],
        "buyer_households": [{"head_name": "石大山", "address": "桃源村5组12号"}]})
    desk.placements.add(vid, {"state": "returned_to_birth_parents", "start_date": "2026-01-05",
                              "household_head": "上官大河", "address": "石门村3组12号"})
    desk.consents.add(vid, {"scope": "referral", "given_by": "guardian", "guardian_name": "上官大河",
                            "given_on": "2026-01-05"})
    view = json.dumps(desk.victims.masked_file(vid), ensure_ascii=False, default=str)
    for secret in ("上官婉儿", "上官大河", "13800001234", "13900002222", "3组12号", "石大山", "桃源村5组", "2013-06-07"):
        assert secret not in view, secret
    assert "上官**" in view and "上官**" in view
    clear = desk.victims.reveal_file(vid, "test")
    assert clear["victim"]["name"] == "上官婉儿" and clear["consents"][0]["guardian_name"] == "上官大河"
    reveal = [e for e in desk.victims.audit_trail(vid) if e.action is AuditAction.REVEAL][-1]
    detail = json.loads(reveal.detail)
    assert {"victim.name", "guardians.name", "placements.household_head", "consents.guardian_name",
            "buyer_households.head_name"} <= set(detail["fields"])
    assert "上官" not in reveal.detail
