"""A realistic demo dataset: an MES roll-out abroad and an ERP module at home.

Drawn from the seed articles (an MES roll-out across plants, an ERP procurement module).
Deterministic for a given seed and day, so benchmarks and golden tests can rely on it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sitedash.models import (
    Category,
    ChecklistEntry,
    Contact,
    DayNote,
    Engagement,
    PlanItem,
    PlanStatus,
    Settings,
)
from sitedash.storage import Store

MES = "mes-gyor"
ERP = "erp-suzhou"

_PLAN_TEMPLATES: list[tuple[Category, str, int]] = [
    (Category.DEPLOY, "部署 MES 应用服务器 (node {n})", 120),
    (Category.DEPLOY, "Install MES client on line {n} terminals", 90),
    (Category.CONFIGURE, "配置工单模板与工艺路线 (line {n})", 60),
    (Category.CONFIGURE, "Set up user roles and permissions for shift leads", 45),
    (Category.MIGRATION, "迁移物料主数据第 {n} 批并核对数量", 120),
    (Category.MIGRATION, "Verify migrated BOMs against legacy export, batch {n}", 90),
    (Category.TESTING, "UAT: 报工与质检流程测试 (场景 {n})", 90),
    (Category.TESTING, "Regression test after patch 3.{n}", 60),
    (Category.TRAINING, "操作员培训: 报工与扫码 (第 {n} 场)", 90),
    (Category.TRAINING, "Admin training: permissions and data export", 60),
    (Category.MEETING, "Daily stand-up with customer PM", 15),
    (Category.MEETING, "与总部远程支持同步接口问题", 30),
    (Category.DOCUMENTATION, "更新部署日志与截图", 30),
    (Category.DOCUMENTATION, "Write FAQ entries from this week's questions", 45),
    (Category.SUPPORT, "现场支持: 处理车间反馈的问题", 60),
    (Category.SUPPORT, "Check interface logs ERP -> MES overnight sync", 30),
]

_BLOCKERS = [
    "数据库连接偶发超时, 需要客户 IT 开放 1433 端口",
    "Waiting for customer to provide label printer drivers",
    "Legacy BOM export has duplicate part numbers; need the customer's decision",
    "接口字段映射需要总部确认",
]
_RESOURCES = [
    "需要客户 IT 提供测试账号 3 个",
    "Book the training room for Thursday, 20 seats",
    "HQ expert for the PLC interface, remote session 2 h",
]
_SYNC = [
    "站会: 客户确认下周一开始二号线试运行。",
    "Stand-up: customer PM asked for a daily progress mail by 18:00.",
    "站会: 质检部门希望增加不良品原因代码。",
    "Stand-up: line 2 supervisor reports scanners freeze after shift change.",
]


def demo_engagements(today: date, days: int) -> list[Engagement]:
    start = today - timedelta(days=max(days, 1) - 1)
    return [
        Engagement(
            id=MES,
            name="MES roll-out, Győr plant",
            customer="Danube Precision Kft.",
            site="Győr, Hungary",
            site_tz="Europe/Budapest",
            hq_tz="Asia/Shanghai",
            start=start,
            end=start + timedelta(days=max(days, 90) + 60),
            contacts=[
                Contact("Customer PM", "Kovács Anna", "+36 30 555 0101", "anna.kovacs@example.hu"),
                Contact("Customer IT contact", "Nagy Péter", "+36 30 555 0102"),
                Contact("Local liaison", "王磊 (Wang Lei)", "+36 30 555 0199"),
                Contact("HQ remote support", "总部实施支持 (HQ support desk)", "+86 512 5555 0100"),
            ],
            checklist=[
                ChecklistEntry("Servers: 2 app nodes, 1 DB node, 16 GB RAM each", True),
                ChecklistEntry("Network: firewall ports 443, 1433 open to MES subnet", True),
                ChecklistEntry("Database: SQL Server 2019 CU18 confirmed", True),
                ChecklistEntry("Accounts: domain account and VPN to HQ", True),
                ChecklistEntry("Toolkit: WinSCP, SSMS, log analyser, backup drive", False),
            ],
        ),
        Engagement(
            id=ERP,
            name="ERP 采购模块上线",
            customer="华东精密制造有限公司",
            site="苏州工业园区",
            site_tz="Asia/Shanghai",
            hq_tz="Asia/Shanghai",
            start=start,
            end=None,
            contacts=[Contact("客户项目经理", "陈静", "138 0000 1234")],
        ),
    ]


def generate(store: Store, *, today: date, days: int = 30, seed: int = 7) -> None:
    """Write the demo dataset with `days` days of history ending `today` into `store`."""
    rng = random.Random(seed)
    engagements = demo_engagements(today, days)
    with store.transaction():
        for engagement in engagements:
            store.save_engagement(engagement)
        settings = store.settings()
        store.save_settings(
            Settings(
                engineer=settings.engineer or "李伟 (Li Wei)",
                lang=settings.lang,
                active_engagement=MES,
                day_starts_at=settings.day_starts_at,
            )
        )
        items, notes = _journal(rng, today, days)
        store.add_plan_items(items)
        store.add_day_notes(notes)


def _journal(rng: random.Random, today: date, days: int) -> tuple[list[PlanItem], list[DayNote]]:
    items: list[PlanItem] = []
    notes: list[DayNote] = []
    unfinished: list[PlanItem] = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5 and offset:
            continue
        is_today = offset == 0
        todays: list[PlanItem] = []
        # Unfinished work is carried over, as the engineer would; today's carry-over is
        # left for the engineer to do, so the demo shows it.
        if not is_today:
            for old in unfinished:
                todays.append(_copy(old, day, len(todays)))
        for _ in range(rng.randint(3, 5)):
            category, template, minutes = rng.choice(_PLAN_TEMPLATES)
            todays.append(
                PlanItem(
                    title=template.format(n=rng.randint(1, 6)),
                    day=day,
                    engagement=MES,
                    category=category,
                    estimate_min=minutes,
                    position=len(todays),
                )
            )
        unfinished = []
        for index, item in enumerate(todays):
            if is_today:
                item.status = PlanStatus.DOING if index == 0 else PlanStatus.TODO
                continue
            roll = rng.random()
            if roll < 0.8:
                item.status = PlanStatus.DONE
            elif roll < 0.87:
                item.status = PlanStatus.DROPPED
            else:
                unfinished.append(item)
        items.extend(todays)
        if offset % 3 == 0 or is_today:
            notes.append(
                DayNote(
                    day=day,
                    engagement=MES,
                    blockers=rng.choice(_BLOCKERS) if rng.random() < 0.5 or is_today else "",
                    resources=rng.choice(_RESOURCES) if rng.random() < 0.4 else "",
                    sync_note=rng.choice(_SYNC),
                )
            )
    if days >= 1:
        items.append(
            PlanItem(
                title="确认采购订单审批流程 (三级审批)",
                day=today,
                engagement=ERP,
                category=Category.CONFIGURE,
                estimate_min=60,
            )
        )
    return items, notes


def _copy(item: PlanItem, day: date, position: int) -> PlanItem:
    return PlanItem(
        title=item.title,
        day=day,
        engagement=item.engagement,
        category=item.category,
        estimate_min=item.estimate_min,
        position=position,
        carried_from=item.id,
    )
