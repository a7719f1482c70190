"""Engagements and settings: which customer the engineer is working for, and who they are."""

from __future__ import annotations

import getpass
import os
import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.models import Engagement, Settings
from sitedash.services.identity import ascii_base, slug
from sitedash.services.timeutil import check_zone
from sitedash.textsafe import clean_line

if TYPE_CHECKING:
    from sitedash.services.templates import Templates
    from sitedash.storage import Store

MAX_ID = 32
MAX_NAME = 200
_CONSONANTS = "bdfghjklmnprstvz"
_VOWELS = "aeiu"


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


def check_engineer(name: str) -> str:
    """The engineer's name as typed: one line, not empty, not huge."""
    value = clean_line(name)
    if not value:
        raise InputError(t("your name is empty: type the name reports should carry"))
    if len(value) > MAX_NAME:
        raise InputError(t("your name is longer than {limit} characters", limit=MAX_NAME))
    return value


def set_engineer(store: Store, name: str) -> str:
    """Store the engineer's name (Settings), checked; returns it."""
    value = check_engineer(name)
    with store.transaction():
        settings = store.settings()
        if settings.engineer != value:
            settings.engineer = value
            store.save_settings(settings)
    return value


def syllables(text: str, count: int) -> str:
    """A short pronounceable word made from a hash of `text` ("bazu", "kilodema"):
    stable for the same text, easier to read and say than hex digits."""
    normal = unicodedata.normalize("NFC", clean_line(text)).casefold()
    import hashlib  # rarely needed: not loaded by every command (issue 23)

    digest = hashlib.sha256(normal.encode("utf-8")).digest()
    return "".join(
        _CONSONANTS[digest[i] % len(_CONSONANTS)] + _VOWELS[digest[i] // 64] for i in range(count)
    )


def engagement_id(name: str) -> str:
    """A stable, readable id from an engagement's name: ASCII words, accented letters
    kept as their base ("MES roll-out, Győr" -> "mes-roll-out-gyor"); letters without an
    ASCII base (CJK, Cyrillic) become a short pronounceable word made from the name, so
    "ERP 采购模块上线" -> "erp-" + 4 letters, "苏州工厂上线" -> 8 letters."""
    words = slug(name, limit=MAX_ID)
    _, lost = ascii_base(name)
    if not words:
        return syllables(name, 4)
    if lost:
        return f"{slug(name, limit=MAX_ID - 5)}-{syllables(name, 2)}"
    return words


def slugify(name: str, taken: set[str]) -> str:
    """An id for a new engagement, made unique among `taken` ("gyor", "gyor-2")."""
    base = engagement_id(name) or "engagement"
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
    """`--engagement ID` or the active one; a clear error when there is none.

    An empty ID is a mistake (`--engagement "$ID"` with ID unset), not "the active one".
    """
    if wanted is not None:
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
            t(
                "no engagement yet: create one with `sitedash engagement new NAME` "
                "(or in the dashboard, key E), or try `sitedash --demo`"
            )
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
    return engagement


def save_new_engagement(
    store: Store,
    engagement: Engagement,
    *,
    activate: bool = True,
    engineer: str | None = None,
) -> Engagement:
    """Store a new engagement under a unique id and make it the active one; with
    `engineer`, also the engineer's name (the first run asks for it)."""
    return new_engagement(store, engagement, activate=activate, engineer=engineer)[0]


def new_engagement(
    store: Store,
    engagement: Engagement,
    *,
    activate: bool = True,
    source: str | None = None,
    engineer: str | None = None,
) -> tuple[Engagement, Templates | None]:
    """Store a new engagement under a unique id, from the standard checklists or from
    the templates of the past engagement `source` (`engagement new --from ID`), in one
    write; returns it and the templates taken."""
    # Imported here: the quick commands resolve engagements without these (issue 23).
    from sitedash.services.overview import standard_checks
    from sitedash.services.signoff import standard_checklist
    from sitedash.services.templates import save_templates, templates_from

    check_engagement(engagement)
    name = check_engineer(engineer) if engineer is not None else None
    templates = None
    with store.transaction():
        if source is not None:
            resolve_engagement(store, source)  # one line naming the known ids
        engagement.id = slugify(
            engagement.id or engagement.name, {e.id for e in store.engagements()}
        )
        store.save_engagement(engagement)
        if source is not None:
            templates = templates_from(store, source, engagement.id)
            save_templates(store, templates)
        else:
            # Every engagement starts with the standard acceptance pack and the seeds'
            # environment and deployment checklists, to be edited.
            store.save_acceptance_items(standard_checklist(engagement.id))
            store.save_checks(standard_checks(engagement.id))
        if name is not None:
            set_engineer(store, name)
        if activate:
            switch_engagement(store, engagement.id)
    return engagement, templates


def days_on_site(engagement: Engagement, today: date) -> int | None:
    if engagement.start is None:
        return None
    return (today - engagement.start).days + 1
