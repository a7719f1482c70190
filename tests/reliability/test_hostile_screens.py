"""Hostile text in every record and form: shown literally, never run as markup, no
escape sequence reaches the terminal, and the layout holds at 80x24."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from textual.widgets import Input

from sitedash.models import (
    AcceptanceItem,
    Attendance,
    ChangeRequest,
    Check,
    CheckState,
    Contact,
    Feedback,
    Issue,
    Milestone,
    Retro,
    Risk,
    Runbook,
    RunbookStep,
    SignOff,
    Trainee,
    TrainingSession,
    UatCase,
    UatResult,
    Watch,
)
from sitedash.services import issues as issue_service
from sitedash.services import today as plan
from sitedash.storage import Store
from tests.conftest import TODAY

CLICK = "[@click=app.quit]click me[/]"
HOSTILE = f"{CLICK} [/var/log] [[x]] [bold]b[/bold] \x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x07 | `x`"
VISIBLE = "[@click=app.quit]click me[/]"
SEQUENCES = ("\x1b]", "]52;", "]0;", "pwned", "\x07")


def fill_everything(store: Store) -> None:
    """Every kind of record, every text field hostile."""
    engagement = store.engagement("mes")
    engagement.name = HOSTILE
    engagement.customer = HOSTILE
    store.save_engagement(engagement)
    item = plan.add_item(store, "mes", TODAY, HOSTILE, note=HOSTILE)
    plan.carry_over(store, [plan.add_item(store, "mes", TODAY - timedelta(1), HOSTILE)], TODAY)
    plan.append_note(store, "mes", TODAY, HOSTILE, "blockers")
    del item
    issue_service.create_issue(
        store,
        Issue(
            HOSTILE,
            "mes",
            module=HOSTILE,
            reporter=HOSTILE,
            symptom=HOSTILE,
            cause=HOSTILE,
            solution=HOSTILE,
        ),
    )
    store.save_training_session(
        TrainingSession(
            HOSTILE,
            "mes",
            TODAY,
            modules=[HOSTILE],
            trainer=HOSTILE,
            attendees=[Attendance(HOSTILE, HOSTILE, HOSTILE, remark=HOSTILE)],
        )
    )
    store.save_trainee(Trainee(HOSTILE, "mes"))
    store.save_acceptance_items([AcceptanceItem(HOSTILE, "mes", evidence=HOSTILE)])
    store.add_signoff(SignOff(HOSTILE, "mes", HOSTILE, HOSTILE, TODAY, reference=HOSTILE))
    store.save_change_request(ChangeRequest(HOSTILE, "mes", HOSTILE, TODAY, scope=HOSTILE))
    store.save_feedback(Feedback(HOSTILE, "mes", TODAY, source=HOSTILE))
    store.save_retro(Retro("mes", **{name: HOSTILE for name in Retro.FIELDS}))
    store.save_uat_cases(
        [
            UatCase(
                HOSTILE,
                "mes",
                module=HOSTILE,
                steps=HOSTILE,
                expected=HOSTILE,
                actual=HOSTILE,
                tester=HOSTILE,
                result=UatResult.FAIL,
                day=TODAY,
                issues=[1],
            )
        ]
    )
    store.save_contact(
        Contact(
            HOSTILE,
            "mes",
            role=HOSTILE,
            organisation=HOSTILE,
            phone=HOSTILE,
            email=HOSTILE,
            order=1,
        )
    )
    store.save_checks([Check(HOSTILE, "mes", state=CheckState.PROBLEM, note=HOSTILE)])
    store.save_milestone(
        Milestone(HOSTILE, "mes", phase=HOSTILE, owner=HOSTILE, due=TODAY - timedelta(1))
    )
    store.save_risk(
        Risk(HOSTILE, "mes", owner=HOSTILE, mitigation=HOSTILE, trigger=TODAY - timedelta(1))
    )
    window = datetime.combine(TODAY, time(22, 0))
    store.save_runbook(
        Runbook("mes", window_start=window, decider=HOSTILE, rollback_criteria=HOSTILE)
    )
    store.save_runbook_steps([RunbookStep(HOSTILE, "mes", owner=HOSTILE, note=HOSTILE)])
    store.save_watch(Watch(HOSTILE, "mes", start=window, contact=HOSTILE, duty=HOSTILE))


def assert_terminal_safe(app) -> str:
    screen = app.export_screenshot()
    for sequence in SEQUENCES:
        assert sequence not in screen, f"{sequence!r} would reach the terminal"
    assert app.is_running, "a click action or a markup error ended the app"
    return screen


async def test_every_screen_and_tab_shows_hostile_text_safely(app, store: Store) -> None:
    fill_everything(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.wrote()
        await pilot.pause()
        assert "[@click=app.quit]" in assert_terminal_safe(app).replace("&#160;", " ")
        await pilot.press("u")  # the stand-up
        await pilot.pause()
        assert_terminal_safe(app)
        await pilot.press("escape")  # back to the plan: digits switch screens again
        for key, tabs, mode in (
            ("2", 0, "issues"),
            ("3", 2, "training"),
            ("4", 6, "signoff"),
            ("5", 0, "wellbeing"),
            ("6", 4, "engagement"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
            assert_terminal_safe(app)
            for _ in range(tabs):
                await pilot.press("t")
                await pilot.pause()
                assert_terminal_safe(app)
        await pilot.press("2", "enter")  # the issue form, full text
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value.startswith(CLICK)
        assert_terminal_safe(app)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert_terminal_safe(app)


async def test_pasting_hostile_text_into_forms_stores_it_clean(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = HOSTILE
        await pilot.press("enter")
        await pilot.pause()
        [item] = store.plan_items(TODAY, "mes")
        assert item.title.startswith(CLICK) and "\x1b" not in item.title
        assert "\x07" not in item.title
        await pilot.press("2", "n")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = HOSTILE
        await pilot.press("ctrl+s")
        await pilot.pause()
        [issue] = store.issues()
        assert issue.title.startswith(CLICK) and "\x1b" not in issue.title
        assert_terminal_safe(app)
