"""The `sitedash` command: the dashboard, quick capture, exports, backups.

Every user mistake ends with one line on stderr and exit status 2, never a traceback.
The dashboard's modules (textual) are imported only when the dashboard opens, so the
shell commands stay fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sitedash import __version__
from sitedash.errors import InputError, StoreError
from sitedash.i18n import (
    LANGUAGES,
    choose_language,
    current_language,
    language_in,
    set_language,
    t,
    tn,
)
from sitedash.i18n.argparse_texts import install as install_argparse_texts
from sitedash.models import WorkWeek
from sitedash.reports import registry as report_registry
from sitedash.services import engagements as engagement_service
from sitedash.services import today as plan
from sitedash.services.timeutil import parse_day
from sitedash.storage import Store, restore_backup, utc_now

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.services.wellbeing import ClockContext

EXIT_USAGE = 2
DEMO_DAYS = 60
MAX_DEMO_DAYS = 3660

Clock = Callable[[], datetime]


class UsageError(Exception):
    """Bad command-line usage (argparse's complaint, made one line)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(
            t("{prog}: {message} (see `{prog} --help`)", prog=self.prog, message=message)
        )


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Options accepted before or after the subcommand (`sitedash add --data-dir D ...`)."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help=t("data directory (default: $SITEDASH_DATA_DIR, else the user data dir)"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default,
        help=t("interface and report language (default: setting, else the locale)"),
    )


def build_parser() -> _Parser:
    parser = _Parser(
        prog="sitedash", description=t("A dashboard for implementation engineers on site.")
    )
    _common(parser, top=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help=t("open the dashboard on a generated demo engagement in a throw-away dir"),
    )
    parser.add_argument("--version", action="version", version=f"sitedash {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo-data", help=t("write the demo dataset into DIR"))
    _common(demo, top=False)
    demo.add_argument("dir", metavar="DIR")
    demo.add_argument("--days", type=_positive_int, default=DEMO_DAYS, help=t("days of history"))
    demo.set_defaults(handler=cmd_demo_data)

    _engagement_commands(commands)

    add = commands.add_parser("add", help=t("quick capture: add plan|issue|note TEXT"))
    add_kinds = add.add_subparsers(dest="kind", metavar="KIND", required=True, parser_class=_Parser)
    add_plan = add_kinds.add_parser("plan", help=t("add an item to a day's plan"))
    _common(add_plan, top=False)
    add_plan.add_argument("text", nargs="+", metavar="TEXT")
    add_plan.add_argument(
        "--date",
        metavar="DATE",
        help=t(
            "the day: YYYY-MM-DD, today, tomorrow, yesterday or a weekday, mon…sun, "
            "the next one (default: today at the site)"
        ),
    )
    add_plan.add_argument(
        "--category",
        default="support",
        help=t(
            "deploy, configure, migration, testing, training, meeting, documentation or support"
        ),
    )
    add_plan.add_argument("--estimate", default="", help=t("e.g. 30m, 1h30m, 2h"))
    add_plan.add_argument("--engagement", metavar="ID", help=t("default: the active engagement"))
    add_plan.set_defaults(handler=cmd_add_plan)

    add_note = add_kinds.add_parser("note", help=t("add a line to the day's notes"))
    _common(add_note, top=False)
    add_note.add_argument("text", nargs="+", metavar="TEXT")
    add_note.add_argument("--date", metavar="DATE", help=_date_help())
    field = add_note.add_mutually_exclusive_group()
    field.add_argument(
        "--blocker",
        dest="field",
        action="store_const",
        const="blockers",
        help=t("a problem met / help needed"),
    )
    field.add_argument(
        "--resource",
        dest="field",
        action="store_const",
        const="resources",
        help=t("a resource to coordinate"),
    )
    add_note.add_argument("--engagement", metavar="ID")
    add_note.set_defaults(handler=cmd_add_note, field="sync_note")

    add_issue = add_kinds.add_parser("issue", help=t("log a customer issue; prints its id"))
    _common(add_issue, top=False)
    add_issue.add_argument("text", nargs="+", metavar="TEXT")
    add_issue.add_argument("--severity", default="P3", help=t("P1 (worst) to P4; default P3"))
    add_issue.add_argument("--module", default="", help=t("the system module, e.g. Production"))
    add_issue.add_argument("--reporter", default="", help=t("who at the customer reported it"))
    add_issue.add_argument("--engagement", metavar="ID")
    add_issue.set_defaults(handler=cmd_add_issue)

    clock = commands.add_parser("clock", help=t("the work clock: in, out, break, log, edit, rm"))
    _common(clock, top=False)
    clock_actions = clock.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    for action, help_text in (
        ("in", t("start or resume work")),
        ("out", t("stop the work clock")),
        ("break", t("start a break")),
    ):
        clock_action = clock_actions.add_parser(action, help=help_text)
        _common(clock_action, top=False)
        clock_action.add_argument(
            "--at",
            metavar="HH:MM",
            help=t(
                "site time of this work day, 'YYYY-MM-DD HH:MM', or with a UTC offset "
                "for an hour the clocks showed twice ('01:20-05:00'); default: now"
            ),
        )
        clock_action.add_argument("--engagement", metavar="ID")
        clock_action.set_defaults(handler=cmd_clock)
    clock_log = clock_actions.add_parser("log", help=t("list a day's sessions with their ids"))
    _common(clock_log, top=False)
    clock_log.add_argument("--date", metavar="DATE", help=_date_help())
    clock_log.set_defaults(handler=cmd_clock_log)
    clock_edit = clock_actions.add_parser("edit", help=t("change a session's times or kind"))
    _common(clock_edit, top=False)
    clock_edit.add_argument(
        "id",
        metavar="ID",
        help=t("the id `clock log` lists (its first four characters are enough)"),
    )
    clock_edit.add_argument("--start", metavar="HH:MM", help=t("a time of the session's work day"))
    clock_edit.add_argument("--end", metavar="HH:MM", help=t("a time of the session's work day"))
    clock_edit.add_argument("--kind", choices=("work", "break", "walk"))
    clock_edit.add_argument("--note", help=t("a few words on the session"))
    clock_edit.set_defaults(handler=cmd_clock_edit)
    clock_rm = clock_actions.add_parser("rm", help=t("remove a session"))
    _common(clock_rm, top=False)
    clock_rm.add_argument(
        "id",
        metavar="ID",
        help=t("the id `clock log` lists (its first four characters are enough)"),
    )
    clock_rm.set_defaults(handler=cmd_clock_rm)

    status = commands.add_parser("status", help=t("one line for a shell prompt or tmux"))
    _common(status, top=False)
    status.set_defaults(handler=cmd_status)

    standup = commands.add_parser(
        "standup", help=t("the stand-up as plain text for chat (WeChat, DingTalk, Teams, Slack)")
    )
    _common(standup, top=False)
    standup.add_argument("--date", metavar="DATE", help=_date_help())
    standup.add_argument("--engagement", metavar="ID", help=t("default: the active engagement"))
    standup.set_defaults(handler=cmd_standup)

    contacts = commands.add_parser(
        "contacts", help=t("the emergency contact card as plain text (for a phone screenshot)")
    )
    _common(contacts, top=False)
    contacts.add_argument("--engagement", metavar="ID", help=t("default: the active engagement"))
    contacts.set_defaults(handler=cmd_contacts)

    export = commands.add_parser("export", help=t("write a Markdown report"))
    _common(export, top=False)
    export.add_argument("kind", choices=report_registry.names())
    export.add_argument("--date", metavar="DATE", help=_date_help())
    export.add_argument(
        "--from",
        dest="from_day",
        metavar="YYYY-MM-DD",
        help=t("timesheet: the first day (with --to; default: the ISO week of --date)"),
    )
    export.add_argument(
        "--to", dest="to_day", metavar="YYYY-MM-DD", help=t("timesheet: the last day")
    )
    export.add_argument(
        "--format",
        dest="fmt",
        choices=report_registry.formats(),
        default="md",
        help=t("md (default) or csv, for the timesheet"),
    )
    scope = export.add_mutually_exclusive_group()
    scope.add_argument(
        "--engagement",
        metavar="ID",
        help=t("default: the active engagement (the timesheet: every engagement)"),
    )
    scope.add_argument(
        "--all",
        action="store_true",
        help=t("faq only: every engagement's confirmed issues in one FAQ"),
    )
    export.add_argument(
        "--out",
        metavar="PATH|-",
        default="-",
        help=t("a file, a directory (a named file in it) or - for stdout (default)"),
    )
    export.add_argument("--force", action="store_true", help=t("replace an existing file"))
    export.set_defaults(handler=cmd_export)

    publish = commands.add_parser(
        "publish", help=t("commit a report to the team's git repository and push it")
    )
    _common(publish, top=False)
    publish.add_argument(
        "--setup",
        metavar="URL|PATH",
        help=t("clone the team's reports repository into the data dir (once)"),
    )
    publish.add_argument(
        "--kind", choices=report_registry.names(), default="daily", help=t("default: daily")
    )
    publish.add_argument("--date", metavar="DATE", help=_date_help())
    publish.add_argument("--engagement", metavar="ID")
    publish.set_defaults(handler=cmd_publish)

    collect = commands.add_parser("collect", help=t("roll up exported reports (for leads)"))
    _common(collect, top=False)
    collect.add_argument("paths", nargs="+", metavar="PATH")
    collect.add_argument(
        "--since",
        metavar="7d|YYYY-MM-DD",
        help=t("only reports of periods ending on or after this day (7d: the last 7 days)"),
    )
    collect.add_argument(
        "--pull",
        action="store_true",
        help=t("update the git clones first (git pull --ff-only)"),
    )
    collect.add_argument(
        "--out",
        metavar="PATH|-",
        default="-",
        help=t("a file, a directory or - for stdout (default)"),
    )
    collect.add_argument("--force", action="store_true", help=t("replace an existing file"))
    collect.set_defaults(handler=cmd_collect)

    restore = commands.add_parser(
        "restore", help=t("repair damaged files from the backups, or go back to BACKUP")
    )
    _common(restore, top=False)
    restore.add_argument("backup", nargs="?", metavar="BACKUP")
    restore.set_defaults(handler=cmd_restore)
    return parser


def _engagement_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`sitedash engagement new|list|use` and `sitedash import handover FILE`."""
    engagement = commands.add_parser(
        "engagement", help=t("create, list or switch engagements: new NAME | list | use ID")
    )
    _common(engagement, top=False)
    actions = engagement.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    new = actions.add_parser("new", help=t("create an engagement and make it the active one"))
    _common(new, top=False)
    new.add_argument("name", nargs="+", metavar="NAME")
    new.add_argument("--customer", default="", help=t("the customer's name"))
    new.add_argument("--site", default="", help=t("city, plant or building"))
    new.add_argument(
        "--site-tz",
        metavar="ZONE",
        help=t("the site's time zone, e.g. Europe/Budapest (default: this machine's)"),
    )
    new.add_argument(
        "--hq-tz",
        metavar="ZONE",
        help=t("headquarters' time zone (default: Asia/Shanghai, or the --from engagement's)"),
    )
    new.add_argument("--start", metavar="YYYY-MM-DD", help=t("the first day on site"))
    new.add_argument(
        "--work-week",
        choices=[week.value for week in WorkWeek],
        help=t(
            "the days you work at the site; the lead's roll-up expects a report on each "
            "(default: mon-sat, or the --from engagement's)"
        ),
    )
    new.add_argument(
        "--from",
        dest="source",
        metavar="ID",
        help=t("start from a past engagement's templates (checklists, roles, plans), not its data"),
    )
    new.add_argument(
        "--engineer",
        metavar="NAME",
        help=t("your name on reports (asked on the first run; default: the OS account's)"),
    )
    new.set_defaults(handler=cmd_engagement_new)
    listing = actions.add_parser("list", help=t("list the engagements (* marks the active one)"))
    _common(listing, top=False)
    listing.set_defaults(handler=cmd_engagement_list)
    use = actions.add_parser("use", help=t("switch to another engagement"))
    _common(use, top=False)
    use.add_argument("id", metavar="ID")
    use.set_defaults(handler=cmd_engagement_use)

    importing = commands.add_parser(
        "import", help=t("create the successor's engagement from a handover pack")
    )
    _common(importing, top=False)
    kinds = importing.add_subparsers(
        dest="kind", metavar="KIND", required=True, parser_class=_Parser
    )
    handover = kinds.add_parser("handover", help=t("import a handover pack (Markdown)"))
    _common(handover, top=False)
    handover.add_argument("file", metavar="FILE")
    handover.add_argument(
        "--engineer",
        metavar="NAME",
        help=t("your name on reports (default: the one in Settings, else the OS account's)"),
    )
    handover.set_defaults(handler=cmd_import_handover)


def _date_help() -> str:
    return t(
        "the day: YYYY-MM-DD, today, tomorrow, yesterday or a weekday, mon…sun, "
        "the last one (default: today at the site)"
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("{text!r} is not a whole number", text=text)) from None
    if not 1 <= value <= MAX_DEMO_DAYS:
        raise argparse.ArgumentTypeError(t("use a number from 1 to {most}", most=MAX_DEMO_DAYS))
    return value


# -- helpers ------------------------------------------------------------------------


_opened: list[Store] = []
"""Stores opened by this command, whose notices (a skipped backup) `main` prints."""


def open_store(args: argparse.Namespace, clock: Clock, *, read_only: bool = False) -> Store:
    """Open the data dir and switch to the language `--lang` or the settings ask for.

    A command that only reads opens it `read_only`: it never creates a file or a dir.
    """
    from sitedash.paths import resolve_data_dir

    store = Store(resolve_data_dir(args.data_dir), clock=clock, read_only=read_only)
    _opened.append(store)
    set_language(choose_language(args.lang, store.settings().lang))
    return store


def _day(
    store: Store,
    args: argparse.Namespace,
    engagement_site: Engagement | None,
    clock: Clock,
    *,
    forward: bool = False,
) -> date:
    """`--date` (a date, `today`, `tomorrow`, `yesterday`, a weekday: the next one when
    `forward`, else the last), else today at the site."""
    today = plan.today_for(engagement_site, clock(), store.settings().day_starts_at)
    if getattr(args, "date", None):
        return parse_day(args.date, today, forward=forward)
    return today


def _text(args: argparse.Namespace) -> str:
    return " ".join(args.text)


# -- commands -----------------------------------------------------------------------


def cmd_dashboard(args: argparse.Namespace, clock: Clock) -> int:
    import shutil  # here, not at the top: the quick commands do without (issue 23)
    import tempfile

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise InputError(
            t(
                "the dashboard needs a terminal; for scripts use `sitedash add`, "
                "`sitedash export` or `sitedash status`"
            )
        )
    demo_dir: Path | None = None
    if args.demo:
        from sitedash import demo

        _remove_orphaned_demo_dirs()
        demo_dir = Path(tempfile.mkdtemp(prefix=f"{DEMO_PREFIX}{os.getpid()}-"))
        args.data_dir = str(demo_dir / "data")
        # A closed SSH session or tmux window (SIGHUP) and `kill` (SIGTERM) end the
        # process without unwinding; as SystemExit they reach the `finally` below.
        for signum in (signal.SIGHUP, signal.SIGTERM):
            signal.signal(signum, _exit_on_signal)
    try:
        store = open_store(args, clock)
        if demo_dir is not None:
            demo.generate(store, today=_demo_today(clock), days=DEMO_DAYS, now=clock())
        from sitedash.app import RESTART, make_app  # pauses the collector while it imports

        while True:
            app = make_app(store, clock=clock, prewarm=True)
            if app.run() != RESTART:
                return app.return_code or 0  # 1 after a crash (Textual printed it)
            # The language was changed in Settings: that choice wins over --lang.
            set_language(choose_language(None, store.settings().lang))
    finally:
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)


DEMO_PREFIX = "sitedash-demo-"


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _remove_orphaned_demo_dirs() -> None:
    """Demo dirs whose process is gone (killed with SIGKILL, a power cut)."""
    import shutil
    import tempfile

    for folder in Path(tempfile.gettempdir()).glob(f"{DEMO_PREFIX}*-*"):
        pid_text = folder.name.removeprefix(DEMO_PREFIX).split("-", 1)[0]
        try:
            if not pid_text.isdigit() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # gone meanwhile, or another user's process
            continue


def _demo_today(clock: Clock) -> date:
    from sitedash.demo import demo_engagements

    site = demo_engagements(date.today(), 1)[0]
    return plan.today_for(site, clock(), "04:00")


def cmd_demo_data(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash import demo

    target = Path(args.dir)
    if target.exists() and not target.is_dir():
        raise InputError(t("{dir} is not a directory", dir=target))
    if (target / "sitedash.json").exists():
        raise InputError(
            t("{dir} already holds sitedash data; choose an empty directory", dir=target)
        )
    args.data_dir = str(target)
    store = open_store(args, clock)
    demo.generate(store, today=_demo_today(clock), days=args.days, now=clock())
    print(
        tn(
            args.days,
            "Demo data for {n} day written to {dir}",
            "Demo data for {n} days written to {dir}",
            dir=target,
        )
    )
    return 0


def _engineer_for(store: Store, given: str | None) -> tuple[str | None, str]:
    """The engineer's name for a first run, and a line to print once the command has
    worked: `--engineer`, else (none in Settings yet) a question on a terminal, else
    the OS account's full name, said in one line. (None, "") when Settings has one and
    none was given."""
    if given is not None:
        return given, ""
    if store.settings().engineer:
        return None, ""
    default = engagement_service.default_engineer_name()
    if sys.stdin.isatty():
        try:
            typed = input(t("Your name on reports [{name}]: ", name=default))
        except EOFError:
            typed = ""
        return typed.strip() or default, ""
    notice = t(
        "sitedash: your name on reports is {name} (the OS account's); "
        "change it with --engineer NAME or in Settings",
        name=default,
    )
    return default, notice


def cmd_engagement_new(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.models import Engagement
    from sitedash.services.timeutil import check_zone, local_zone_name

    # Checked before the record is built: a record refuses an unknown zone outright.
    site_tz = check_zone(args.site_tz.strip()) if args.site_tz else local_zone_name()
    hq_tz = check_zone(args.hq_tz.strip()) if args.hq_tz else None
    start = parse_day(args.start) if args.start else None
    store = open_store(args, clock)
    source = store.engagement(args.source) if args.source else None
    engagement = Engagement(
        id="",
        name=" ".join(args.name),
        customer=args.customer,
        site=args.site,
        site_tz=site_tz,
        hq_tz=hq_tz or (source.hq_tz if source else "Asia/Shanghai"),
        start=start,
        work_week=(
            WorkWeek(args.work_week)
            if args.work_week
            else (source.work_week if source else WorkWeek.MON_SAT)
        ),
    )
    engineer, notice = _engineer_for(store, args.engineer)
    created, templates = engagement_service.new_engagement(
        store, engagement, source=args.source, engineer=engineer
    )
    if notice:
        print(notice, file=sys.stderr)
    print(
        t(
            "Created engagement {id} ({name}); it is the active one",
            id=created.id,
            name=created.name,
        )
    )
    if templates is not None:
        print(t("From {source}: {templates}", source=args.source, templates=templates.line()))
    return 0


def cmd_engagement_list(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.textsafe import clean_line

    store = open_store(args, clock, read_only=True)
    engagements = store.engagements()
    if not engagements:
        raise InputError(t("no engagement yet: create one with `sitedash engagement new NAME`"))
    active = engagement_service.active_engagement(store)
    width = max(len(e.id) for e in engagements)
    for engagement in engagements:
        mark = "*" if active is not None and engagement.id == active.id else " "
        about = " · ".join(
            clean_line(x) for x in (engagement.name, engagement.customer, engagement.site) if x
        )
        print(f"{mark} {engagement.id.ljust(width)}  {about}")
    return 0


def cmd_engagement_use(args: argparse.Namespace, clock: Clock) -> int:
    store = open_store(args, clock)
    engagement = engagement_service.resolve_engagement(store, args.id)
    engagement_service.switch_engagement(store, engagement.id)
    print(t("Now working on {id} ({name})", id=engagement.id, name=engagement.name))
    return 0


def cmd_import_handover(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.reports.handover import read_pack
    from sitedash.services import handover

    pack = read_pack(Path(args.file))
    handover.check_pack(pack)  # before the data dir is opened: a bad pack creates nothing
    store = open_store(args, clock)
    engineer, notice = _engineer_for(store, args.engineer)
    done = handover.import_pack(store, pack, engineer=engineer)
    for line in done.lines():
        print(line)
    if notice:
        print(notice, file=sys.stderr)
    return 0


def cmd_add_plan(args: argparse.Namespace, clock: Clock) -> int:
    store = open_store(args, clock)
    engagement = engagement_service.resolve_engagement(store, args.engagement)
    day = _day(store, args, engagement, clock, forward=True)
    item = plan.add_item(
        store,
        engagement.id,
        day,
        _text(args),
        category=plan.parse_category(args.category),
        estimate_min=plan.parse_estimate(args.estimate),
    )
    print(
        t(
            "Added to {day} ({engagement}): {title}",
            day=day.isoformat(),
            engagement=engagement.id,
            title=item.title,
        )
    )
    return 0


def cmd_add_note(args: argparse.Namespace, clock: Clock) -> int:
    store = open_store(args, clock)
    engagement = engagement_service.resolve_engagement(store, args.engagement)
    day = _day(store, args, engagement, clock)
    plan.append_note(store, engagement.id, day, _text(args), args.field)
    print(t("Noted on {day} ({engagement})", day=day.isoformat(), engagement=engagement.id))
    return 0


def cmd_add_issue(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.models import Issue
    from sitedash.services import issues

    store = open_store(args, clock)
    engagement = engagement_service.resolve_engagement(store, args.engagement)
    issue = issues.create_issue(
        store,
        Issue(
            title=_text(args),
            engagement=engagement.id,
            severity=issues.parse_severity(args.severity),
            module=args.module,
            reporter=args.reporter,
        ),
    )
    print(issue.key)
    return 0


def _clock_context(store: Store, engagement_id: str | None, *, strict: bool = True) -> ClockContext:
    """Where the clock runs: `--engagement` or the active one. Before the first
    engagement it still runs, in this machine's time zone; `log`, `edit` and `rm` (not
    `strict`) read sessions of every engagement, so they need no active one."""
    from sitedash.services.wellbeing import HOURS_KEY, ClockContext

    engagement: Engagement | None = None
    if strict and (engagement_id is not None or store.engagements()):
        engagement = engagement_service.resolve_engagement(store, engagement_id)
    else:
        engagement = engagement_service.active_engagement(store)
    settings = store.settings()
    # The Hours view's key as the engineer set it (messages name it), read without the
    # keymap module: that needs Textual, which a quick command does not import.
    hours_key = settings.first_key("wellbeing.hours") or HOURS_KEY
    return ClockContext(engagement, settings.day_starts_at, hours_key)


def cmd_clock(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.services import wellbeing

    store = open_store(args, clock)
    context = _clock_context(store, args.engagement)
    at = wellbeing.parse_at(args.at, context, clock()) if args.at else None
    print(wellbeing.clock(store, context, args.action, at).message)
    return 0


def cmd_clock_log(args: argparse.Namespace, clock: Clock) -> int:
    """A work day's sessions, one a line, with the ids `clock edit` and `clock rm` take."""
    from sitedash.services import wellbeing

    store = open_store(args, clock, read_only=True)  # it only lists: it creates nothing
    context = _clock_context(store, None, strict=False)
    now = clock()
    today = context.day_of(now)
    day = parse_day(args.date, today, forward=False) if args.date else today
    print(wellbeing.day_log(store, context, day, now))
    return 0


def cmd_clock_edit(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.models import SessionKind
    from sitedash.services import wellbeing

    if args.start is None and args.end is None and args.kind is None and args.note is None:
        raise InputError(t("nothing to change: give --start, --end, --kind or --note"))
    store = open_store(args, clock)
    context = _clock_context(store, None, strict=False)
    now = clock()
    session = wellbeing.find_session(store, args.id, now)
    edited = wellbeing.edit_session(
        store,
        context,
        session,
        kind=SessionKind(args.kind) if args.kind else None,
        start_text=args.start,
        end_text=args.end,
        note=args.note,
    )
    print(t("Changed {session}", session=wellbeing.log_line(edited, context, now)))
    return 0


def cmd_clock_rm(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.services import wellbeing

    store = open_store(args, clock)
    context = _clock_context(store, None, strict=False)
    now = clock()
    session = wellbeing.find_session(store, args.id, now)
    wellbeing.remove_session(store, session)
    print(t("Removed {session}", session=wellbeing.log_line(session, context, now)))
    return 0


def cmd_status(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.services.status import status_line

    store = open_store(args, clock, read_only=True)
    print(status_line(store, clock()))
    return 0


def _export_options(args: argparse.Namespace) -> dict[str, object]:
    """The timesheet's own options (`--from/--to`); `--format` where the kind has it.
    Other kinds refuse them in one line."""
    period = args.from_day is not None or args.to_day is not None
    if args.fmt not in report_registry.report_kind(args.kind).formats:
        raise InputError(
            t(
                "--format {fmt} is only for the timesheet; the other reports are Markdown",
                fmt=args.fmt,
            )
        )
    if args.kind != "timesheet":
        if period:
            raise InputError(t("--from and --to are only for the timesheet; use --date"))
        return {}
    options: dict[str, object] = {}
    if period:
        if args.from_day is None or args.to_day is None:
            raise InputError(t("give both --from and --to (or --date for its ISO week)"))
        if args.date:
            raise InputError(t("give --from and --to, or --date, not both"))
        options["period"] = (parse_day(args.from_day), parse_day(args.to_day))
    return options


def cmd_standup(args: argparse.Namespace, clock: Clock) -> int:
    """The day's stand-up as plain text, to paste into the team's chat."""
    store = open_store(args, clock, read_only=True)
    engagement = engagement_service.resolve_engagement(store, args.engagement)
    day = _day(store, args, engagement, clock)
    sys.stdout.write(plan.standup_text(plan.standup(store, engagement.id, day), engagement))
    return 0


def cmd_contacts(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.services.overview import emergency_card

    store = open_store(args, clock, read_only=True)
    engagement = engagement_service.resolve_engagement(store, args.engagement)
    sys.stdout.write(emergency_card(engagement, store.contacts(engagement.id), clock()))
    return 0


def cmd_export(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.reports.exports import export

    store = open_store(args, clock, read_only=True)
    options = _export_options(args)
    engagement: Engagement | None
    site: Engagement | None
    if args.all:
        from sitedash.reports.faq import all_engagements

        if args.kind != "faq":
            raise InputError(t("--all works with `export faq` only"))
        engagement = site = all_engagements(store, engagement_service.active_engagement(store))
    elif args.kind == "timesheet" and args.engagement is None:
        engagement = None  # the engineer's timesheet: every engagement
        site = engagement_service.active_engagement(store)
    else:
        engagement = site = engagement_service.resolve_engagement(store, args.engagement)
    day = _day(store, args, site, clock)
    path = export(
        args.kind,
        store,
        engagement,
        day,
        engineer=engagement_service.engineer_name(store.settings()),
        now=clock(),
        out=args.out,
        force=args.force,
        fmt=args.fmt,
        **options,
    )
    if path is not None:
        print(t("Wrote {path}", path=path), file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.reports import publish

    store = open_store(args, clock, read_only=True)  # the team clone is not our data
    if args.setup:
        target = publish.setup(store.data_dir, args.setup)
        print(
            t(
                "The team repository is cloned in {dir}; `sitedash publish` now commits "
                "and pushes your reports there",
                dir=target,
            )
        )
        return 0
    engagement = engagement_service.resolve_engagement(store, args.engagement)
    day = _day(store, args, engagement, clock)
    done = publish.publish(
        store,
        args.kind,
        engagement,
        day,
        engineer=store.settings().engineer,
        now=clock(),
    )
    where = done.path.relative_to(publish.clone_dir(store.data_dir))
    if done.pushed:
        print(t("Published {path}", path=where))
    else:
        waiting = len(done.waiting)
        print(
            t("Committed {path}; not pushed ({reason})", path=where, reason=done.reason)
            + ": "
            + tn(
                waiting,
                "{n} report waits for the next publish",
                "{n} reports wait for the next publish",
            )
        )
    return 0


def cmd_collect(args: argparse.Namespace, clock: Clock) -> int:
    """The lead's command: it reads report files only, never a data dir."""
    from sitedash.reports.collect import parse_since, rollup
    from sitedash.reports.inbox import check_paths
    from sitedash.reports.output import write_report

    set_language(choose_language(args.lang, None))
    now = clock()
    since = parse_since(args.since, now.date()) if args.since else None
    paths = check_paths(args.paths)
    if args.pull:
        _pull(paths)
    text, read, skipped = rollup(paths, now=now, since=since)
    path = write_report(text, args.out, f"rollup-{now.date().isoformat()}.md", force=args.force)
    print(
        tn(
            read,
            "Read {n} report, skipped {skipped}",
            "Read {n} reports, skipped {skipped}",
            skipped=skipped,
        )
        + (f" · {path}" if path else ""),
        file=sys.stderr,
    )
    return 0


def _pull(paths: Sequence[Path]) -> None:
    """`collect --pull`: bring each clone the paths are in up to date (fast-forward)."""
    from sitedash.services import gitrepo

    gitrepo.git_command()
    clones: list[Path] = []
    for path in paths:
        top = gitrepo.toplevel(path)
        if top is None:
            raise InputError(t("--pull: {path} is not in a git clone", path=path))
        if top not in clones:
            clones.append(top)
    for clone in clones:
        try:
            gitrepo.pull_ff_only(clone)
        except gitrepo.GitFailed as error:
            raise InputError(t("--pull in {dir}: {error}", dir=clone, error=error)) from None


def cmd_restore(args: argparse.Namespace, clock: Clock) -> int:
    from sitedash.paths import resolve_data_dir

    set_language(choose_language(args.lang, None))
    report = restore_backup(resolve_data_dir(args.data_dir), args.backup, clock=clock)
    for path, source in report.restored:
        print(t("Restored {path} from {backup}", path=path, backup=source.name))
    for path in report.unrecoverable:
        print(t("No backup holds a good copy of {path}; it was moved aside", path=path))
    for path in report.kept:
        print(t("  kept the replaced or damaged file as {path}", path=path))
    return 0


_parsers: dict[tuple[object, ...], _Parser] = {}


def _parser() -> _Parser:
    """The parser, built once per process for each language and set of report kinds (what
    it is built from): the quick-command server (`sitedash.server`) runs many commands,
    and building it takes ~4 ms."""
    key = (current_language(), report_registry.names(), tuple(report_registry.formats()))
    parser = _parsers.get(key)
    if parser is None:
        parser = _parsers[key] = build_parser()
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock = utc_now) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(choose_language(language_in(argv), None))
    install_argparse_texts()
    try:
        args = _parser().parse_args(argv)
        if args.lang:
            set_language(args.lang)
        handler = getattr(args, "handler", cmd_dashboard)
        return handler(args, clock)
    except (UsageError, InputError, StoreError) as error:
        message = str(error) if isinstance(error, UsageError) else f"sitedash: {error}"
        print(message.replace("\n", " "), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sitedash export daily | head`
        return 0
    finally:
        for store in _opened:
            for notice in store.take_notices():
                print(f"sitedash: {notice}".replace("\n", " "), file=sys.stderr)
        _opened.clear()


if __name__ == "__main__":
    raise SystemExit(main())
