"""Issue 19, point 5: a keymap. Settings map binding ids to keys (as Posting's keymap);
`?` shows the keys in effect with their ids; a conflict is said at start in one line;
the keymap is edited in Settings (ctrl+p). Checked on what is drawn and stored."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from textual.binding import Binding
from textual.widgets import TextArea

from sitedash.app import SiteDash
from sitedash.cli import main
from sitedash.i18n import set_language, t
from sitedash.keymap import bindings_of, contexts, problems
from sitedash.modals.plan_item import PlanItemForm
from sitedash.modals.settings import SettingsForm
from sitedash.models import Settings, replace
from sitedash.models.codec import decode, encode
from sitedash.screens.today import TodayScreen
from sitedash.storage import Store
from tests.conftest import FrozenClock, palette, settle, wait_until
from tests.drawn import drawn_text, footer_line, notifications


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def with_keymap(store: Store, keymap: dict[str, str]) -> None:
    store.save_settings(replace(store.settings(), keymap=keymap))


def help_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#help-keys")
    return [[c.plain for c in table.get_row_at(r)] for r in range(table.row_count)]


async def test_a_binding_runs_on_the_key_the_settings_give_it(
    make_app, store: Store, lang: str
) -> None:
    with_keymap(store, {"today.add": "n", "go.issues": "f2", "quit": "f10"})
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert f"n {t('Add')}" in footer_line(app)
        assert f"f10 {t('Quit')}" in footer_line(app) and "^q" not in footer_line(app)
        assert notifications(app) == [], "no conflict, nothing said"
        await pilot.press("a")  # its own key no longer adds
        await settle(pilot)
        assert not isinstance(app.screen, PlanItemForm)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlanItemForm)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        rows = help_rows(app)
        assert ["n", t("Add"), "today.add"] in rows, "? shows the keys in effect"
        assert ["f2", t("Issues"), "go.issues"] in rows
        # The screen's own keys first, the keys of every screen next (quit among them),
        # Textual's generic ones last.
        titles = [r[1] for r in rows if r[0] == ""]
        assert titles == [t("This screen"), t("Everywhere"), t("Lists, fields and focus")]
        everywhere = rows.index(["", t("Everywhere"), ""])
        assert rows.index(["n", t("Add"), "today.add"]) < everywhere
        assert rows.index(["f10", t("Quit"), "quit"]) > everywhere
        assert t("Key") in drawn_text(app)
        await pilot.press("escape", "f2")
        await settle(pilot)
        assert app.current_mode == "issues"


async def test_a_conflict_is_said_at_start_in_one_line(make_app, store: Store, lang: str) -> None:
    with_keymap(store, {"today.add": "u", "today.nothing": "z"})
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: notifications(app))  # once the first frame is up
        [said] = notifications(app)
        assert "\n" not in said
        assert "today.add" in said and "today.standup" in said and "today.nothing" in said
        assert said.startswith(t("Keymap: {problems}", problems=""))


async def test_many_clashes_are_still_one_short_line(make_app, store: Store, lang: str) -> None:
    keymap = {"go.issues": "a"}  # `a` adds on most screens
    found = problems(keymap, contexts(SiteDash))
    assert len(found) > 3
    with_keymap(store, keymap)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: notifications(app))
        [said] = notifications(app)
        assert "\n" not in said and found[0] in said and found[1] in said
        assert not any(problem in said for problem in found[2:])
        assert str(len(found) - 2) in said, "how many more there are"


def test_the_dashboards_own_keys_do_not_clash() -> None:
    found = contexts(SiteDash)
    assert len(found) > 30, "every screen, its parts and every dialog"
    assert problems({}, found) == []
    # Every binding given the keys it has anyway: the only shared keys are the help's
    # own ? and F1, which close the help they opened.
    keymap: dict[str, list[str]] = {}
    for context in found:
        for binding in context.bindings():
            if binding.id and binding.key not in keymap.setdefault(binding.id, []):
                keymap[binding.id].append(binding.key)
    said = problems({k: ",".join(v) for k, v in keymap.items()}, found)
    assert said == [
        "question_mark is bound to help, help.close at once",
        "f1 is bound to help, help.close at once",
    ]


def test_clashes_are_found_where_bindings_meet() -> None:
    found = contexts(SiteDash)
    # A key of every screen moved onto a screen's own key: the screen's would win there.
    said = problems({"go.issues": "a"}, found)
    assert "a is bound to go.issues, today.add at once" in said
    assert "a is bound to contacts.new, go.issues at once" in said  # a tab of screen 6
    # A tab's key onto the key its table selects a row with.
    assert problems({"engagement.tab": "enter"}, found) == [
        "enter is bound to engagement.tab, select_cursor at once"
    ]
    # Two keys swapped is no clash; `?` is the key Textual calls question_mark.
    assert problems({"today.add": "u", "today.standup": "a"}, found) == []
    assert problems({"today.add": "?"}, found) == [
        "question_mark is bound to help, today.add at once"
    ]
    assert problems({"today.nothing": "z"}, found) == ["no binding has the id today.nothing"]


def test_a_keymap_is_checked_when_stored_and_read() -> None:
    with pytest.raises(ValueError, match="binding id"):
        Settings(keymap={"Today add": "n"})
    with pytest.raises(ValueError, match="key like"):
        Settings(keymap={"today.add": "ctrl+"})
    doc = encode(Settings(keymap={"today.add": "n,ctrl+k"}))
    assert decode(Settings, doc).keymap == {"today.add": "n,ctrl+k"}
    doc["keymap"] = {"today.add": "two words"}
    with pytest.raises(msgspec.ValidationError, match="keymap"):
        decode(Settings, doc)


async def test_the_keymap_is_edited_in_settings(app, store: Store, lang: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        palette(app)[t("Settings")]()
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SettingsForm)
        area = form.query_one("#keymap", TextArea)
        area.text = "today.add = u"  # taken by the stand-up
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "refused, with the text kept"
        assert "today.standup" in str(form.query_one("#dialog-error").render())
        assert store.settings().keymap == {}
        area.text = "# mine\ntoday.add = n\ngo.issues: f2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        assert store.settings().keymap == {"today.add": "n", "go.issues": "f2"}
        await pilot.press("n")  # in effect at once, no restart
        await settle(pilot)
        assert isinstance(app.screen, PlanItemForm)


def hand_edit_keymap(store: Store, keymap: object) -> Path:
    """Write `keymap` into the settings file as an editor would (a new file renamed over
    the old), without the Store's checks."""
    path = store.data_dir / "sitedash.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    [settings] = doc["settings"].values()
    settings["keymap"] = keymap
    edited = path.with_name("sitedash.json.edit")
    edited.write_text(json.dumps(doc), encoding="utf-8")
    os.replace(edited, path)
    return path


@pytest.mark.parametrize("keymap", [{"today.add": "two words"}, {"Today Add": "n"}, ["n"]])
def test_a_bad_keymap_in_the_file_is_one_line_and_exit_2(
    store: Store,
    clock: FrozenClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    keymap: object,
) -> None:
    path = hand_edit_keymap(store, keymap)
    status = main(["--data-dir", str(store.data_dir), "status"], clock=clock)
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert str(path) in err and "keymap" in err
    # The dashboard says the same and stops before drawing anything, without a crash.
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    status = main(["--data-dir", str(store.data_dir)], clock=clock)
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert str(path) in err and "keymap" in err


async def test_a_bad_keymap_written_while_the_dashboard_runs(
    make_app, store: Store, lang: str
) -> None:
    with_keymap(store, {"today.add": "n"})
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        path = hand_edit_keymap(store, {"today.add": "ctrl+"})
        await wait_until(pilot, lambda: notifications(app))  # the next poll reads it
        [said] = notifications(app)
        assert str(path) in said and "keymap" in said and "\n" not in said
        assert app.is_running and isinstance(app.screen, TodayScreen)
        await pilot.press("n")  # the keys last read stay in effect
        await settle(pilot)
        assert isinstance(app.screen, PlanItemForm)


def shown_ids(rows: list[list[str]]) -> list[str]:
    """The binding ids of the help's rows up to the second heading."""
    assert rows[0][:2] == ["", t("This screen")], "the screen's own keys come first"
    first = []
    for key, _description, binding_id in rows[1:]:
        if not key:
            break
        first.append(binding_id)
    return first


@pytest.mark.parametrize("mode", ["today", "issues", "training", "signoff", "wellbeing"])
async def test_help_lists_the_screens_keys_first(app, store: Store, mode: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode(mode)
        await settle(pilot)
        own = {
            b.id
            for b in bindings_of(type(app.screen))
            if b.id and b.description and b.id.split(".")[0] not in {"dialog", "form"}
        }
        await pilot.press("question_mark")
        await settle(pilot)
        rows = help_rows(app)
        first = shown_ids(rows)
        assert first and all(i in own or i.split(".")[0] == mode for i in first), first
        assert {"quit", "app.palette", "go.today"}.isdisjoint(first)
        # Textual's generic keys (cursor, focus, copy: no id) come after all of ours.
        generic = [n for n, r in enumerate(rows) if r[0] and not r[2]]
        ours = [n for n, r in enumerate(rows) if r[2]]
        assert generic and min(generic) > max(ours)
        assert rows[min(generic) - 1] == ["", t("Lists, fields and focus"), ""]
        assert any(r[1] == "Focus Next" for r in rows[min(generic) :])


async def test_hints_name_the_keys_the_engineer_has(make_app, store: Store, lang: str) -> None:
    """ "Press a to add an item" says the key the keymap gave, on every screen's hint."""
    with_keymap(
        store,
        {
            "today.add": "n",
            "today.carry": "f3",
            "wellbeing.in": "I",
            "training.new": "N",
            "issues.confirmed": "f5",
            "form.save": "f9",
        },
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = t("Nothing planned for this day. Press {add} to add an item.", add="n")
        assert hint in drawn_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanItemForm))
        await settle(pilot)
        assert t("Save ({key})", key="f9") in drawn_text(app), "a form's button says its key"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PlanItemForm))
        await pilot.press("2")
        await wait_until(pilot, lambda: app.current_mode == "issues")
        await settle(pilot)
        assert t("confirmed hidden ({key})", key="f5") in drawn_text(app)
        await pilot.press("5")
        await wait_until(pilot, lambda: app.current_mode == "wellbeing")
        await settle(pilot)
        clock_in = t("Press {key} to clock in: only tracked time counts.", key="I")
        assert clock_in in drawn_text(app)
        await pilot.press("3")
        await wait_until(pilot, lambda: app.current_mode == "training")
        await settle(pilot)
        assert t("No training sessions yet. Press {key} to record one.", key="N") in drawn_text(app)


async def test_hints_name_the_bindings_own_keys_without_a_keymap(make_app, lang: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = t("Nothing planned for this day. Press {add} to add an item.", add="a")
        assert hint in drawn_text(app)
        assert app.key("engagements") == "E"


def test_the_keys_the_rules_name_by_default_are_the_screens_own() -> None:
    """Messages of the rules layer name a screen's key without importing the screen
    (services: HOURS_KEY, WAIVE_KEY): each must be the key the screen binds."""
    from sitedash.keymap import bindings_of
    from sitedash.screens.signoff import SignOffScreen
    from sitedash.screens.wellbeing import WellbeingScreen
    from sitedash.services.uat import WAIVE_KEY
    from sitedash.services.wellbeing import HOURS_KEY

    def bound(owner: type, binding_id: str) -> str:
        [binding] = [b for b in bindings_of(owner) if b.id == binding_id]
        return binding.key

    assert bound(WellbeingScreen, "wellbeing.hours") == HOURS_KEY
    assert bound(SignOffScreen, "signoff.edit") == WAIVE_KEY


async def test_the_app_names_the_hours_view_by_the_engineers_key(make_app, store) -> None:
    from sitedash.models import replace

    app = make_app()
    assert app.clock_context.hours_key == "h"
    store.save_settings(replace(store.settings(), keymap={"wellbeing.hours": "f3"}))
    app = make_app()
    assert app.clock_context.hours_key == app.get_key_display(Binding("f3", ""))
