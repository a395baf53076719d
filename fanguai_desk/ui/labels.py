"""Visible names of enum values and of the core's field keys, through Qt's translation.

Enum labels: English source = ``domain.labels.label_en`` (context ``Enum.<Class>``); their Chinese comes from
``domain/labels.py`` via ``i18n/sync_core_texts.py``.  Field labels are the UI's own (context ``Fields``);
they also name the field in core messages such as "Required: {field}".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from fanguai_desk.domain.labels import label_en

translate = QCoreApplication.translate


def enum_label(value: StrEnum | None, empty: str = "") -> str:
    if value is None:
        return empty
    return translate("Enum." + type(value).__name__, label_en(value))


_FIELD_SOURCES: dict[str, object] = {
    # victim file
    "name": QT_TRANSLATE_NOOP("Fields", "Name"),
    "alias": QT_TRANSLATE_NOOP("Fields", "Alias"),
    "hidden_name": QT_TRANSLATE_NOOP("Fields", "Hide name in lists"),
    "sex": QT_TRANSLATE_NOOP("Fields", "Sex"),
    "birth_date": QT_TRANSLATE_NOOP("Fields", "Date of birth"),
    "estimated_birth_year": QT_TRANSLATE_NOOP("Fields", "Estimated birth year"),
    "id_number": QT_TRANSLATE_NOOP("Fields", "Resident ID number"),
    "identity_status": QT_TRANSLATE_NOOP("Fields", "Identity"),
    "identified_on": QT_TRANSLATE_NOOP("Fields", "Identified on"),
    "township": QT_TRANSLATE_NOOP("Fields", "Township"),
    "case_id": QT_TRANSLATE_NOOP("Fields", "Case"),
    "caseworker_id": QT_TRANSLATE_NOOP("Fields", "Responsible caseworker"),
    "ethnicity": QT_TRANSLATE_NOOP("Fields", "Ethnicity"),
    "nationality": QT_TRANSLATE_NOOP("Fields", "Nationality"),
    "household_registration": QT_TRANSLATE_NOOP("Fields", "Household registration (hukou)"),
    "current_residence": QT_TRANSLATE_NOOP("Fields", "Current residence"),
    "phone": QT_TRANSLATE_NOOP("Fields", "Phone"),
    "disability": QT_TRANSLATE_NOOP("Fields", "Disability"),
    "disability_grade": QT_TRANSLATE_NOOP("Fields", "Assessed disability grade"),
    "rescue_date": QT_TRANSLATE_NOOP("Fields", "Rescue date"),
    "rescue_unit": QT_TRANSLATE_NOOP("Fields", "Rescuing unit"),
    "arrived_at_institution_on": QT_TRANSLATE_NOOP("Fields", "Arrived at the institution on"),
    "attention_flag": QT_TRANSLATE_NOOP("Fields", "Flag for attention"),
    "attention_message": QT_TRANSLATE_NOOP("Fields", "Attention message"),
    "notes": QT_TRANSLATE_NOOP("Fields", "Notes"),
    "file_number": QT_TRANSLATE_NOOP("Fields", "File number"),
    "guardians": QT_TRANSLATE_NOOP("Fields", "Guardians"),
    "buyer_households": QT_TRANSLATE_NOOP("Fields", "Buyer households"),
    # guardian / buyer household
    "relation": QT_TRANSLATE_NOOP("Fields", "Relation"),
    "address": QT_TRANSLATE_NOOP("Fields", "Address"),
    "head_name": QT_TRANSLATE_NOOP("Fields", "Head of household"),
    "member_id_numbers": QT_TRANSLATE_NOOP("Fields", "Members' ID numbers"),
    # case
    "police_case_ref": QT_TRANSLATE_NOOP("Fields", "Police case number"),
    "handling_unit": QT_TRANSLATE_NOOP("Fields", "Handling unit"),
    "opened_on": QT_TRANSLATE_NOOP("Fields", "Opened on"),
    "incident_date": QT_TRANSLATE_NOOP("Fields", "Incident date"),
    "place": QT_TRANSLATE_NOOP("Fields", "Place"),
    "exploitation_type": QT_TRANSLATE_NOOP("Fields", "Type of exploitation"),
    "summary": QT_TRANSLATE_NOOP("Fields", "Summary"),
    # services
    "service_type": QT_TRANSLATE_NOOP("Fields", "Service"),
    "responsible_unit": QT_TRANSLATE_NOOP("Fields", "Responsible unit"),
    "cooperating_units": QT_TRANSLATE_NOOP("Fields", "Cooperating units"),
    "start_date": QT_TRANSLATE_NOOP("Fields", "Start date"),
    "due_date": QT_TRANSLATE_NOOP("Fields", "Due date"),
    "end_date": QT_TRANSLATE_NOOP("Fields", "End date"),
    "status": QT_TRANSLATE_NOOP("Fields", "Status"),
    "willing": QT_TRANSLATE_NOOP("Fields", "The person wishes to be trained"),
    # follow-ups
    "planned_date": QT_TRANSLATE_NOOP("Fields", "Planned date"),
    "actual_date": QT_TRANSLATE_NOOP("Fields", "Visit date"),
    "method": QT_TRANSLATE_NOOP("Fields", "Method"),
    "visitors": QT_TRANSLATE_NOOP("Fields", "Visitors"),
    "living_situation": QT_TRANSLATE_NOOP("Fields", "Living situation"),
    "schooling": QT_TRANSLATE_NOOP("Fields", "Schooling"),
    "work": QT_TRANSLATE_NOOP("Fields", "Work"),
    "health": QT_TRANSLATE_NOOP("Fields", "Health"),
    "psychological": QT_TRANSLATE_NOOP("Fields", "Psychological state"),
    "needs": QT_TRANSLATE_NOOP("Fields", "Needs found"),
    "difficulties": QT_TRANSLATE_NOOP("Fields", "Difficulties"),
    "referred_to_unit": QT_TRANSLATE_NOOP("Fields", "Difficulties referred to"),
    "next_visit_date": QT_TRANSLATE_NOOP("Fields", "Next visit"),
    # legal aid
    "institution": QT_TRANSLATE_NOOP("Fields", "Institution"),
    "matter": QT_TRANSLATE_NOOP("Fields", "Matter"),
    "referral_date": QT_TRANSLATE_NOOP("Fields", "Referral date"),
    "green_channel": QT_TRANSLATE_NOOP("Fields", "Green channel (priority handling)"),
    "urgent_deadline": QT_TRANSLATE_NOOP("Fields", "Legal deadline (if urgent)"),
    "consent_override_reason": QT_TRANSLATE_NOOP("Fields", "Reason for proceeding without consent"),
    "date": QT_TRANSLATE_NOOP("Fields", "Date"),
    "note": QT_TRANSLATE_NOOP("Fields", "Note"),
    "lawyer": QT_TRANSLATE_NOOP("Fields", "Lawyer"),
    "outcome": QT_TRANSLATE_NOOP("Fields", "Outcome"),
    # placement
    "state": QT_TRANSLATE_NOOP("Fields", "Placement"),
    "household_head": QT_TRANSLATE_NOOP("Fields", "Head of the receiving household"),
    "caregiver_id_number": QT_TRANSLATE_NOOP("Fields", "Caregiver's ID number"),
    "is_buyer_household": QT_TRANSLATE_NOOP("Fields", "This is the buyer household"),
    # consent
    "scope": QT_TRANSLATE_NOOP("Fields", "Consent to"),
    "given_by": QT_TRANSLATE_NOOP("Fields", "Given by"),
    "guardian_name": QT_TRANSLATE_NOOP("Fields", "Guardian's name"),
    "given_on": QT_TRANSLATE_NOOP("Fields", "Given on"),
    "withdrawn_on": QT_TRANSLATE_NOOP("Fields", "Withdrawn on"),
    # closure
    "reason": QT_TRANSLATE_NOOP("Fields", "Reason"),
    "closed_on": QT_TRANSLATE_NOOP("Fields", "Closed on"),
    "retention_years": QT_TRANSLATE_NOOP("Fields", "Retention (years)"),
    "closure_reason": QT_TRANSLATE_NOOP("Fields", "Reason for closing"),
    "closure_note": QT_TRANSLATE_NOOP("Fields", "Closing note"),
    "reopen_reason": QT_TRANSLATE_NOOP("Fields", "Reason for reopening"),
    "reopened_on": QT_TRANSLATE_NOOP("Fields", "Reopened on"),
    "transferred_to": QT_TRANSLATE_NOOP("Fields", "Transferred to"),
    "no_contact_days": QT_TRANSLATE_NOOP("Fields", "Flag files without contact for (days)"),
    "delete_window_days": QT_TRANSLATE_NOOP("Fields", "Files entered by mistake can be deleted within (days)"),
    # users, registry
    "login": QT_TRANSLATE_NOOP("Fields", "User name"),
    "display_name": QT_TRANSLATE_NOOP("Fields", "Display name"),
    "role": QT_TRANSLATE_NOOP("Fields", "Role"),
    "password": QT_TRANSLATE_NOOP("Fields", "Password"),
    "victim": QT_TRANSLATE_NOOP("Fields", "File"),
    "filename": QT_TRANSLATE_NOOP("Fields", "File name"),
    "county_name": QT_TRANSLATE_NOOP("Fields", "County"),
    "county_code": QT_TRANSLATE_NOOP("Fields", "County code"),
    "idle_lock_minutes": QT_TRANSLATE_NOOP("Fields", "Lock after idle (minutes)"),
    "referral_wait_days": QT_TRANSLATE_NOOP("Fields", "Flag legal-aid referrals waiting longer than (days)"),
    "backup_reminder_days": QT_TRANSLATE_NOOP("Fields", "Backup reminder (days)"),
    "attachment_max_mb": QT_TRANSLATE_NOOP("Fields", "Largest attachment"),
}


FIELD_LABELS: dict[str, str] = {k: str(v) for k, v in _FIELD_SOURCES.items()}


def field_label(key: str) -> str:
    source = FIELD_LABELS.get(key)
    if source is None:
        return key
    return translate("Fields", source)


_DEADLINES: dict[str, object] = {
    "decision": QT_TRANSLATE_NOOP("Deadlines", "decision by %1"),
    "lawyer": QT_TRANSLATE_NOOP("Deadlines", "lawyer by %1"),
    "materials": QT_TRANSLATE_NOOP("Deadlines", "waiting for materials (clock paused)"),
    "objection": QT_TRANSLATE_NOOP("Deadlines", "objection possible (Legal Aid Law art. 49)"),
    "review": QT_TRANSLATE_NOOP("Deadlines", "objection reviewed by %1"),
    "overdue": QT_TRANSLATE_NOOP("Deadlines", "(overdue)"),
    "urgent": QT_TRANSLATE_NOOP("Deadlines", "URGENT (art. 44)"),
}


def deadline_text(clock: Any) -> str:
    """A referral's running deadline, as every list and the file's tab show it (``services.referrals.clock_of``)."""
    def t(key: str) -> str:
        return translate("Deadlines", str(_DEADLINES[key]))

    when = {"decision": clock.decision_due, "lawyer": clock.lawyer_due, "review": clock.review_due}.get(clock.stage)
    if clock.stage not in _DEADLINES:
        return ""
    text = t(clock.stage)
    if when is not None:
        from fanguai_desk.ui.i18n import format_date

        text = text.replace("%1", format_date(when))
    if clock.overdue:
        text += " " + t("overdue")
    if clock.urgent and clock.stage in ("decision", "lawyer", "materials"):
        text = t("urgent") + " · " + text
    return text
