"""Training in reports: the coverage matrix (weekly, retro) and the day's sessions."""

from __future__ import annotations

from collections.abc import Sequence

from sitedash.i18n import t
from sitedash.models import Assessment, TrainingSession
from sitedash.reports.markdown import table
from sitedash.services.training import TIERS, Coverage, present, tier_label


def coverage_markdown(cov: Coverage) -> str:
    """The matrix as a Markdown table for the weekly and retrospective reports."""
    rows = []
    for module in cov.modules:
        row = [module]
        for tier in TIERS:
            cell = cov.cell(module, tier)
            if not cell.required:
                row.append("—")
                continue
            text = t(
                "{hands_on}/{sessions} hands-on, {passed} passed, {left} to train",
                hands_on=cell.hands_on,
                sessions=cell.sessions,
                passed=len(cell.passed),
                left=len(cell.to_train),
            )
            row.append(text + (" ⚠ " + t("gap") if cell.gap else ""))
        rows.append(row)
    return table([t("Module"), *(tier_label(tier) for tier in TIERS)], rows)


def sessions_markdown(sessions: Sequence[TrainingSession]) -> str:
    """Topic, tier, modules, attendees present and how many passed the hands-on
    assessment."""
    rows = [
        [
            s.topic,
            tier_label(s.tier),
            ", ".join(s.modules),
            str(len(present(s))),
            str(sum(1 for a in s.attendees if a.result is Assessment.PASSED)),
            t("yes") if s.hands_on else t("no"),
        ]
        for s in sessions
    ]
    return table(
        [t("Topic"), t("Audience"), t("Modules"), t("Attendees"), t("Passed"), t("Hands-on")], rows
    )
