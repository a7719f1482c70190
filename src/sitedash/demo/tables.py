"""The demo's words: plan items, issues, people, courses and feedback from the seeds.

Tables only; `sitedash.demo.generate` draws from them. Mixed English, Chinese and
Hungarian on purpose: the demo shows how the dashboard handles all three.
"""

from __future__ import annotations

from sitedash.models import (
    Category,
    CheckState,
    FeedbackCategory,
    MilestoneStatus,
    RiskStatus,
    Tier,
    Trainee,
    UatResult,
)

MES = "mes-gyor"
ERP = "erp-suzhou"

PLAN_TEMPLATES: list[tuple[Category, str, int]] = [
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

BLOCKERS = [
    "数据库连接偶发超时, 需要客户 IT 开放 1433 端口",
    "Waiting for customer to provide label printer drivers",
    "Legacy BOM export has duplicate part numbers; need the customer's decision",
    "接口字段映射需要总部确认",
]

RESOURCES = [
    "需要客户 IT 提供测试账号 3 个",
    "Book the training room for Thursday, 20 seats",
    "HQ expert for the PLC interface, remote session 2 h",
]

SYNC = [
    "站会: 客户确认下周一开始二号线试运行。",
    "Stand-up: customer PM asked for a daily progress mail by 18:00.",
    "站会: 质检部门希望增加不良品原因代码。",
    "Stand-up: line 2 supervisor reports scanners freeze after shift change.",
]

ISSUES: list[tuple[str, str, str, str, str, str]] = [
    (
        "扫码枪换班后死机",
        "生产报工",
        "P1",
        "二号线扫码枪在 14:00 换班后无响应",
        "驱动版本与新固件不兼容",
        "回退驱动到 2.3 并锁定自动更新",
    ),
    (
        "Database connection times out",
        "Platform",
        "P1",
        "Clients lose the connection every few minutes",
        "Firewall closes idle port 1433",
        "Customer IT raised the idle timeout; keep-alive enabled",
    ),
    (
        "界面加载缓慢",
        "Platform",
        "P2",
        "工单界面打开需要 8 秒",
        "网络延迟与未启用缓存",
        "启用缓存机制, 页面降到 1.5 秒",
    ),
    (
        "Label printer prints blank labels",
        "Warehouse",
        "P2",
        "Zebra printer feeds labels without print",
        "Wrong template DPI",
        "Template set to 300 dpi",
    ),
    (
        "BOM import duplicates part numbers",
        "Master data",
        "P2",
        "Duplicate part numbers after batch 2",
        "Legacy export has trailing spaces",
        "Trim on import and re-run batch 2",
    ),
    (
        "质检员无法查看不良品报表",
        "质量管理",
        "P3",
        "提示无权限",
        "角色未分配报表权限",
        "为质检组长角色增加报表权限",
    ),
    (
        "Shift report totals differ from ERP",
        "Reporting",
        "P3",
        "Totals off by scrap quantities",
        "Scrap booked after the cut-off",
        "Cut-off moved to 06:00",
    ),
    (
        "导出 Excel 中文乱码",
        "报表",
        "P4",
        "导出文件打开乱码",
        "编码为 ANSI",
        "导出改为 UTF-8 with BOM",
    ),
]

# UAT (用户验收测试) cases of the MES roll-out, after the seeds' testing phase: 单元测试
# (功能正确性) and 集成测试 (多模块协同) before UAT, boundary and failure scenarios
# (网络中断时系统是否能自动恢复), and a test report the customer signs (测试报告必须由客户签字
# 确认). Line 2's scenarios are the ones not run yet: the UAT report was sent back for them.
# (module, title, steps, expected, result, actual, tester, days ago, title of its issue)
UAT_CASES: list[tuple[str, str, str, str, UatResult, str, str, int, str]] = [
    (
        "生产报工",
        "UAT: 扫码报工, 工单开工到完工",
        "1. 扫描工单条码\n2. 录入合格数量 100\n3. 提交完工",
        "工单状态变为完工, ERP 收到产量",
        UatResult.PASS,
        "",
        "Szabó Gábor",
        9,
        "",
    ),
    (
        "生产报工",
        "UAT: 换班后继续扫码报工 (一号线)",
        "1. 14:00 换班\n2. 新班组登录终端\n3. 扫码报工",
        "扫码枪正常响应, 报工成功",
        UatResult.FAIL,
        "换班后扫码枪无响应, 需要重启终端",
        "Szabó Gábor",
        8,
        "扫码枪换班后死机",
    ),
    (
        "生产报工",
        "UAT: 二号线称重数据自动带入报工",
        "1. 称重\n2. 扫码报工",
        "重量自动填入报工单",
        UatResult.NOT_RUN,
        "",
        "",
        0,
        "",
    ),
    (
        "质量管理",
        "UAT: 不良品登记与原因代码",
        "1. 选择工单\n2. 登记不良品 3 件\n3. 选择原因代码",
        "不良品记录带原因代码, 报表可查",
        UatResult.PASS,
        "",
        "Molnár Zsófia",
        7,
        "",
    ),
    (
        "质量管理",
        "UAT: 质检组长查看不良品报表",
        "1. 以质检组长登录\n2. 打开不良品报表",
        "报表按班次显示",
        UatResult.FAIL,
        "提示无权限",
        "Molnár Zsófia",
        7,
        "质检员无法查看不良品报表",
    ),
    (
        "Warehouse",
        "UAT: goods receipt prints one label per pallet",
        "1. Receive PO 4711 with 3 pallets\n2. Print labels",
        "3 labels, readable by the line scanners",
        UatResult.PASS,
        "",
        "Kiss Máté",
        6,
        "",
    ),
    (
        "Warehouse",
        "UAT: reprint a label after a printer jam",
        "1. Jam the printer\n2. Reprint from the receipt",
        "The same label number is printed again",
        UatResult.BLOCKED,
        "Zebra driver for line 2 not delivered yet",
        "Kiss Máté",
        5,
        "",
    ),
    (
        "Platform",
        "集成测试: ERP → MES 工单同步 (多模块协同)",
        "1. ERP 下达工单\n2. 等待同步任务\n3. MES 查看工单",
        "5 分钟内 MES 出现工单, 工艺路线完整",
        UatResult.PASS,
        "",
        "王磊",
        4,
        "",
    ),
    (
        "Platform",
        "异常场景: 网络中断 5 分钟后自动恢复",
        "1. Unplug the line 1 switch for 5 minutes\n2. Plug it back\n3. Report work",
        "Clients reconnect by themselves; nothing typed is lost",
        UatResult.FAIL,
        "Clients stay offline until restarted",
        "Fekete László",
        3,
        "Database connection times out",
    ),
    (
        "Reporting",
        "UAT: shift report totals match the ERP (line 2)",
        "1. Close shift B on line 2\n2. Compare with the ERP's production order totals",
        "Totals equal, scrap included",
        UatResult.NOT_RUN,
        "",
        "",
        0,
        "",
    ),
    (
        "Reporting",
        "UAT: 导出 Excel 报表中文显示正常",
        "1. 导出班次报表\n2. 用 Excel 打开",
        "中文无乱码",
        UatResult.PASS,
        "",
        "王磊",
        2,
        "",
    ),
]

REPORTERS = ["Kovács Anna", "Nagy Péter", "Szabó Gábor", "王磊", "Tóth Eszter"]

PEOPLE = {
    Tier.OPERATOR: [
        ("Szabó Gábor", "operator", "Line 2"),
        ("Tóth Eszter", "operator", "Line 2"),
        ("Varga Bence", "operator", "Line 3"),
        ("Horváth Réka", "operator", "QA"),
        ("Kiss Máté", "operator", "Warehouse"),
        ("刘洋", "operator", "Line 3"),
    ],
    Tier.ADMIN: [
        ("Nagy Péter", "shift lead", "Production"),
        ("Molnár Zsófia", "team lead", "QA"),
        ("王磊", "IT admin", "IT"),
    ],
    Tier.DECISION: [
        ("Kovács Anna", "project manager", "PMO"),
        ("Fekete László", "IT manager", "IT"),
    ],
}

ROSTER_EXTRA = [
    Trainee("Balogh Dóra", MES, Tier.OPERATOR, "operator", "Line 3"),
    Trainee("Farkas Ádám", MES, Tier.ADMIN, "shift lead", "Warehouse", ["Warehouse"]),
]

COURSES = {
    Tier.OPERATOR: [
        ("报工与扫码 (reporting work)", ["Production"]),
        ("Quality inspection on the line", ["Quality"]),
        ("Goods receipt and labels", ["Warehouse"]),
    ],
    Tier.ADMIN: [
        ("Permissions and data export", ["Production", "Quality"]),
        ("后台设置与权限分配", ["Warehouse"]),
    ],
    Tier.DECISION: [("System architecture and monitoring", ["Production", "Quality"])],
}

FEEDBACK = [
    (FeedbackCategory.TECHNICAL, "Scanning is faster than the paper slips", "Szabó Gábor", 5),
    (FeedbackCategory.TECHNICAL, "报表导出中文乱码已解决, 很满意", "王磊", 4),
    (
        FeedbackCategory.PROCESS,
        "Approval flow for scrap needs one step less",
        "Molnár Zsófia",
        None,
    ),
    (FeedbackCategory.PROCESS, "希望培训安排在换班前", "Nagy Péter", 3),
    (FeedbackCategory.SERVICE, "Quick answers on site, thank you", "Kovács Anna", 5),
    (FeedbackCategory.SERVICE, "Daily progress mail arrives late some days", "Fekete László", 3),
]

# The Engagement screen (应急联络表, 实施计划, 风险管理): the MES roll-out's contacts,
# milestones month by month, the risks the seeds warn of, and how far the checks are.

CONTACTS: list[tuple[str, str, str, str, str, str, str, bool]] = [
    # name, role, organisation, phone, e-mail or IM, zone ("" = the site's), hours, every day
    (
        "Kovács Anna",
        "Customer PM",
        "Danube Precision",
        "+36 30 555 0101",
        "anna.kovacs@example.hu",
        "",
        "08:00-16:30",
        False,
    ),
    (
        "Nagy Péter",
        "Customer IT contact",
        "Danube Precision",
        "+36 30 555 0102",
        "peter.nagy@example.hu",
        "",
        "07:00-15:30",
        False,
    ),
    (
        "王磊 (Wang Lei)",
        "Local liaison",
        "Danube Precision",
        "+36 30 555 0199",
        "WeChat: wanglei_gyor",
        "",
        "08:00-17:00",
        False,
    ),
    (
        "总部实施支持 (HQ support desk)",
        "HQ remote support",
        "HQ Suzhou",
        "+86 512 5555 0100",
        "mes-support@example.cn",
        "Asia/Shanghai",
        "09:00-18:00",
        False,
    ),
    (
        "值班工程师 (HQ on-call)",
        "HQ on-call 7×24",
        "HQ Suzhou",
        "+86 512 5555 0110",
        "DingTalk: mes-oncall",
        "Asia/Shanghai",
        "24h",
        True,
    ),
]

ERP_CONTACTS = [
    ("陈静", "客户项目经理", "华东精密制造", "138 0000 1234", "", "", "08:30-17:30", False)
]

CHECK_STATES: dict[str, tuple[CheckState, str]] = {
    # template key -> state and note; the items not named stay open
    "env_servers": (CheckState.OK, "2 app nodes, 1 DB node, 16 GB RAM each"),
    "env_network": (CheckState.OK, "ports 443 and 1433 open to the MES subnet"),
    "env_database": (CheckState.OK, "SQL Server 2019 CU18"),
    "env_accounts": (CheckState.OK, ""),
    "env_bandwidth": (CheckState.PROBLEM, "VPN to HQ 2 Mbit/s; customer IT asked for 10"),
    "env_access": (CheckState.OK, ""),
    "env_privacy": (CheckState.OK, "PIA signed by the customer's legal team"),
    "dep_package": (CheckState.OK, ""),
    "dep_log": (CheckState.OK, "部署日志与截图在 /share/mes/deploy"),
    "dep_database": (CheckState.OK, ""),
    "dep_migration": (CheckState.OK, "batches 1-3 verified"),
    "dep_roles": (CheckState.OK, ""),
    "dep_interfaces": (CheckState.PROBLEM, "ERP -> MES overnight sync drops scrap bookings"),
}

MILESTONES: list[tuple[str, str, str, int, int, MilestoneStatus, list[str]]] = [
    # phase, title, owner, due (days from today), buffer days, status, deliverables (keys)
    (
        "Month 1 · 基础配置",
        "Environment ready, MES installed on the app nodes",
        "李伟",
        -24,
        3,
        MilestoneStatus.DONE,
        ["deployment_report"],
    ),
    (
        "Month 1 · 流程梳理",
        "Work orders, routings and roles configured for lines 1-2",
        "李伟",
        -12,
        3,
        MilestoneStatus.DONE,
        [],
    ),
    (
        "Month 2 · 试运行",
        "Line 2 pilot run with scanners (二号线试运行)",
        "Kovács Anna",
        -2,
        3,
        MilestoneStatus.IN_PROGRESS,
        [],
    ),
    (
        "Month 2 · 数据迁移",
        "Master data migrated and verified, UAT passed",
        "李伟",
        3,
        5,
        MilestoneStatus.IN_PROGRESS,
        ["migration_check", "uat_report"],
    ),
    (
        "Month 3 · 培训",
        "Operators and admins trained (two hands-on sessions each)",
        "李伟",
        24,
        7,
        MilestoneStatus.PLANNED,
        ["manual_operators", "manual_admins", "training_material"],
    ),
    (
        "Month 3 · 验收",
        "Go-live on lines 1-3 and the acceptance signed (项目验收单)",
        "Kovács Anna",
        45,
        10,
        MilestoneStatus.PLANNED,
        ["golive_plan", "faq", "uat_report"],
    ),
]

RISKS: list[tuple[str, int, int, str, str, int | None, RiskStatus]] = [
    # description, likelihood, impact, owner, mitigation, trigger (days from today), status
    (
        "Scanner firmware update breaks the driver again (扫码枪换班后死机)",
        2,
        3,
        "李伟",
        "Driver pinned to 2.3 and auto-update locked; retest after each patch",
        -1,
        RiskStatus.MITIGATED,
    ),
    (
        "Key users miss training because of shift changes (培训参与率低)",
        3,
        2,
        "Kovács Anna",
        "Sessions before the shift change; team leads first, then their teams",
        10,
        RiskStatus.OPEN,
    ),
    (
        "Legacy BOM export quality delays the last migration batch",
        2,
        3,
        "Nagy Péter",
        "Trim and dedupe on import; the customer decides on duplicates within a day",
        6,
        RiskStatus.OPEN,
    ),
    (
        "Customer asks for new functions mid-phase (需求频繁变更)",
        2,
        2,
        "Kovács Anna",
        "Change control: written request, impact assessed before it enters the phase",
        None,
        RiskStatus.OPEN,
    ),
    (
        "时差: HQ answers late across the six-hour difference",
        2,
        2,
        "李伟",
        "应急联络表 with the HQ on-call 7×24; urgent issues by phone, not mail",
        14,
        RiskStatus.OPEN,
    ),
    (
        "Personal data in the migrated master data (GDPR)",
        1,
        3,
        "Nagy Péter",
        "Privacy impact assessment with the customer's legal team",
        None,
        RiskStatus.CLOSED,
    ),
]

# The go-live runbook (上线与切换): line 2 went live last night in the low-traffic window
# (低峰期), 22:00-06:00 site time; the rollback plan (回滚预案) was not needed; someone
# watches the system through go-live day (专人值守).

RUNBOOK_DECIDER = "Kovács Anna (customer PM) with 李伟"

RUNBOOK_CRITERIA = (
    "A P1 problem still without a workaround 60 minutes after it appeared\n"
    "Migrated data does not reconcile (counts or totals differ)\n"
    "A key flow fails the smoke test (报工, 质检, 入库)\n"
    "The cutover is not verified by 05:30"
)

RUNBOOK_STEPS: list[tuple[int, int, str, str, str, bool]] = [
    # minutes from the window's start, minutes planned, step, owner, note, failed
    (
        0,
        15,
        "Go / no-go call: backups, people and the rollback plan ready",
        "Kovács Anna",
        "",
        False,
    ),
    (15, 15, "Announce the freeze: line 2 stops booking on paper slips", "Nagy Péter", "", False),
    (30, 30, "Full backup of the legacy database; restore tested", "Nagy Péter", "", False),
    (
        60,
        90,
        "最后一批物料与工单数据迁移, 数量与金额核对",
        "李伟",
        "batch 4: 12 840 rows, totals match",
        False,
    ),
    (
        150,
        30,
        "Switch the ERP -> MES interface to production",
        "总部实施支持 (HQ)",
        "ERP refused the new certificate; HQ renewed it, see the next step",
        True,
    ),
    (
        185,
        20,
        "Repeat: switch the ERP -> MES interface (new certificate)",
        "总部实施支持 (HQ)",
        "",
        False,
    ),
    (210, 60, "Smoke test with key users: 报工, 质检, 入库", "Szabó Gábor", "", False),
    (270, 15, "Go-live decision: open MES on line 2, or roll back", "Kovács Anna", "go", False),
    (285, 30, "Open to users; watch CPU, memory and log levels", "李伟", "", False),
]

RUNBOOK_ROLLBACK: list[tuple[str, str]] = [
    ("Stop MES on line 2 and the ERP interface; keep the logs", "李伟"),
    ("Restore the legacy database from the 22:30 backup", "Nagy Péter"),
    ("Paper slips back on line 2; tell the shift leads", "Kovács Anna"),
    ("Report to HQ and the customer: what failed, what comes next", "李伟"),
]

WATCH_ROSTER: list[tuple[int, int, str, str, str]] = [
    # start and end in hours from the window's start, who, contact, duty
    (0, 8, "Nagy Péter", "+36 30 555 0102", "database and network"),
    (8, 16, "李伟 (Li Wei)", "+36 30 555 0142 · WeChat: liwei_mes", "CPU, memory, log levels"),
    (16, 24, "王磊 (Wang Lei)", "WeChat: wanglei_gyor", "users' calls on line 2"),
    (0, 24, "值班工程师 (HQ on-call)", "+86 512 5555 0110", "remote support 7×24"),
]
