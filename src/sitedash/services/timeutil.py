"""Time zones and work days: days follow the site's calendar, not the server's."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitedash.errors import InputError
from sitedash.i18n import t

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


__all__ = ["InputError"]  # re-exported: the rules raise it; screens import it from errors


def zone(name: str | None) -> tzinfo:
    """The named IANA zone, or the machine's local zone for `None`/empty (by name, so
    that it follows daylight saving time)."""
    if not name:
        return ZoneInfo(local_zone_name())
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            t("unknown time zone {name!r}: use an IANA name such as Asia/Shanghai", name=name)
        ) from None


def check_zone(name: str) -> str:
    """Validate an IANA zone name and return it."""
    zone(name)
    return name


def local_zone_name() -> str:
    """The machine's IANA zone name (from $TZ or /etc/localtime), else "UTC".

    A sensible default for a new engagement's site: engineers usually set the laptop's
    clock to where they are.
    """
    candidate = os.environ.get("TZ", "").lstrip(":")
    if not candidate:
        target = os.path.realpath("/etc/localtime")
        candidate = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    try:
        ZoneInfo(candidate)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return candidate or "UTC"


def parse_hhmm(text: str) -> time:
    match = _HHMM.match(text.strip())
    if not match:
        raise InputError(t("bad time {text!r}: use HH:MM, e.g. 09:30", text=text))
    return time(int(match.group(1)), int(match.group(2)))


EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2999, 12, 31)
"""Dates outside these are typing mistakes, and too close to `date.min`/`date.max` for
the week and time-zone arithmetic of reports."""


RELATIVE_DAYS = {
    "today": 0,
    "tomorrow": 1,
    "yesterday": -1,
    "今天": 0,
    "明天": 1,
    "昨天": -1,
}
"""Words for a day counted from today, in both languages."""
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday", "周一", "星期一"),
            ("tue", "tues", "tuesday", "周二", "星期二"),
            ("wed", "wednesday", "周三", "星期三"),
            ("thu", "thur", "thurs", "thursday", "周四", "星期四"),
            ("fri", "friday", "周五", "星期五"),
            ("sat", "saturday", "周六", "星期六"),
            ("sun", "sunday", "周日", "周天", "星期日", "星期天"),
        )
    )
    for name in names
}
"""Weekday names, English and Chinese."""


def parse_day(text: str, today: date | None = None, *, forward: bool = True) -> date:
    """A date as YYYY-MM-DD (unambiguous across locales); given `today`, also `today`,
    `tomorrow`, `yesterday` and a weekday (`mon`…`sun`, `周一`…`周日`).

    A weekday is today or the nearest one after it (`forward`: a plan, a training to
    hold), else today or the nearest one before it (a report, a day's log).
    """
    word = text.strip().lower()
    if today is not None:
        if word in RELATIVE_DAYS:
            return today + timedelta(days=RELATIVE_DAYS[word])
        if word in WEEKDAYS:
            ahead = (WEEKDAYS[word] - today.weekday()) % 7
            return (
                today + timedelta(days=ahead)
                if forward
                else today - timedelta(days=(7 - ahead) % 7)
            )
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        if today is not None:
            raise InputError(
                t(
                    "bad date {text!r}: use YYYY-MM-DD, today, tomorrow, yesterday or a "
                    "weekday (mon…sun)",
                    text=text,
                )
            ) from None
        raise InputError(
            t("bad date {text!r}: use YYYY-MM-DD, e.g. 2026-03-09", text=text)
        ) from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InputError(
            t(
                "date {text!r} is out of range: use a date between {first} and {last}",
                text=text,
                first=EARLIEST_DAY.isoformat(),
                last=LATEST_DAY.isoformat(),
            )
        )
    return day


def work_day(now: datetime, site_zone: tzinfo, day_starts_at: str = "00:00") -> date:
    """The work day `now` belongs to in the site's calendar.

    Work before `day_starts_at` (e.g. 04:00) still belongs to the previous day, so a late
    deployment after midnight is logged on the day it started.
    """
    local = now.astimezone(site_zone)
    start = parse_hhmm(day_starts_at)
    shifted = local - timedelta(hours=start.hour, minutes=start.minute)
    return shifted.date()
