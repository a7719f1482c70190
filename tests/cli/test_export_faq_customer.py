"""`sitedash export faq [--engagement ID | --all]` and `sitedash export customer` from the
run: files named by kind, `--out`, `--lang`, and one-line mistakes."""

from __future__ import annotations

from pathlib import Path

from sitedash.models import Confirmation, ConfirmMethod, Engagement, Issue, IssueStatus
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.services import issues as issue_service
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store
from tests.cli.test_cli import assert_usage_error
from tests.conftest import FROZEN_NOW


def confirm(store: Store, engagement: str, title: str) -> None:
    issue = issue_service.create_issue(
        store, Issue(title, engagement, module="Platform", symptom=f"{title}: symptom")
    )
    issue_service.move(store, issue, IssueStatus.RESOLVED)
    issue_service.move(
        store,
        issue,
        IssueStatus.CONFIRMED,
        confirmation=Confirmation("Anna", ConfirmMethod.EMAIL, FROZEN_NOW),
    )


def test_export_faq_of_one_engagement_and_of_all(run, store: Store, tmp_path: Path) -> None:
    save_new_engagement(store, Engagement(id="erp", name="ERP 采购"))
    confirm(store, "mes", "Login fails")
    confirm(store, "erp", "PO approval stuck")

    status, out, _ = run("export", "faq", "--engagement", "mes")
    assert status == 0
    fields = parse_front_matter(out)
    assert (fields["kind"], fields["engagement"], fields["counts"]["entries"]) == (
        "faq",
        "mes",
        1,
    )
    assert "### Login fails" in out and "PO approval stuck" not in out

    status, out, _ = run("export", "faq", "--engagement", "erp", "--lang", "zh")
    assert status == 0 and "### PO approval stuck" in out and "**问题:**" in out

    status, _, err = run("export", "faq", "--all", "--out", str(tmp_path))
    written = tmp_path / "faq-all-2026-11-25.md"
    assert status == 0 and str(written) in err
    text = written.read_text(encoding="utf-8")
    assert parse_front_matter(text)["engagement"] == "*"
    assert "### Login fails" in text and "### PO approval stuck" in text


def test_export_customer_writes_its_file(run, store: Store, tmp_path: Path) -> None:
    status, _, err = run("export", "customer", "--out", str(tmp_path))
    written = tmp_path / "customer-mes-2026-11-25.md"
    assert status == 0 and str(written) in err
    text = written.read_text(encoding="utf-8")
    assert parse_front_matter(text)["kind"] == "customer"
    assert "## Open issues (0)" in text


def test_all_is_for_the_faq_only(run, store: Store) -> None:
    assert_usage_error(run("export", "customer", "--all"), "--all works with `export faq` only")
    assert_usage_error(
        run("export", "faq", "--all", "--engagement", "mes"), "not allowed with argument"
    )
