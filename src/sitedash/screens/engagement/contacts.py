"""Who to call (应急联络表): each contact's local time now and whether they are at work."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from sitedash.i18n import t
from sitedash.models import Contact
from sitedash.screens.engagement.base import ContentPart, EngagementPart
from sitedash.services import overview
from sitedash.textsafe import clean_line
from sitedash.widgets.safe import cell, literal

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store


class ContactsPart(EngagementPart[Contact]):
    """The emergency contact table in escalation order."""

    TAB = "contacts-tab"
    BINDINGS = [
        Binding("a,n", "new", "Add", id="contacts.new"),
        Binding("e", "edit", "Edit", id="contacts.edit", show=False),
        Binding("c", "copy('phone')", "Copy phone", id="contacts.copy"),
        Binding("C", "copy('email')", "Copy e-mail / IM", id="contacts.copy_email", show=False),
        Binding("delete", "delete", "Delete", id="contacts.delete", show=False),
    ]

    @classmethod
    def title(cls) -> str:
        return t("Contacts")

    def load(self, store: Store, engagement: Engagement) -> list[Contact]:
        return store.contacts(engagement.id)

    def columns(self, width: int) -> list[tuple[str, int]]:
        return [
            ("#", 2),
            (t("Role"), 14),
            (t("Full name"), max(width - 62, 12)),
            (t("Local time"), 15),
            (t("Phone / e-mail"), 17),
        ]

    def rows(self) -> Iterable[tuple[str, list[Text]]]:
        site_tz = self.engagement.site_tz if self.engagement else ""
        for contact in self.records:
            local = overview.local_time(contact, self.now, site_tz)
            yield (
                contact.id,
                [
                    Text(str(contact.order) if contact.order else "-", style="bold"),
                    cell(contact.role),
                    cell(contact.name, "bold"),
                    Text(
                        f"{local.now:%H:%M} {local.label}",
                        style="green" if local.working else "dim",
                        no_wrap=True,
                        overflow="ellipsis",
                    ),
                    cell(contact.phone or contact.email),
                ],
            )

    def detail(self, record: Contact) -> list[ContentPart]:
        site_tz = self.engagement.site_tz if self.engagement else ""
        parts: list[ContentPart] = [
            literal(overview.availability(record, self.now, site_tz), "bold"),
        ]
        for value in (record.name, record.organisation, record.phone, record.email):
            if value.strip():
                parts += [" · ", literal(value)]
        parts += [" · ", overview.hours_label(record), " ", record.tz or site_tz]
        return parts

    def empty_hint(self) -> str:
        return t("a: add who to call: customer PM, IT contact, local liaison, HQ remote support")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy":
            contact = self.selected()
            return contact is not None and bool(contact.phone or contact.email)
        return super().check_action(action, parameters)

    # -- actions ---------------------------------------------------------------------

    def action_new(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        contact = Contact(
            "",
            self.engagement.id,
            order=overview.next_order(self.records),
            week=overview.office_week(self.engagement.work_week),
        )
        self._open(contact, is_new=True)

    def action_edit(self) -> None:
        contact = self.selected()
        if contact is not None:
            self._open(contact, is_new=False)

    def _open(self, contact: Contact, *, is_new: bool) -> None:
        from sitedash.modals.overview import ContactForm

        def saved(result: Contact | None) -> None:
            if result is not None:
                self.save(partial(self.app.store.save_contact, result), select=result.id)

        self.app.push_screen(ContactForm(contact, is_new=is_new), saved)

    def action_copy(self, what: str) -> None:
        """Copy the phone (else the e-mail) or the e-mail/IM (else the phone): over SSH
        it reaches the local clipboard where the terminal allows it (OSC 52)."""
        contact = self.selected()
        if contact is None:
            return
        first, second = (
            (contact.phone, contact.email) if what == "phone" else (contact.email, contact.phone)
        )
        value = clean_line(first or second)
        if not value:
            return
        self.app.copy_to_clipboard(value)
        self.say(t("Copied {who}: {value}", who=overview.contact_title(contact), value=value))

    def action_delete(self) -> None:
        contact = self.selected()
        if contact is not None:
            self.confirm_delete(
                t("Delete the contact “{name}”?", name=overview.contact_title(contact)),
                partial(self.app.store.delete_contact, contact),
            )
