"""The daily report (日报): what was done, what is next, what blocks the engineer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sitedash.i18n import current_language, t
from sitedash.models import Engagement, PlanItem, PlanStatus
from sitedash.reports.markdown import REPORT_SCHEMA, bullets, front_matter, heading, none, table
from sitedash.services.today import carried_ids, category_label, format_minutes
from sitedash.storage import Store
from sitedash.textsafe import md_block, md_inline


def file_name(engagement: Engagement, day: date) -> str:
    return f"daily-{engagement.id}-{day.isoformat()}.md"


def _items_table(items: list[PlanItem]) -> str:
    return table(
        [t("Item"), t("Category"), t("Estimate")],
        [[i.title, category_label(i.category), format_minutes(i.estimate_min)] for i in items],
    )


def _text_section(text: str) -> str:
    return md_block(text) if text.strip() else none()


def daily_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the daily report of `day` for one engagement as Markdown."""
    items = store.plan_items(day, engagement.id)
    following = store.plan_items(day + timedelta(days=1), engagement.id)
    carried = carried_ids(following)
    note = store.day_note(day, engagement.id)
    done = [i for i in items if i.status is PlanStatus.DONE]
    open_items = [i for i in items if i.status.unfinished]
    dropped = [i for i in items if i.status is PlanStatus.DROPPED]
    tomorrow = [i for i in following if i.status is not PlanStatus.DROPPED]
    # Unfinished today and not yet carried: tomorrow's plan should show them too.
    pending = [i for i in open_items if i.id not in carried]
    counts = {
        "planned": len(items),
        "done": len(done),
        "unfinished": len(open_items),
        "dropped": len(dropped),
        "estimate_done_min": sum(i.estimate_min for i in done),
        "blockers": len([line for line in note.blockers.splitlines() if line.strip()]),
    }
    parts = [
        front_matter(
            {
                "sitedash_report": REPORT_SCHEMA,
                "kind": "daily",
                "engineer": engineer,
                "engagement": engagement.id,
                "engagement_name": engagement.name,
                "customer": engagement.customer,
                "period_start": day,
                "period_end": day,
                "generated_at": now.replace(microsecond=0),
                "language": current_language(),
                "counts": counts,
            }
        ),
        "",
        heading(1, t("Daily report · {name} · {day}", name=engagement.name, day=day.isoformat())),
        "",
        t(
            "Engineer: {engineer} · Customer: {customer} · Site: {site}",
            engineer=md_inline(engineer),
            customer=md_inline(engagement.customer or "-"),
            site=md_inline(engagement.site or "-"),
        ),
        "",
        heading(2, t("Done today ({done} of {planned})", done=len(done), planned=len(items))),
        "",
        _items_table(done),
        "",
        heading(2, t("Not finished")),
        "",
        table(
            [t("Item"), t("Status"), t("Category")],
            [
                [
                    i.title,
                    t("doing") if i.status is PlanStatus.DOING else t("todo"),
                    category_label(i.category),
                ]
                for i in open_items
            ],
        ),
        "",
        heading(2, t("Plan for tomorrow")),
        "",
        _items_table(tomorrow + pending),
        "",
        heading(2, t("Dropped")),
        "",
        bullets(i.title for i in dropped),
        "",
        heading(2, t("Blockers and help needed")),
        "",
        _text_section(note.blockers),
        "",
        heading(2, t("Resources to coordinate")),
        "",
        _text_section(note.resources),
        "",
        heading(2, t("Customer daily sync")),
        "",
        _text_section(note.sync_note),
        "",
    ]
    return "\n".join(parts)
