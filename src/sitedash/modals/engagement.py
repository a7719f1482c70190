"""Choose the engagement to work on, or create/edit one."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.modals.base import Dialog, FormDialog
from sitedash.models import Engagement, WorkWeek, replace
from sitedash.services.engagements import check_engineer
from sitedash.services.overview import days_label
from sitedash.services.timeutil import check_zone, local_zone_name, parse_day
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row
from sitedash.widgets.safe import literal


class EngagementPicker(Dialog[str | None]):
    """A list of engagements (the active one marked) and "New engagement…"."""

    NEW = "\x00new"
    BINDINGS = [Binding("n", "new", "New engagement", id="engagements.new")]

    def __init__(self, engagements: Sequence[Engagement], active: Engagement | None) -> None:
        super().__init__()
        self.engagements = list(engagements)
        self.active = active

    def compose(self) -> ComposeResult:
        options = []
        for engagement in self.engagements:
            marker = "● " if self.active and engagement.id == self.active.id else "  "
            options.append(
                Option(
                    Content.assemble(
                        marker,
                        literal(engagement.name),
                        " · ",
                        literal(engagement.customer or engagement.id),
                    ),
                    id=engagement.id,
                )
            )
        options.append(Option(Content("+ " + t("New engagement…")), id=self.NEW))
        with Vertical(classes="dialog", id="engagement-picker"):
            yield Static(t("Engagements"), classes="dialog-title", markup=False)
            yield OptionList(*options, id="engagement-list")
            yield Static(
                t("enter: switch · n: new · escape: cancel"), classes="dialog-hint", markup=False
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.active:
            options.highlighted = next(
                (i for i, e in enumerate(self.engagements) if e.id == self.active.id), 0
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_new(self) -> None:
        self.dismiss(self.NEW)


class EngagementForm(FormDialog[Engagement]):
    """Customer, site, the two time zones and the dates. Returns the edited engagement;
    the caller validates fully and saves. (Contacts and checklists are records of the
    Engagement screen, key 6.)"""

    def __init__(
        self,
        engagement: Engagement | None,
        *,
        is_new: bool,
        error: str = "",
        engineer: str | None = None,
    ) -> None:
        super().__init__()
        self.is_new = is_new
        self.engagement = engagement or Engagement(id="", name="", site_tz=local_zone_name())
        self.error = error
        self.ask_engineer = engineer is not None
        """The first run: no name in Settings yet, so the form asks for it too."""
        self.engineer_name: str | None = engineer
        """The name typed (prefilled from the OS account), once `build` checked it."""

    def compose(self) -> ComposeResult:
        e = self.engagement
        heading = t("New engagement") if self.is_new else t("Edit engagement")
        with Vertical(classes="dialog form", id="engagement-form"):
            yield Static(heading, classes="dialog-title", markup=False)
            with VerticalScroll():
                if self.ask_engineer:
                    yield field_row(
                        t("Your name"),
                        Input(
                            self.engineer_name or "",
                            id="engineer",
                            compact=True,
                            placeholder=t("the name on your reports"),
                        ),
                    )
                yield field_row(
                    t("Name"),
                    Input(
                        e.name,
                        id="name",
                        compact=True,
                        placeholder=t("e.g. MES roll-out, Győr plant"),
                    ),
                )
                yield field_row(t("Customer"), Input(e.customer, id="customer", compact=True))
                yield field_row(
                    t("Site"),
                    Input(
                        e.site, id="site", compact=True, placeholder=t("city, plant or building")
                    ),
                )
                yield pair_row(
                    (
                        t("Site zone"),
                        Input(e.site_tz, id="site_tz", compact=True, placeholder="Europe/Budapest"),
                    ),
                    (
                        t("HQ zone"),
                        Input(e.hq_tz, id="hq_tz", compact=True, placeholder="Asia/Shanghai"),
                    ),
                )
                yield pair_row(
                    (
                        t("Start"),
                        Input(
                            e.start.isoformat() if e.start else "",
                            id="start",
                            compact=True,
                            placeholder="YYYY-MM-DD",
                        ),
                    ),
                    (
                        t("End"),
                        Input(
                            e.end.isoformat() if e.end else "",
                            id="end",
                            compact=True,
                            placeholder="YYYY-MM-DD",
                        ),
                    ),
                )
                yield field_row(
                    t("Working week"),
                    choice_select(
                        [(days_label(week), week) for week in WorkWeek],
                        e.work_week,
                        "work_week",
                    ),
                )
            yield from self.buttons()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def build(self) -> Engagement:
        today = self.app.today()
        start = parse_day(self._value("start"), today) if self._value("start") else None
        end = parse_day(self._value("end"), today) if self._value("end") else None
        if self.ask_engineer:
            self.engineer_name = check_engineer(self._value("engineer"))
        name = self._value("name")
        if not name:
            raise InputError(t("the engagement needs a name"))
        # A copy of what was opened: its revision lets a save merge another terminal's edit.
        engagement = replace(
            self.engagement,
            name=name,
            customer=self._value("customer"),
            site=self._value("site"),
            site_tz=check_zone(self._value("site_tz") or "UTC"),
            hq_tz=check_zone(self._value("hq_tz") or "Asia/Shanghai"),
            start=start,
            end=end,
            work_week=chosen(self.query_one("#work_week", Select)),
        )
        return engagement
