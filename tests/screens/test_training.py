"""The Training screen by keys: a session with attendees, assessments, the matrix."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TextArea

from sitedash.modals.training import AssessmentForm, SessionForm
from sitedash.models import Assessment, Tier, Trainee
from sitedash.storage import Store
from tests.conftest import TODAY


def cells(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[c.plain for c in table.get_row_at(r)] for r in range(table.row_count)]


async def record_session(
    pilot,
    topic: str,
    modules: str,
    attendees: str,
    tier: Tier = Tier.OPERATOR,
    hands_on: bool = True,
) -> None:
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, SessionForm)
    form.query_one("#topic", Input).value = topic
    form.query_one("#modules", Input).value = modules
    form.query_one("#tier", Select).value = tier
    form.query_one("#attendees", TextArea).text = attendees
    if not hands_on:
        form.query_one("#hands_on").value = False
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_session_assessments_and_the_matrix(app, store: Store) -> None:
    store.save_trainee(Trainee("Balogh Dóra", "mes", Tier.OPERATOR))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert "No training sessions yet" in str(
            app.screen.query_one("#session-detail", Static).render()
        )
        await record_session(
            pilot,
            "Reporting work",
            "Production",
            "Szabó Gábor | operator | Line 2\nTóth Eszter | operator | Line 2",
        )
        [stored] = store.training_sessions("mes")
        assert (stored.topic, stored.day, stored.modules) == (
            "Reporting work",
            TODAY,
            ["Production"],
        )
        assert [a.name for a in stored.attendees] == ["Szabó Gábor", "Tóth Eszter"]
        assert cells(app, "sessions")[0][2:] == ["Reporting work", "0/2"]

        await pilot.press("tab")  # to the attendees
        await pilot.pause()
        await pilot.press("p", "g")  # each mark moves on to the next attendee
        await pilot.pause()
        results = [a.result for a in store.training_sessions("mes")[0].attendees]
        assert results == [Assessment.PASSED, Assessment.AGAIN]
        assert [row[2] for row in cells(app, "attendees")] == ["passed", "needs another session"]
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AssessmentForm)
        form.query_one("#score", Input).value = "55"
        form.query_one("#remark", Input).value = "needs the scanner part again"
        await pilot.press("ctrl+s")
        await pilot.pause()
        eszter = store.training_sessions("mes")[0].attendees[1]
        assert (eszter.score, eszter.remark) == (55, "needs the scanner part again")

        await pilot.press("t")  # coverage
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "coverage-tab"
        assert cells(app, "coverage") == [["Production", "1/1× 1/3 ⚠", "—", "—"]]
        to_train = str(app.screen.query_one("#to-train", Static).render())
        assert "Balogh Dóra, Tóth Eszter" in to_train and "1 of 2 hands-on" in to_train

        await pilot.press("t", "t")  # back to sessions: a second hands-on session
        await pilot.pause()
        await record_session(pilot, "Reporting, again", "production", "Tóth Eszter\nBalogh Dóra")
        await pilot.press("tab", "p", "p")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert cells(app, "coverage") == [["Production", "2/2× 3/3 ✓", "—", "—"]]
        assert "everyone passed" in str(app.screen.query_one("#to-train", Static).render())

        # A lecture counts as held, not as hands-on practice.
        await pilot.press("t", "t")
        await pilot.pause()
        await record_session(pilot, "Overview", "Production", "Tóth Eszter", hands_on=False)
        await pilot.press("t")
        await pilot.pause()
        assert cells(app, "coverage") == [["Production", "2/3× 3/3 ✓", "—", "—"]]


async def test_marking_attendance_moves_to_the_next_attendee(app, store: Store) -> None:
    """Issue 19: `p`/`g`/`x` mark one attendee and go on to the next, as a register is
    marked; on the last one the cursor stays."""
    from sitedash.models import Attendance, TrainingSession

    names = ["Szabó Gábor", "Tóth Eszter", "Balogh Dóra"]
    store.add_training_sessions(
        [TrainingSession("Scanning", "mes", TODAY, attendees=[Attendance(n) for n in names])]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("tab")  # to the attendees
        await pilot.pause()
        assert app.screen.selected_attendee().name == "Szabó Gábor"
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.selected_attendee().name == "Tóth Eszter"
        assert app.screen.query_one("#attendees", DataTable).cursor_row == 1
        await pilot.press("g", "x")
        await pilot.pause()
        stored = store.training_sessions("mes")[0].attendees
        assert [a.result for a in stored] == [
            Assessment.PASSED,
            Assessment.AGAIN,
            Assessment.ABSENT,
        ]
        assert [row[2] for row in cells(app, "attendees")] == [
            "passed",
            "needs another session",
            "absent",
        ]
        assert app.screen.selected_attendee().name == "Balogh Dóra", "stays on the last"
        await pilot.press("p")  # a correction of the last one stays there too
        await pilot.pause()
        assert store.training_sessions("mes")[0].attendees[2].result is Assessment.PASSED
        assert app.screen.query_one("#attendees", DataTable).cursor_row == 2


async def test_roster_by_hand(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("t", "t", "n")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Fekete László"
        app.screen.query_one("#tier", Select).value = Tier.DECISION
        app.screen.query_one("#modules", Input).value = "Reporting"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [person] = store.roster("mes")
        assert (person.name, person.tier, person.modules) == (
            "Fekete László",
            Tier.DECISION,
            ["Reporting"],
        )
        assert cells(app, "roster")[0][0] == "Fekete László"
        await pilot.press("delete", "y")
        await pilot.pause()
        assert store.roster("mes") == []


async def test_editing_a_session_keeps_assessments(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await record_session(pilot, "Ops", "Production", "Anna\nGábor")
        await pilot.press("tab", "p", "shift+tab")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#attendees", TextArea).text = "Anna\nGábor\nEszter"
        await pilot.press("ctrl+s")
        await pilot.pause()
        attendees = store.training_sessions("mes")[0].attendees
        assert [(a.name, a.result) for a in attendees] == [
            ("Anna", Assessment.PASSED),
            ("Gábor", None),
            ("Eszter", None),
        ]


async def test_user_text_literal_in_training(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await record_session(
            pilot, "[bold]x[/] [@click=app.quit]", "[red]M[/red]", "[/var/log] | [b]"
        )
        assert cells(app, "sessions")[0][2].startswith("[bold]x[/]")
        assert "[red]M[/red]" in str(app.screen.query_one("#session-detail", Static).render())
        assert cells(app, "attendees")[0][0] == "[/var/log]"
        assert app.is_running


async def test_view_all_of_a_session_and_a_fresh_cursor_per_session(app, store: Store) -> None:
    from sitedash.modals.training import SessionView
    from sitedash.models import Attendance, Material, MaterialKind, TrainingSession

    older = TrainingSession(
        "Older",
        "mes",
        TODAY - timedelta(days=1),
        attendees=[Attendance("Gábor"), Attendance("Anna")],
    )
    newer = TrainingSession(
        "[bold]Scanner[/bold] | basics",
        "mes",
        TODAY,
        duration_min=120,
        attendees=[
            Attendance("Gábor", role="operator", department="Line 2", remark="needs [more]"),
            Attendance("Anna"),
        ],
        materials=[Material(MaterialKind.MANUAL, "Operator manual", "\\\\fs\\docs\\manual.pdf")],
        notes="Projector broke; used laptops",
        feedback="More practice please",
    )
    store.add_training_sessions([older, newer])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, SessionView)
        shown = str(app.screen.query_one("#session-text", Static).render())
        for expected in (
            "2h",
            "Line 2",
            "needs [more]",
            "\\\\fs\\docs\\manual.pdf",
            "Projector broke",
            "More practice please",
        ):
            assert expected in shown, expected
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab", "down")  # the newest session: Gábor, then Anna
        await pilot.pause()
        assert app.screen.selected_attendee().name == "Anna"
        await pilot.press("shift+tab", "down")  # the older session: Gábor, then Anna
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.selected_attendee().name == "Gábor", "the first row, not Anna's row"
