"""What a batch check produces: the result sheet (XLSX, one row per submitted row) and the
协助核查情况统计表 (counts by outcome and domain) as a PDF signed by the platform's report signer
(``reports.signing``), which anyone can verify like a report (``checks.views.verify``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xinyong.core import clock
from xinyong.core.spreadsheet import write_xlsx
from xinyong.reports.render import FONT, register_font
from xinyong.reports.signing import get_signer

if TYPE_CHECKING:
    from xinyong.checks.models import BatchCheck

SEVERITIES = (("serious", "严重"), ("general", "一般"), ("minor", "轻微"))
OUTCOMES = (
    ("checked", "核查主体数"),
    ("found", "平台有该主体信息"),
    ("unknown", "平台暂无该主体信息"),
    ("rejected", "代码有误未核查"),
    ("punishment", "适用失信惩戒措施"),
    ("reward", "适用守信激励措施"),
    ("no_measure", "未发现适用的奖惩措施"),
)


def statistics(rows: list[dict[str, Any]], rejected: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by outcome, and by domain the subjects with a list entry or a penalty there."""
    outcome: Counter[str] = Counter(checked=len(rows), rejected=len(rejected))
    domains: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        outcome["found" if r["found"] else "unknown"] += 1
        directions = {m["direction"] for m in r["measures"]}
        outcome["punishment"] += "punishment" in directions
        outcome["reward"] += "reward" in directions
        outcome["no_measure"] += not directions
        for domain in {entry["domain"] for entry in r["lists"]}:
            domains[domain]["lists"] += 1
        for domain in r["penalty_domains"]:
            domains[domain]["penalties"] += 1
    return {
        "outcome": {key: outcome[key] for key, _ in OUTCOMES},
        "domains": {d: dict(domains[d]) for d in sorted(domains)},
    }


def _dir() -> Path:
    path = Path(settings.CHECKS_DIR) / "results"
    path.mkdir(parents=True, exist_ok=True)
    return path


HEADER = ["行号", "主体代码", "提交的名称", "核查结果", "平台登记名称", "在列名单", "近三年行政处罚（严重）",
          "近三年行政处罚（一般）", "近三年行政处罚（轻微）", "适用的奖惩措施", "触发记录", "说明", "公共信用综合评价等级"]  # fmt: skip


def _sheet_rows(rows: list[dict[str, Any]], rejected: list[dict[str, Any]]) -> list[tuple[int, list[object]]]:
    out: list[tuple[int, list[object]]] = []
    for r in rows:
        lists = "；".join(f"{e['name']}（{e['key']}，{e['decided']}）" for e in r["lists"])
        measures = "；".join(f"{m['direction_label']}·{m['name']}" for m in r["measures"])
        reasons = "；".join(reason["text"] for m in r["measures"] for reason in m["reasons"])
        counts = [r["penalties"].get(key, 0) for key, _ in SEVERITIES]
        out.append((r["row"], [r["row"], r["code"], r["given_name"], "有记录" if r["found"] else "平台暂无该主体信息",
                               r["name"], lists or "无", *counts, measures or "无", reasons, "", r["grade"] or "未评价"]))  # fmt: skip
    for bad in rejected:
        out.append((bad["row"], [bad["row"], bad["value"], "", "代码有误未核查", "", "", "", "", "", "", "",
                                 f"{bad['code']}：{bad['message']}", ""]))  # fmt: skip
    return sorted(out, key=lambda pair: pair[0])


def write_sheet(batch: BatchCheck, rows: list[dict[str, Any]]) -> Path:
    title = f"信用互查批量核查结果 {batch.number} · {batch.scenario.name} · {batch.purpose}"
    lines: list[list[object]] = [
        [title],
        list(HEADER),
        *(values for _, values in _sheet_rows(rows, batch.rejected)),
    ]
    path = _dir() / f"{batch.number}.xlsx"
    with path.open("wb") as handle:
        write_xlsx(handle, "核查结果", lines)
    return path


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _chart(counts: dict[str, int]) -> Drawing:
    shown = [(label, counts.get(key, 0)) for key, label in OUTCOMES]
    drawing = Drawing(170 * mm, 60 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = int(45 * mm), int(5 * mm)
    chart.width, chart.height = int(115 * mm), int(52 * mm)
    chart.data = [[value for _, value in reversed(shown)]]
    chart.categoryAxis.categoryNames = [label for label, _ in reversed(shown)]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#0072B2")
    drawing.add(chart)
    return drawing


def render_statement(batch: BatchCheck, at: dt.datetime) -> bytes:
    register_font()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1)
    heading = ParagraphStyle("heading", parent=base, fontSize=11, leading=16, spaceBefore=3 * mm)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.grey)
    local = at.astimezone(clock.CHINA)
    facts = [
        ["核查编号", batch.number, "验证码", batch.verification_code],
        ["核查单位", batch.unit.name, "核查时间", f"{local:%Y-%m-%d %H:%M}"],
        ["应用场景", batch.scenario.name, "查询事由", batch.purpose],
        ["核查文件", batch.filename, "文件 SHA-256", batch.file_sha256[:32]],
    ]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    facts_table = Table(
        [[_p(c, base) for c in row] for row in facts], colWidths=[20 * mm, 65 * mm, 22 * mm, 67 * mm]
    )
    facts_table.setStyle(grid)
    outcome = batch.counts["outcome"]
    outcome_table = Table([[_p(label, base), _p(str(outcome.get(key, 0)), base)] for key, label in OUTCOMES],
                          colWidths=[80 * mm, 30 * mm])  # fmt: skip
    outcome_table.setStyle(grid)
    domains = batch.counts["domains"]
    domain_rows = [[_p("领域", base), _p("有在列名单的主体", base), _p("近三年有行政处罚的主体", base)]]
    domain_rows += [[_p(d, base), _p(str(c.get("lists", 0)), base), _p(str(c.get("penalties", 0)), base)]
                    for d, c in domains.items()] or [[_p("无", base), _p("0", base), _p("0", base)]]  # fmt: skip
    domain_table = Table(domain_rows, colWidths=[70 * mm, 45 * mm, 50 * mm])
    domain_table.setStyle(grid)
    story: list[Flowable] = [
        _p("协助核查情况统计表", title),
        Spacer(1, 4 * mm),
        facts_table,
        _p("一、核查结果", heading),
        outcome_table,
        Spacer(1, 2 * mm),
        _chart(outcome),
        _p("二、按领域统计", heading),
        domain_table,
        Spacer(1, 4 * mm),
        _p(
            "本表由公共信用信息平台根据核查时归集的公共信用信息生成，逐一主体的核查结果见同编号的核查结果表。",
            small,
        ),
        _p(
            f"核验：访问 {settings.PUBLIC_BASE_URL}/checks/verify/ 输入核查编号和验证码，或上传本文件。",
            small,
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=f"协助核查情况统计表 {batch.number}", author="公共信用信息平台", invariant=1,
    ).build(story)  # fmt: skip
    return buffer.getvalue()


def write_statement(batch: BatchCheck, at: dt.datetime) -> tuple[str, str]:
    """The signed statistics sheet, written to disk; returns its path and SHA-256."""
    signed = get_signer().sign(
        render_statement(batch, at), reason=f"协助核查情况统计表 {batch.number}", location="公共信用信息平台"
    )
    path = _dir() / f"{batch.number}.pdf"
    path.write_bytes(signed)
    return str(path), hashlib.sha256(signed).hexdigest()
