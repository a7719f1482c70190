"""The handover pack (交接单): everything a successor needs of an engagement, as Markdown
a person reads from the top, with the same records embedded at the end for
`sitedash import handover` (services.handover builds and takes in the records).

The records are one fenced JSON block. Every character user text could use to end
the fence or to mean something to Markdown or HTML (`` ` ``, `<`, `>`, `&`), and every
character that is not printable (controls, bidi overrides, line and paragraph
separators), is written as a JSON `\\uXXXX` escape: no line of the block can close the
fence, and the block reads back exactly. Reading a pack back is bounded and total (the
codec's limits on size, nesting and numbers, then the records' own types): a
file that is not a pack, or a block that is not valid records, is one line naming
what is wrong (`read_pack`), never a traceback.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

import msgspec

from sitedash.errors import InputError
from sitedash.i18n import t, weekday_name
from sitedash.models import (
    Check,
    CheckList,
    Engagement,
    Issue,
    IssueStatus,
    PlanStatus,
    Runbook,
)
from sitedash.models.codec import JSONLimitError, describe_problem, error_path, load_json
from sitedash.reports.frontmatter import NotAReport, parse_front_matter
from sitedash.reports.markdown import byline, heading, none, report_header, section, table
from sitedash.reports.runbook import runbook_sections
from sitedash.services import overview as overview_service
from sitedash.services import signoff as signoff_service
from sitedash.services import training as training_service
from sitedash.services import uat as uat_service
from sitedash.services.handover import HandoverPack, gather
from sitedash.services.issues import status_label
from sitedash.services.timeutil import zone
from sitedash.storage import Store
from sitedash.textsafe import clean, md_inline

FENCE_OPEN = "```json sitedash-handover"
FENCE_CLOSE = "```"
MAX_PACK_BYTES = 64 * 1024 * 1024
"""A pack larger than this is no handover pack (a year of a busy engagement is ~5 MB)."""
_SAFE_PUNCTUATION = set("`<>&")
BOOKKEEPING = ("rev",)
"""Fields left out of the embedded records: a revision counts saves in one data dir."""


def file_name(engagement: Engagement, day: date) -> str:
    return f"handover-{engagement.id}-{day.isoformat()}.md"


# -- the embedded records ----------------------------------------------------------------


def _escape(char: str) -> str:
    if char == "\n" or (char.isprintable() and char not in _SAFE_PUNCTUATION):
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # above the BMP: a surrogate pair, as JSON writes it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def pack_json(pack: HandoverPack) -> str:
    """The pack's records as JSON that cannot leave its fence (see the module)."""
    data = msgspec.to_builtins(pack)
    for value in data.values():
        records = value if isinstance(value, list) else [value]
        for record in records:
            if isinstance(record, dict):
                for name in BOOKKEEPING:
                    record.pop(name, None)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return "".join(_escape(char) for char in text)


def read_pack(path: Path) -> HandoverPack:
    """Read and check a handover pack; any problem is one line (InputError)."""
    try:
        info = path.stat()
    except OSError as error:
        raise InputError(
            t("cannot read {file}: {reason}", file=str(path), reason=error.strerror or str(error))
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(t("{file} is not a regular file", file=str(path)))
    if info.st_size > MAX_PACK_BYTES:
        raise InputError(
            t(
                "{file} is larger than {mib} MiB: not a handover pack",
                file=str(path),
                mib=MAX_PACK_BYTES // (1024 * 1024),
            )
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_PACK_BYTES + 1)
    except OSError as error:
        raise InputError(
            t("cannot read {file}: {reason}", file=str(path), reason=error.strerror or str(error))
        ) from None
    return parse_pack(raw, str(path))


def parse_pack(raw: bytes, name: str = "the pack") -> HandoverPack:
    """A pack from the bytes of its Markdown file (see `read_pack`)."""

    def refused(reason: str) -> InputError:
        return InputError(t("{file} is not a handover pack: {reason}", file=name, reason=reason))

    if len(raw) > MAX_PACK_BYTES:
        raise refused(t("it is larger than {mib} MiB", mib=MAX_PACK_BYTES // (1024 * 1024)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refused(t("not UTF-8 text")) from None
    try:
        front = parse_front_matter(text)
    except NotAReport as error:
        raise refused(str(error)) from None
    if front.get("sitedash_report") != 1 or front.get("kind") != "handover":
        raise refused(
            t("its front matter says {kind!r}, not a handover", kind=str(front.get("kind", "")))
        )
    lines = text.replace("\r\n", "\n").split("\n")
    opened = [n for n, line in enumerate(lines) if line == FENCE_OPEN]
    if len(opened) != 1:
        raise refused(t("it needs exactly one block of records (```json sitedash-handover)"))
    start = opened[0] + 1
    end = next((n for n in range(start, len(lines)) if lines[n] == FENCE_CLOSE), None)
    if end is None:
        raise refused(t("the block of records is not closed"))
    block = "\n".join(lines[start:end]).encode("utf-8")
    try:
        data = load_json(block)
    except (JSONLimitError, msgspec.DecodeError) as error:
        raise refused(t("the block of records is not JSON ({reason})", reason=str(error))) from None
    try:
        return msgspec.convert(_cleaned(data), HandoverPack)
    except msgspec.ValidationError as error:
        parts, message = error_path(error)
        where = ".".join(parts) or "$"
        raise refused(f"{where}: {describe_problem(message)}") from None


def _cleaned(value: Any) -> Any:
    """Every text of the records without control characters or escape sequences (a
    crafted pack must not carry them into the data)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    return value


# -- the Markdown a person reads ---------------------------------------------------------


def _local(moment: datetime | None, site: tzinfo) -> str:
    return moment.astimezone(site).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _issue(issue: Issue, site: tzinfo) -> list[str]:
    """One issue: its fields, then its history (every move, with its time and note)."""
    fields = [
        [t("Status"), status_label(issue.status)],
        [t("Severity"), issue.severity.value],
        [t("Module"), issue.module or "-"],
        [t("Reporter"), issue.reporter or "-"],
        [t("Reported"), _local(issue.created, site)],
        [t("Symptom"), issue.symptom or "-"],
        [t("Cause"), issue.cause or "-"],
        [t("Solution"), issue.solution or "-"],
    ]
    if issue.recurs_from:
        fields.append([t("Recurs from"), f"ISS-{issue.recurs_from}"])
    if issue.escalated:
        fields.append([t("Escalated"), issue.escalation_note or t("yes")])
    history = table(
        [t("When"), t("From"), t("To"), t("Note")],
        [
            [
                _local(change.at, site),
                status_label(change.from_status) if change.from_status else "-",
                status_label(change.to_status),
                change.note,
            ]
            for change in issue.history
        ],
    )
    return section(
        f"{issue.key} · {issue.title}",
        table([t("Field"), t("Value")], fields),
        history,
        level=3,
    )


def _issues(issues: Sequence[Issue], site: tzinfo) -> list[str]:
    if not issues:
        return [none(), ""]
    return [line for issue in issues for line in _issue(issue, site)]


def _training_gaps(pack: HandoverPack) -> tuple[str, int]:
    people = training_service.roster_from(pack.trainings, pack.roster)
    cov = training_service.coverage(pack.trainings, people)
    rows = []
    for module in cov.modules:
        for tier in training_service.TIERS:
            cell = cov.cell(module, tier)
            if cell.required and (cell.gap or cell.to_train):
                rows.append(
                    [
                        module,
                        training_service.tier_label(tier),
                        f"{cell.hands_on}/{cell.sessions}",
                        str(len(cell.passed)),
                        ", ".join(cell.to_train) or "-",
                    ]
                )
    headers = [t("Module"), t("Audience"), t("Hands-on sessions"), t("Passed"), t("Still to train")]
    return table(headers, rows), len(cov.gaps)


def _planned_trainings(pack: HandoverPack) -> str:
    planned = sorted(
        (s for s in pack.trainings if s.day > pack.day), key=lambda s: (s.day, s.start_time)
    )
    return table(
        [t("Date"), t("Time"), t("Topic"), t("Audience"), t("Modules"), t("Trainer")],
        [
            [
                s.day.isoformat(),
                s.start_time or "-",
                s.topic,
                training_service.tier_label(s.tier),
                ", ".join(s.modules),
                s.trainer,
            ]
            for s in planned
        ],
    )


def _checks(checks: Sequence[Check], checklist: CheckList) -> str:
    return table(
        ["#", t("Item"), t("State"), t("Note"), t("Checked")],
        [
            [
                str(n),
                c.text,
                overview_service.check_state_label(c.state),
                c.note,
                _day(c.day),
            ]
            for n, c in enumerate((c for c in checks if c.checklist is checklist), 1)
        ],
    )


def _standup(pack: HandoverPack) -> tuple[str, int]:
    """One row per day of the last week with anything in it: done, not finished,
    blockers, resources, notes."""
    notes = {n.day: n for n in pack.days}
    rows = []
    for offset in range((pack.day - pack.standup_start).days + 1):
        day = date.fromordinal(pack.standup_start.toordinal() + offset)
        items = [i for i in pack.plan if i.day == day]
        done = [i.title for i in items if i.status is PlanStatus.DONE]
        open_items = [i.title for i in items if i.status.unfinished]
        note = notes.get(day)
        cells = [
            "\n".join(done),
            "\n".join(open_items),
            note.blockers if note else "",
            note.resources if note else "",
            note.sync_note if note else "",
        ]
        if any(c.strip() for c in cells):
            rows.append([f"{weekday_name(day)} {day.isoformat()}", *cells])
    headers = [t("Day"), t("Done"), t("Not finished"), t("Blockers"), t("Resources"), t("Notes")]
    return table(headers, rows), len(rows)


def handover_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the handover pack of one engagement, handed over on `day`."""
    return render_pack(gather(store, engagement, day, engineer), now=now)


def render_pack(pack: HandoverPack, *, now: datetime) -> str:
    engagement = pack.engagement
    site = zone(engagement.site_tz)
    open_issues = [i for i in pack.issues if i.status.is_open]
    waiting = [i for i in pack.issues if i.status is IssueStatus.RESOLVED]
    gaps_table, gaps = _training_gaps(pack)
    standup_table, standup_days = _standup(pack)
    items = {i.id: i for i in pack.deliverables}
    seen = overview_service.Overview(pack.day, pack.checks, pack.milestones, items, pack.risks)
    superseded = signoff_service.superseded_ids(pack.signoffs)
    runbook = pack.runbook or Runbook(engagement.id)
    counts = {
        "open_issues": len(open_issues),
        "awaiting_confirmation": len(waiting),
        "pending_changes": len(pack.pending_changes),
        "training_gaps": gaps,
        "contacts": len(pack.contacts),
        "checks": len(pack.checks),
        "milestones": len(pack.milestones),
        "risks": len(seen.open_risks),
        "uat_open": len(pack.open_uat),
        "runbook_steps": len(pack.steps),
        "standup_days": standup_days,
    }
    parts = [
        report_header(
            "handover",
            engineer=pack.engineer,
            engagement=engagement,
            start=pack.standup_start,
            end=pack.day,
            now=now,
            counts=counts,
            extra=seen.front_matter(),
        ),
        "",
        heading(1, t("Handover · {name} · {day}", name=engagement.name, day=pack.day.isoformat())),
        "",
        byline(pack.engineer, engagement),
        "",
        md_inline(
            t(
                "To take this engagement over: `sitedash import handover FILE` with this file; "
                "the block at the end holds the records."
            )
        ),
        "",
        *section(
            t("Engagement"),
            table(
                [
                    t("Name"),
                    t("Customer"),
                    t("Site"),
                    t("Site zone"),
                    t("HQ zone"),
                    t("Start"),
                    t("End"),
                ],
                [
                    [
                        engagement.name,
                        engagement.customer,
                        engagement.site,
                        engagement.site_tz,
                        engagement.hq_tz,
                        _day(engagement.start),
                        _day(engagement.end),
                    ]
                ],
            ),
        ),
        *section(t("Open issues ({n})", n=len(open_issues))),
        *_issues(open_issues, site),
        *section(t("Resolved, waiting for the customer's confirmation ({n})", n=len(waiting))),
        *_issues(waiting, site),
        *section(
            t("Pending change requests ({n})", n=len(pack.pending_changes)),
            table(
                [
                    t("Change"),
                    t("Asked"),
                    t("Requester"),
                    t("Request"),
                    t("Scope"),
                    t("Schedule"),
                    t("Cost"),
                    t("Phase"),
                ],
                [
                    [
                        c.key,
                        _day(c.day),
                        c.requester,
                        c.request,
                        c.scope,
                        c.schedule,
                        c.cost,
                        c.phase,
                    ]
                    for c in pack.pending_changes
                ],
            ),
        ),
        *section(t("Training gaps ({n})", n=gaps), gaps_table),
        *section(t("Trainings planned"), _planned_trainings(pack), level=3),
        *section(
            t("Contacts"),
            table(
                [
                    "#",
                    t("Role"),
                    t("Full name"),
                    t("Organisation"),
                    t("Phone"),
                    t("E-mail / IM"),
                    t("Time zone"),
                    t("Working hours"),
                ],
                [
                    [
                        str(c.order) if c.order else "-",
                        c.role,
                        c.name,
                        c.organisation,
                        c.phone,
                        c.email,
                        c.tz or engagement.site_tz,
                        overview_service.hours_label(c),
                    ]
                    for c in pack.contacts
                ],
            ),
        ),
        *section(t("Checklists"), overview_service.checks_summary(pack.checks) + "."),
        *section(
            overview_service.checklist_label(CheckList.ENVIRONMENT),
            _checks(pack.checks, CheckList.ENVIRONMENT),
            level=3,
        ),
        *section(
            overview_service.checklist_label(CheckList.DEPLOYMENT),
            _checks(pack.checks, CheckList.DEPLOYMENT),
            level=3,
        ),
        *section(
            t("Deliverables"),
            table(
                [t("Deliverable"), t("Status"), t("Evidence"), t("Note")],
                [
                    [i.name, signoff_service.item_status_label(i.status), i.evidence, i.note]
                    for i in pack.deliverables
                ],
            ),
        ),
        *section(
            t("Sign-off records"),
            table(
                [t("Date"), t("Subject"), t("Signer"), t("Role"), t("Method"), t("Reference")],
                [
                    [
                        _day(r.day),
                        signoff_service.subject_label(r)
                        + (" " + t("(superseded)") if r.id in superseded else ""),
                        r.signer,
                        r.role,
                        signoff_service.method_label(r.method),
                        r.reference,
                    ]
                    for r in pack.signoffs
                ],
            ),
            level=3,
        ),
        *section(
            t("Milestones"),
            table(
                [
                    t("Due"),
                    t("Milestone"),
                    t("Phase"),
                    t("Owner"),
                    t("Standing"),
                    t("Deliverables"),
                ],
                [
                    [
                        _day(m.due),
                        m.title,
                        m.phase,
                        m.owner,
                        overview_service.standing_label(seen.standing(m)),
                        ", ".join(items[i].name for i in m.deliverables if i in items),
                    ]
                    for m in pack.milestones
                ],
            ),
        ),
        *section(
            t("Risks"),
            table(
                [t("Score"), t("Risk"), t("Owner"), t("Mitigation"), t("Trigger"), t("Status")],
                [
                    [
                        f"{r.score} ({r.likelihood}×{r.impact})",
                        r.description,
                        r.owner,
                        r.mitigation,
                        _day(r.trigger),
                        overview_service.risk_status_label(r.status),
                    ]
                    for r in pack.risks
                ],
            ),
        ),
        *section(
            t("Open UAT cases ({n})", n=len(pack.open_uat)),
            table(
                [
                    t("Case"),
                    t("Module"),
                    t("Title"),
                    t("Result"),
                    t("Tester"),
                    t("Date"),
                    t("Expected result"),
                    t("Actual result"),
                    t("Issues"),
                ],
                [
                    [
                        c.key,
                        c.module,
                        c.title,
                        uat_service.result_label(c.result),
                        c.tester,
                        _day(c.day),
                        c.expected,
                        c.actual,
                        uat_service.issue_keys(c.issues),
                    ]
                    for c in pack.open_uat
                ],
            ),
        ),
        *section(t("Go-live runbook")),
        *runbook_sections(engagement, runbook, pack.steps, pack.watches, level=3),
        *section(
            t(
                "Stand-up, {start} to {end}",
                start=pack.standup_start.isoformat(),
                end=pack.day.isoformat(),
            ),
            standup_table,
        ),
        *section(
            t("Records for the import"),
            md_inline(
                t(
                    "Written by sitedash for `sitedash import handover`; "
                    "edit the Markdown above, not this block."
                )
            ),
        ),
        FENCE_OPEN,
        pack_json(pack),
        FENCE_CLOSE,
        "",
    ]
    return "\n".join(parts)


render = handover_report
"""The renderer `reports.registry` calls for this kind."""
