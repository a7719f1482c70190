"""The Today screen, driven by keys as an engineer would, checked on screen and on disk."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Static, TextArea

from sitedash.modals.carry_over import CarryOverDialog
from sitedash.modals.plan_item import PlanItemForm
from sitedash.models import PlanStatus
from sitedash.services import today as plan
from sitedash.storage import Store
from sitedash.widgets.plan_table import PlanTable
from tests.conftest import TODAY, palette

YESTERDAY = TODAY - timedelta(days=1)


def table_of(app) -> PlanTable:
    return app.screen.query_one(PlanTable)


def rows(app) -> list[tuple[str, str]]:
    """(status glyph, title) of every row on screen."""
    table = table_of(app)
    return [
        (table.get_row_at(r)[0].plain, table.get_row_at(r)[1].plain) for r in range(table.row_count)
    ]


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def wait_for(pilot, condition, timeout: float = 60.0) -> None:
    """Let the app run until `condition()` holds; timers make some saves asynchronous.
    The timeout only ends a hang (a loaded machine must not decide the outcome)."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), f"not met after {timeout} s; the editor holds {editor_texts(pilot.app)}"


def editor_texts(app) -> dict[str, str]:
    return {area.id: area.text for area in app.screen.query(TextArea)}


async def add_by_keys(pilot, title: str) -> None:
    await pilot.press("a")
    await pilot.pause()
    pilot.app.screen.query_one("#title", Input).value = title
    await pilot.press("enter")
    await pilot.pause()


async def test_add_item_by_typing(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Install MES server", "enter")
        await pilot.pause()
        assert [i.title for i in store.plan_items(TODAY, "mes")] == ["Install MES server"]
        assert rows(app) == [("○", "Install MES server")]
        await add_by_keys(pilot, "Configure routing")
        assert rows(app)[1] == ("○", "Configure routing")
        # Issue 19: the cursor stays on the item it was on, so `space` marks that one.
        assert table_of(app).cursor_row == 0
        assert "0/2 done" in static_text(app, "#day-bar")
        await pilot.press("space")
        await pilot.pause()
        stored = {i.title: i.status for i in store.plan_items(TODAY, "mes")}
        assert stored == {
            "Install MES server": PlanStatus.DONE,
            "Configure routing": PlanStatus.TODO,
        }
        assert rows(app) == [("✓", "Install MES server"), ("○", "Configure routing")]


async def test_form_keeps_the_text_when_input_is_bad(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanItemForm)
        form.query_one("#title", Input).value = "Migrate BOMs"
        form.query_one("#estimate", Input).value = "soon"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form, "the form stays open"
        assert "bad estimate" in static_text(app, "#dialog-error")
        assert form.query_one("#title", Input).value == "Migrate BOMs"
        form.query_one("#estimate", Input).value = "2h"
        await pilot.press("enter")
        await pilot.pause()
        [item] = store.plan_items(TODAY, "mes")
        assert (item.title, item.estimate_min) == ("Migrate BOMs", 120)


async def test_status_keys(app, store: Store) -> None:
    for title in ("deploy", "configure", "print labels"):
        plan.add_item(store, "mes", TODAY, title)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")  # done
        await pilot.press("down", "s")  # doing
        await pilot.press("down", "x")  # dropped
        await pilot.pause()
        assert rows(app) == [("✓", "deploy"), ("▶", "configure"), ("✗", "print labels")]
        assert [i.status for i in store.plan_items(TODAY, "mes")] == [
            PlanStatus.DONE,
            PlanStatus.DOING,
            PlanStatus.DROPPED,
        ]
        await pilot.press("up", "up", "space")  # done again: back to todo
        await pilot.pause()
        assert store.plan_items(TODAY, "mes")[0].status is PlanStatus.TODO
        assert "0/2 done" in static_text(app, "#day-bar"), "dropped items do not count"


async def test_edit_reorder_and_delete(app, store: Store) -> None:
    for title in ("first", "second"):
        plan.add_item(store, "mes", TODAY, title)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "first, renamed"
        await pilot.press("enter")
        await pilot.pause()
        assert rows(app)[0][1] == "first, renamed"
        await pilot.press("J")
        await pilot.pause()
        assert [r[1] for r in rows(app)] == ["second", "first, renamed"]
        assert table_of(app).cursor_row == 1
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")  # changed my mind
        await pilot.pause()
        assert len(store.plan_items(TODAY, "mes")) == 2
        await pilot.press("delete", "y")
        await pilot.pause()
        assert [i.title for i in store.plan_items(TODAY, "mes")] == ["second"]
        assert [r[1] for r in rows(app)] == ["second"]


async def test_moving_an_item_to_another_day_by_editing_its_date(app, store: Store) -> None:
    plan.add_item(store, "mes", TODAY, "later")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#day", Input).value = "2026-12-01"
        await pilot.press("enter")
        await pilot.pause()
        assert rows(app) == []
        assert [i.title for i in store.plan_items(TODAY.replace(month=12, day=1), "mes")] == [
            "later"
        ]


async def test_switching_days(app, store: Store) -> None:
    plan.add_item(store, "mes", YESTERDAY, "yesterday's work")
    plan.add_item(store, "mes", TODAY, "today's work")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "2026-11-24 yesterday" in static_text(app, "#day-bar")
        assert [r[1] for r in rows(app)] == ["yesterday's work"]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert "2026-11-26 tomorrow" in static_text(app, "#day-bar")
        assert rows(app) == []
        assert "Nothing planned" in static_text(app, "#plan-empty")
        await pilot.press("t")
        await pilot.pause()
        assert [r[1] for r in rows(app)] == ["today's work"]
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one(Input).value = "not a date"
        await pilot.press("enter")
        await pilot.pause()
        assert "YYYY-MM-DD" in static_text(app, "#dialog-error")
        app.screen.query_one(Input).value = "2026-11-24"
        await pilot.press("enter")
        await pilot.pause()
        assert [r[1] for r in rows(app)] == ["yesterday's work"]


async def test_carry_over_offered_picked_and_not_duplicated(app, store: Store) -> None:
    plan.add_item(store, "mes", YESTERDAY, "unfinished A")
    plan.add_item(store, "mes", YESTERDAY, "unfinished B")
    done = plan.add_item(store, "mes", YESTERDAY, "finished")
    plan.set_status(store, done, PlanStatus.DONE)
    async with app.run_test(size=(80, 24)) as pilot:
        # History is scanned once the plan is on screen (see the test below).
        await wait_for(pilot, lambda: "carry over" in static_text(app, "#day-bar"))
        assert "2 to carry over (c)" in static_text(app, "#day-bar")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CarryOverDialog)
        await pilot.press("down", "space", "enter")  # untick B, carry A
        await pilot.pause()
        assert [r[1] for r in rows(app)] == ["↻ unfinished A"]
        assert "1 to carry over" in static_text(app, "#day-bar")
        await pilot.press("C")
        await pilot.pause()
        assert [r[1] for r in rows(app)] == ["↻ unfinished A", "↻ unfinished B"]
        assert "carry over" not in static_text(app, "#day-bar")
        await pilot.press("C")  # nothing left: nothing happens
        await pilot.pause()
        assert len(store.plan_items(TODAY, "mes")) == 2
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert [r[0] for r in rows(app)] == ["→", "→", "✓"], "yesterday shows them carried"


async def test_standup_panel_derives_and_saves_as_you_go(app, store: Store) -> None:
    shipped = plan.add_item(store, "mes", YESTERDAY, "Deployed app server")
    plan.set_status(store, shipped, PlanStatus.DONE)
    plan.add_item(store, "mes", TODAY, "Train operators")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.view == "standup-view"
        assert app.focused is app.screen.query_one("#blockers", TextArea)
        # `p` is text here: the way back is escape, and the screen says so.
        assert "Plan esc" in static_text(app, "#today-views")
        assert "Back to the plan" in app.export_screenshot().replace("&#160;", " ")
        assert "Deployed app server" in static_text(app, "#standup-yesterday")
        assert "Train operators" in static_text(app, "#standup-today")
        await pilot.press(*"Need VPN 2 days")  # digits are text here, not screen switches
        await wait_for(pilot, lambda: store.day_note(TODAY, "mes").blockers == "Need VPN 2 days")
        assert app.screen.query_one("#blockers", TextArea).text == "Need VPN 2 days"
        assert app.screen.view == "standup-view"
        await pilot.press("tab", *"room", "escape")  # escape saves at once
        await pilot.pause()
        assert store.day_note(TODAY, "mes").resources == "room"
        assert app.screen.view == "plan-view"


async def test_user_text_is_shown_literally(app, store: Store) -> None:
    hostile = "[bold]Login[/bold] fails | [link=x] [@click=app.quit]q[/] [/var/log]"
    plan.add_item(store, "mes", TODAY, hostile + "\x1b]0;title\x07")
    plan.append_note(store, "mes", TODAY, "[red]sync[/red] \x1b]52;c;aGk=\x07")
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        table.styles.width = 200  # wide enough for the whole title
        await pilot.pause()
        assert rows(app)[0][1] == hostile
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.query_one("#sync_note", TextArea).text == "[red]sync[/red]"
        assert app.is_running, "nothing was interpreted as an action"


async def test_a_reload_never_wipes_what_was_just_typed(app, store: Store) -> None:
    """Another terminal's write reloads the screen; text typed a moment before (its
    Changed event not handled yet) stays, and is saved, beside the other write."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        blockers = app.screen.query_one("#blockers", TextArea)
        blockers.text = "Need VPN"  # typed; nothing has handled it yet
        plan.append_note(store, "mes", TODAY, "Room 2 booked", "resources")  # elsewhere
        app.poll_store()  # the reload that used to put the stored (empty) text back
        assert blockers.text == "Need VPN"
        await wait_for(pilot, lambda: store.day_note(TODAY, "mes").blockers == "Need VPN")
        assert store.day_note(TODAY, "mes").resources == "Room 2 booked"
        assert app.screen.query_one("#resources", TextArea).text == "Room 2 booked"


async def test_a_merged_note_shows_both_terminals_lines(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*"Need VPN")
        plan.append_note(store, "mes", TODAY, "Call IT", "blockers")  # before our save
        await wait_for(pilot, lambda: "Need VPN" in store.day_note(TODAY, "mes").blockers)
        stored = store.day_note(TODAY, "mes").blockers
        assert "Call IT" in stored, "the other terminal's line is kept"
        await pilot.pause()
        assert app.screen.query_one("#blockers", TextArea).text == stored


async def test_the_plan_is_drawn_before_history_is_scanned(app, store: Store, monkeypatch) -> None:
    """Finding unfinished work reads every month of history: at start-up it waits until
    the day's plan is on the terminal (the app's start-up ends with its first frame),
    then offers the carry-over."""
    from sitedash.screens import today as today_screen

    plan.add_item(store, "mes", YESTERDAY, "unfinished A")
    plan.add_item(store, "mes", TODAY, "Install server")
    scans_after: list[bool] = []
    scan = plan.carry_over_state

    def timed_scan(*args, **kwargs):
        scans_after.append(not app.starting)
        return scan(*args, **kwargs)

    monkeypatch.setattr(today_screen.plan, "carry_over_state", timed_scan)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(scans_after))
        await pilot.pause()
        assert scans_after[0], "history was scanned before the plan was drawn"
        assert "1 to carry over (c)" in static_text(app, "#day-bar")
        assert [r[1] for r in rows(app)] == ["Install server"]


async def test_ctrl_a_selects_all_so_typing_replaces_the_text(app, store: Store) -> None:
    """Issue 19: ctrl+a in a text area went to the start of the line, so what was typed
    landed in front of the text there; now it selects all, as in most editors."""
    plan.append_note(store, "mes", TODAY, "- blocker:\n- help needed:", "blockers")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        notes = app.screen.query_one("#blockers", TextArea)
        assert app.focused is notes and notes.text == "- blocker:\n- help needed:"
        await pilot.press("ctrl+a")
        assert notes.selected_text == "- blocker:\n- help needed:"
        await pilot.press(*"VPN for 2 days")
        assert notes.text == "VPN for 2 days"
        await wait_for(pilot, lambda: store.day_note(TODAY, "mes").blockers == "VPN for 2 days")
        await pilot.press("home", *"Need ")  # home still goes to the start of the line
        assert notes.text == "Need VPN for 2 days"


def standup_data(store: Store) -> None:
    shipped = plan.add_item(store, "mes", YESTERDAY, "Deployed app server")
    plan.set_status(store, shipped, PlanStatus.DONE)
    plan.add_item(store, "mes", TODAY, "Train operators [bold]line 2[/bold]", estimate_min=60)
    plan.add_item(store, "mes", TODAY, "Fix label printer \x1b]52;c;ZXZpbA==\x07drivers")
    plan.append_note(store, "mes", TODAY, "- VPN for 2 days", "blockers")


def assert_chat_text(text: str) -> None:
    """Plain lines a chat shows as they are: no Markdown table or heading, no control
    character, user text as typed."""
    assert "\x1b" not in text and "\x07" not in text
    assert not any(line.startswith(("#", "|")) for line in text.splitlines())


async def test_y_copies_the_stand_up_for_chat(app, store: Store) -> None:
    """Issue 19: `y` puts the stand-up on the clipboard as plain text (OSC 52 over SSH)
    and says so in the footer line."""
    from tests.drawn import footer_line

    standup_data(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "copy for chat y" in static_text(app, "#today-views")
        await pilot.press("y")
        await pilot.pause()
        copied = app.clipboard
        assert copied.splitlines() == [
            "Stand-up Wed 2026-11-25 · MES roll-out",
            "",
            "Progress on Tue 2026-11-24:",
            "- Deployed app server",
            "",
            "Today's plan:",
            "1. Train operators [bold]line 2[/bold] (1h)",
            "2. Fix label printer drivers",
            "",
            "Problems met / help needed:",
            "- VPN for 2 days",
            "",
            "Resources to coordinate:",
            "- none",
        ]
        assert_chat_text(copied)
        assert "Copied the stand-up of 2026-11-25" in footer_line(app)
        from sitedash.commands import SiteCommands

        titles = [c.title for c in SiteCommands(app.screen).commands()]
        assert titles.count("Copy stand-up") == 1, "the key's command, once"

        # From the stand-up: what was just typed is in it (escape, then y).
        await pilot.press("u")
        await pilot.pause()
        assert "copy for chat esc y" in static_text(app, "#today-views")
        await pilot.press("end", "enter", *"Label printer drivers", "escape", "y")
        await pilot.pause()
        assert store.day_note(TODAY, "mes").blockers.endswith("Label printer drivers")
        assert "- VPN for 2 days\n- Label printer drivers\n" in app.clipboard
        # In the notes `y` is text; the palette (ctrl+p) copies without leaving them.
        await pilot.press("u", "tab", *"Forklift for Monday")
        assert app.focused is app.screen.query_one("#resources", TextArea)
        app.call_later(palette(app)["Copy stand-up"])  # as the palette runs a command
        await wait_for(pilot, lambda: "- Forklift for Monday\n" in app.clipboard)
        assert "Resources to coordinate:\n- Forklift for Monday\n" in app.clipboard
        assert app.focused is app.screen.query_one("#resources", TextArea)
        await pilot.press("escape", "left_square_bracket", "y")  # the day shown: yesterday
        await pilot.pause()
        assert app.clipboard.startswith("Stand-up Tue 2026-11-24 · MES roll-out\n")
        assert "1. Deployed app server (done)" in app.clipboard


async def test_y_in_chinese(app, store: Store) -> None:
    from sitedash.i18n import set_language

    standup_data(store)
    set_language("zh")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("y")
            await pilot.pause()
            lines = app.clipboard.splitlines()
            assert lines[0] == "站会 周三 2026-11-25 · MES roll-out"
            assert "今日计划:" in lines and "需要协调的资源:" in lines and "- 无" in lines
            assert_chat_text(app.clipboard)
    finally:
        set_language("en")
