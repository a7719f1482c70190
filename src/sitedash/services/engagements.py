"""Engagements and settings: which customer the engineer is working for, and who they are."""

from __future__ import annotations

import getpass
import os
import re
from datetime import date

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.models import ChecklistEntry, Contact, Engagement, Settings
from sitedash.services.signoff import standard_checklist
from sitedash.services.timeutil import check_zone
from sitedash.storage import Store
from sitedash.textsafe import clean_line

_SLUG = re.compile(r"[^a-z0-9]+")


def default_contacts() -> list[Contact]:
    """The seed's emergency contact table, to be filled in."""
    return [
        Contact(role=t("Customer PM"), name=""),
        Contact(role=t("Customer IT contact"), name=""),
        Contact(role=t("Local liaison"), name=""),
        Contact(role=t("HQ remote support"), name=""),
    ]


def default_checklist() -> list[ChecklistEntry]:
    """The pre-arrival environment check and toolkit (驻点环境检查表)."""
    return [
        ChecklistEntry(t("Servers: OS, CPU, memory, disk as required")),
        ChecklistEntry(t("Network: topology, firewall ports, VPN to HQ")),
        ChecklistEntry(t("Database: version and accounts confirmed")),
        ChecklistEntry(t("Accounts and permissions for the engineer")),
        ChecklistEntry(t("Toolkit: SQL client, log analyser, backup drive, local test env")),
    ]


def default_engineer_name() -> str:
    """The OS account's full name, else the login name."""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos
    except (ImportError, KeyError):
        pass
    try:
        return getpass.getuser()
    except OSError:
        return "engineer"


def engineer_name(settings: Settings) -> str:
    """The name on reports: the setting, else the account's (cleaned: it is not typed
    through a form)."""
    return settings.engineer or clean_line(default_engineer_name())


def slugify(name: str, taken: set[str]) -> str:
    """An id for a new engagement: ascii words from its name, made unique."""
    base = _SLUG.sub("-", name.lower()).strip("-")[:32] or "engagement"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def active_engagement(store: Store, settings: Settings | None = None) -> Engagement | None:
    """The engagement the engineer works on now: the chosen one, else the only one."""
    settings = settings or store.settings()
    if settings.active_engagement:
        found = store.engagement(settings.active_engagement)
        if found:
            return found
    engagements = store.engagements()
    return engagements[0] if len(engagements) == 1 else None


def resolve_engagement(store: Store, wanted: str | None) -> Engagement:
    """`--engagement ID` or the active one; a clear error when there is none."""
    if wanted:
        found = store.engagement(wanted)
        if found is None:
            ids = ", ".join(e.id for e in store.engagements()) or t("none yet")
            raise InputError(t("no engagement {id!r}; known: {ids}", id=wanted, ids=ids))
        return found
    found = active_engagement(store)
    if found is None:
        if store.engagements():
            raise InputError(t("several engagements and none active: pass --engagement ID"))
        raise InputError(
            t("no engagement yet: open `sitedash` and create one (key E), or try `sitedash --demo`")
        )
    return found


def switch_engagement(store: Store, engagement_id: str) -> None:
    settings = store.settings()
    settings.active_engagement = engagement_id
    store.save_settings(settings)


def check_engagement(engagement: Engagement) -> Engagement:
    """Validate and clean an engagement a user edited; raises InputError."""
    engagement.name = clean_line(engagement.name)
    if not engagement.name:
        raise InputError(t("the engagement needs a name"))
    engagement.customer = clean_line(engagement.customer)
    engagement.site = clean_line(engagement.site)
    engagement.site_tz = check_zone(engagement.site_tz.strip())
    engagement.hq_tz = check_zone(engagement.hq_tz.strip())
    if engagement.start and engagement.end and engagement.end < engagement.start:
        raise InputError(t("the engagement ends before it starts"))
    for contact in engagement.contacts:
        contact.role, contact.name = clean_line(contact.role), clean_line(contact.name)
        contact.phone, contact.email = clean_line(contact.phone), clean_line(contact.email)
    for entry in engagement.checklist:
        entry.text = clean_line(entry.text)
    engagement.checklist = [e for e in engagement.checklist if e.text]
    return engagement


def save_new_engagement(
    store: Store, engagement: Engagement, *, activate: bool = True
) -> Engagement:
    """Store a new engagement under a unique id and make it the active one."""
    check_engagement(engagement)
    with store.transaction():
        engagement.id = slugify(
            engagement.id or engagement.name, {e.id for e in store.engagements()}
        )
        store.save_engagement(engagement)
        # Every engagement starts with the standard acceptance pack, to be edited.
        store.save_acceptance_items(standard_checklist(engagement.id))
        if activate:
            switch_engagement(store, engagement.id)
    return engagement


def days_on_site(engagement: Engagement, today: date) -> int | None:
    if engagement.start is None:
        return None
    return (today - engagement.start).days + 1
