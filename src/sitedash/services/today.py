"""The day's plan and the stand-up: adding, ordering, carrying over, deriving progress."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sitedash.errors import InputError
from sitedash.i18n import t, weekday_name
from sitedash.models import Category, DayNote, Engagement, PlanItem, PlanStatus
from sitedash.services.timeutil import work_day, zone
from sitedash.storage import Store
from sitedash.textsafe import clean, clean_line

if TYPE_CHECKING:
    from sitedash.services.overview import Problem

MAX_TITLE = 300
MAX_NOTE = 20_000
MAX_ESTIMATE_MIN = 24 * 60
STANDUP_LOOKBACK_DAYS = 14
"""How far back "yesterday's progress" looks for the last day with a plan (weekends)."""

_ESTIMATE = re.compile(r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+)(?:m|min)?)?$")
"""`1h30m`, `1h30` (the minutes' m can go after hours), `1.5h`, `2h`, `45m`, `45min`."""


def category_label(category: Category) -> str:
    return {
        Category.DEPLOY: t("deploy"),
        Category.CONFIGURE: t("configure"),
        Category.MIGRATION: t("data migration"),
        Category.TESTING: t("testing"),
        Category.TRAINING: t("training"),
        Category.MEETING: t("meeting"),
        Category.DOCUMENTATION: t("documentation"),
        Category.SUPPORT: t("support"),
    }[category]


def status_label(status: PlanStatus) -> str:
    return {
        PlanStatus.TODO: t("todo"),
        PlanStatus.DOING: t("doing"),
        PlanStatus.DONE: t("done"),
        PlanStatus.DROPPED: t("dropped"),
    }[status]


def parse_category(text: str) -> Category:
    """A category by its English name, its label in the current language, or a prefix."""
    wanted = text.strip().lower()
    for category in Category:
        if wanted in (category.value, category_label(category).lower()):
            return category
    matches = [c for c in Category if c.value.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(c.value for c in Category)
    raise InputError(t("unknown category {text!r}: use one of {names}", text=text, names=names))


def parse_estimate(text: str) -> int:
    """Minutes from `30m`, `1h30m`, `1h30`, `1.5h`, `2h` or a bare number of minutes;
    "" is 0."""
    value = text.strip().lower().replace(" ", "")
    if not value:
        return 0
    if value.isdigit():
        minutes = int(value)
    else:
        match = _ESTIMATE.match(value)
        hours, rest = (match.group("h"), match.group("m")) if match else (None, None)
        # After hours, the minutes are of the hour: `1h60` is no way to write 2h.
        if not (hours or rest) or (hours and rest and int(rest) >= 60):
            raise InputError(t("bad estimate {text!r}: use e.g. 30m, 1h30m or 2h", text=text))
        minutes = round(float(hours or 0) * 60) + int(rest or 0)
    if minutes > MAX_ESTIMATE_MIN:
        raise InputError(t("estimate {text!r} is longer than a day", text=text))
    return minutes


def format_minutes(minutes: int) -> str:
    """`90` -> `1h30m`; `0` -> `` (no estimate)."""
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


def check_title(text: str) -> str:
    """A cleaned, non-empty, one-line title of reasonable length."""
    title = clean_line(text)
    if not title:
        raise InputError(t("the title is empty: type what the item is about"))
    if len(title) > MAX_TITLE:
        raise InputError(
            t(
                "the title is {n} characters long; keep it under {limit}, details go in the note",
                n=len(title),
                limit=MAX_TITLE,
            )
        )
    return title


def check_note(text: str) -> str:
    note = clean(text)
    if len(note) > MAX_NOTE:
        raise InputError(
            t("the note is {n} characters long; the limit is {limit}", n=len(note), limit=MAX_NOTE)
        )
    return note


def today_for(engagement: Engagement | None, now: datetime, day_starts_at: str) -> date:
    """The work day it is now at the engagement's site."""
    return work_day(now, zone(engagement.site_tz if engagement else None), day_starts_at)


def add_item(
    store: Store,
    engagement: str,
    day: date,
    title: str,
    *,
    category: Category = Category.SUPPORT,
    estimate_min: int = 0,
    note: str = "",
) -> PlanItem:
    """Append a new item at the end of the day's plan."""
    with store.transaction():
        existing = store.plan_items(day, engagement)
        item = PlanItem(
            title=check_title(title),
            day=day,
            engagement=engagement,
            category=category,
            estimate_min=estimate_min,
            note=check_note(note),
            position=max((i.position for i in existing), default=-1) + 1,
        )
        store.add_plan_items([item])
    return item


def set_status(store: Store, item: PlanItem, status: PlanStatus) -> None:
    item.status = status
    store.update_plan_items([item])


def move_item(store: Store, items: Sequence[PlanItem], index: int, delta: int) -> int:
    """Move items[index] up (-1) or down (+1) in the day's order; returns its new index."""
    target = index + delta
    if not (0 <= index < len(items) and 0 <= target < len(items)):
        return index
    ordered = list(items)
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    store.update_plan_items(ordered)
    return target


def carry_over_candidates(store: Store, engagement: str, day: date) -> list[PlanItem]:
    """Unfinished items of days before `day` that have not been carried forward yet.

    An item counts as carried once a later item names it in `carried_from`; that link is
    written in the same single write that creates the copy, so a crash can never leave
    an item both carried and offered again, or neither.
    """
    unfinished, continued = store.unfinished_plan_items(engagement, before=day)
    return [i for i in unfinished if i.id not in continued]


def carry_over_state(store: Store, engagement: str, day: date) -> tuple[list[PlanItem], set[str]]:
    """The carry-over candidates for `day`, and the ids of every item carried forward."""
    unfinished, continued = store.unfinished_plan_items(engagement, before=day)
    return [i for i in unfinished if i.id not in continued], continued


def carried_ids(items: Sequence[PlanItem]) -> set[str]:
    return {i.carried_from for i in items if i.carried_from}


def carry_over(store: Store, items: Sequence[PlanItem], day: date) -> list[PlanItem]:
    """Copy unfinished items to `day`, after the day's existing items."""
    if not items:
        return []
    with store.transaction():
        engagement = items[0].engagement
        # Re-check inside the lock: another terminal may have carried them already.
        still_open = {i.id for i in carry_over_candidates(store, engagement, day)}
        existing = store.plan_items(day, engagement)
        position = max((i.position for i in existing), default=-1) + 1
        copies = []
        for offset, item in enumerate(i for i in items if i.id in still_open):
            copies.append(
                PlanItem(
                    title=item.title,
                    day=day,
                    engagement=item.engagement,
                    category=item.category,
                    estimate_min=item.estimate_min,
                    status=PlanStatus.TODO,
                    position=position + offset,
                    carried_from=item.id,
                    note=item.note,
                )
            )
        store.add_plan_items(copies)
    return copies


@dataclass(slots=True)
class Standup:
    """The four stand-up questions for one day (from the seed's 15-minute stand-up)."""

    day: date
    previous_day: date | None
    """The last earlier day with a plan ("yesterday" on a Monday is Friday)."""
    progress: list[PlanItem]
    """Done on the previous day: yesterday's progress."""
    plan: list[PlanItem]
    """Today's plan (not dropped)."""
    note: DayNote
    """Blockers / help needed, resources to coordinate, the daily-sync note."""
    problems: list[Problem] = field(default_factory=list)
    """Problems the plan raises by itself, beside the engineer's own: late and at-risk
    milestones, risks whose trigger date has come (services.overview)."""


def standup(store: Store, engagement: str, day: date) -> Standup:
    # Imported here: the overview's rules build on this module's checks.
    from sitedash.services.overview import overview

    earlier = store.plan_items_between(
        day - timedelta(days=STANDUP_LOOKBACK_DAYS), day - timedelta(days=1), engagement
    )
    previous_day = max((i.day for i in earlier), default=None)
    progress = [i for i in earlier if i.day == previous_day and i.status is PlanStatus.DONE]
    plan = [i for i in store.plan_items(day, engagement) if i.status is not PlanStatus.DROPPED]
    problems = overview(store, engagement, day).problems()
    return Standup(day, previous_day, progress, plan, store.day_note(day, engagement), problems)


_BULLET = re.compile(r"^(?:[-*•·+]|\d+[.)、])\s+")
"""A list marker the engineer typed at the start of a note's line (`- `, `• `, `1. `)."""


def progress_heading(standup: Standup) -> str:
    """The stand-up's first part: yesterday's progress, or the last day worked on."""
    if standup.previous_day is None:
        return t("Yesterday's progress")
    day = standup.previous_day
    return t("Progress on {day}", day=f"{weekday_name(day)} {day.isoformat()}")


def standup_text(standup: Standup, engagement: Engagement | None = None) -> str:
    """The stand-up as plain text for a chat: WeChat, DingTalk, Teams and Slack show
    it as it is, so no Markdown tables or `#` headings, only short heading lines, `-`
    bullets and a numbered plan. User text is data: control characters and escape
    sequences are stripped, and nothing is made into markup."""
    day = f"{weekday_name(standup.day)} {standup.day.isoformat()}"
    title = t("Stand-up {day}", day=day)
    name = clean_line(engagement.name) if engagement is not None else ""
    if name:
        title += f" · {name}"
    lines = [title, "", _heading(progress_heading(standup))]
    lines += _bullets([i.title for i in standup.progress], t("nothing recorded as done"))
    lines += ["", _heading(t("Today's plan"))]
    for number, item in enumerate(standup.plan, 1):
        about = [format_minutes(item.estimate_min)]
        if item.status in (PlanStatus.DOING, PlanStatus.DONE):
            about.append(status_label(item.status))
        shown = ", ".join(a for a in about if a)
        lines.append(f"{number}. {clean_line(item.title)}" + (f" ({shown})" if shown else ""))
    if not standup.plan:
        lines.append(f"- {t('nothing planned yet')}")
    note = standup.note
    lines += ["", _heading(t("Problems met / help needed"))]
    lines += _bullets([*_note_lines(note.blockers), *(p.text for p in standup.problems)], t("none"))
    lines += ["", _heading(t("Resources to coordinate"))]
    lines += _bullets(_note_lines(note.resources), t("none"))
    sync = _note_lines(note.sync_note)
    if sync:
        lines += ["", _heading(t("Customer daily sync"))]
        lines += _bullets(sync, "")
    return "\n".join(lines) + "\n"


def _heading(text: str) -> str:
    return f"{text}:"  # the catalogue's Chinese uses the same colon


def _note_lines(text: str) -> list[str]:
    """A note's non-empty lines, without the list marker the engineer typed."""
    lines = (_BULLET.sub("", clean_line(line)) for line in clean(text).split("\n"))
    return [line for line in lines if line]


def _bullets(texts: Sequence[str], empty: str) -> list[str]:
    shown = [clean_line(text) for text in texts]
    shown = [text for text in shown if text]
    return [f"- {text}" for text in shown] if shown else [f"- {empty}"]


def save_note(store: Store, note: DayNote) -> None:
    note.blockers = check_note(note.blockers)
    note.resources = check_note(note.resources)
    note.sync_note = check_note(note.sync_note)
    store.save_day_note(note)


NOTE_FIELDS = ("blockers", "resources", "sync_note")


def save_note_fields(store: Store, base: DayNote, edits: dict[str, str]) -> tuple[DayNote, bool]:
    """Save edited note fields without losing what another terminal wrote meanwhile.

    `base` is the note as the screen loaded it. A field that changed in the store since
    (e.g. `sitedash add note` appended a line) is merged: the user's text first, then
    what was added elsewhere. Returns the stored note and whether a merge happened.
    """
    merged = False
    with store.transaction():
        current = store.day_note(base.day, base.engagement)
        for field, mine in edits.items():
            if field not in NOTE_FIELDS:
                raise ValueError(field)
            stored, original = getattr(current, field), getattr(base, field)
            if stored != original and stored != mine:
                added = stored[len(original) :] if stored.startswith(original) else stored
                if added.strip() and added.strip() not in mine:
                    mine = f"{mine.rstrip()}\n{added.strip()}" if mine.strip() else added.strip()
                    merged = True
            setattr(current, field, mine)
        save_note(store, current)
    return current, merged


def append_note(
    store: Store, engagement: str, day: date, text: str, field: str = "sync_note"
) -> DayNote:
    """Append a line to one of the day's note fields (quick capture from the shell)."""
    line = check_note(text).strip()
    if not line:
        raise InputError(t("the note is empty: type what happened"))
    with store.transaction():
        note = store.day_note(day, engagement)
        current = getattr(note, field)
        setattr(note, field, f"{current}\n{line}" if current.strip() else line)
        save_note(store, note)
    return note
