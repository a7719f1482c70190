"""The demo's words: plan items, issues, people, courses and feedback from the seeds.

Tables only; `sitedash.demo.generate` draws from them. Mixed English, Chinese and
Hungarian on purpose: the demo shows how the dashboard handles all three.
"""

from __future__ import annotations

from sitedash.models import Category, FeedbackCategory, Tier, Trainee

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
