"""The monthly data-quality notice (数据质量通报) for the credit office: every unit's rates, the units below
target named with their figures and their last twelve months, as PDF (reportlab, with its own charts)
and XLSX (``core.spreadsheet``). 厦信用办〔2022〕2号 二（六）: units whose upload, compliance or timeliness
rate is below 100% are named (予以通报)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xinyong.accounts.models import User
from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.spreadsheet import write_xlsx_sheets
from xinyong.quality import scorecard
from xinyong.quality.months import label
from xinyong.quality.rules import Targets
from xinyong.quality.scorecard import Counts, ProviderCard, Rate
from xinyong.reports.render import FONT, register_font

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MEASURE_NAMES = {
    "upload": "上报率",
    "compliance": "合规率",
    "timeliness": "及时率",
    "accuracy": "抽检准确率",
    "declaration": "未申报决定数",
}
SERIES_COLOURS = (colors.HexColor("#1f77b4"), colors.HexColor("#ff7f0e"), colors.HexColor("#2ca02c"))


@dataclass(frozen=True)
class Shortfall:
    card: ProviderCard
    measures: list[str]
    history: list[tuple[dt.date, Counts]]


@dataclass(frozen=True)
class Notice:
    month: dt.date
    made_at: dt.datetime
    targets: Targets
    cards: list[ProviderCard]
    below: list[Shortfall]


def build(month: dt.date) -> Notice:
    """Everything the notice says, computed once: six aggregate queries for the month, six for the
    twelve months of trend."""
    targets = scorecard.targets_for(month)
    cards = scorecard.scorecards(month)
    short = [(card, card.shortfalls(targets)) for card in cards]
    short = [(card, measures) for card, measures in short if measures]
    history = scorecard.trend([card.provider.pk for card, _ in short], month) if short else {}
    below = [Shortfall(card, measures, history.get(card.provider.pk, [])) for card, measures in short]
    return Notice(month, clock.now(), targets, cards, below)


def filename(month: dt.date, fmt: str) -> str:
    return f"quality-notice-{label(month)}.{fmt}"


def record_issue(notice: Notice, fmt: str, *, actor: User | None) -> None:
    """The trail names who produced which notice and which units it named."""
    record(
        actor=Actor.of_user(actor) if actor is not None else Actor.system("xinyong quality notice"),
        action="quality.notice",
        object_type="quality_notice",
        object_id=f"{label(notice.month)}.{fmt}",
        detail={"named": [s.card.provider.code for s in notice.below]},
    )


def percent(rate: Rate) -> str:
    return "—" if rate.percent is None else f"{rate.percent:.1f}%"


def _row(card: ProviderCard) -> list[object]:
    t = card.total
    return [
        card.rank or "—",
        card.provider.name,
        t.declared,
        t.reported,
        percent(t.upload),
        t.received,
        t.accepted,
        percent(t.compliance),
        t.assessed,
        t.timely,
        percent(t.timeliness),
        percent(t.accuracy),
        "、".join(t.missing) or "—",
    ]


HEADER = [
    "排名",
    "单位",
    "申报数",
    "报送数",
    "上报率",
    "接收行数",
    "无误行数",
    "合规率",
    "可判定记录",
    "按时记录",
    "及时率",
    "抽检准确率",
    "未申报的信息事项",
]


def _shortfall_text(item: Shortfall) -> str:
    t = item.card.total
    parts = []
    for measure in item.measures:
        if measure == "declaration":
            parts.append(f"未申报决定数的信息事项：{'、'.join(t.missing)}")
            continue
        rate = {
            "upload": t.upload,
            "compliance": t.compliance,
            "timeliness": t.timeliness,
            "accuracy": t.accuracy,
        }[measure]
        parts.append(f"{MEASURE_NAMES[measure]} {percent(rate)}（{rate.numerator}/{rate.denominator}）")
    return "；".join(parts)


# --- PDF --------------------------------------------------------------------------------------------------
def _rates_chart(cards: list[ProviderCard], width: float) -> Drawing:
    """Upload, compliance and timeliness rate of each unit (horizontal bars, 0–100%)."""
    shown = [c for c in cards if c.total.score() is not None][:20]
    height = 40 + 18 * max(1, len(shown))
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 25, int(width) - 170, height - 40
    chart.data = [
        [getattr(c.total, measure).percent or 0 for c in reversed(shown)] or [0]
        for measure in ("upload", "compliance", "timeliness")
    ]
    chart.categoryAxis.categoryNames = [c.provider.name[:14] for c in reversed(shown)] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.barWidth = 4
    for index, colour in enumerate(SERIES_COLOURS):
        chart.bars[index].fillColor = colour
    drawing.add(chart)
    drawing.add(_legend(width - 200, height - 5))
    return drawing


def _legend(x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = int(x), int(y)
    legend.fontName = FONT
    legend.fontSize = 7
    legend.columnMaximum = 1
    legend.alignment = "right"
    legend.colorNamePairs = list(zip(SERIES_COLOURS, ("上报率", "合规率", "及时率"), strict=True))
    return legend


def _trend_chart(item: Shortfall, width: float) -> Drawing | None:
    """One unit's three rates over the twelve months ending with the notice's month; None when no rate
    has two months to draw a line between (the table beside it still gives every month)."""
    series = [
        (colour, [getattr(counts, measure).percent for _m, counts in item.history])
        for colour, measure in zip(SERIES_COLOURS, ("upload", "compliance", "timeliness"), strict=True)
    ]
    drawn = [(colour, values) for colour, values in series if sum(v is not None for v in values) >= 2]
    if not drawn:
        return None
    drawing = Drawing(width, 120)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 20, int(width) - 60, 80
    chart.data = [values for _colour, values in drawn]
    chart.categoryAxis.categoryNames = [f"{m:%m}" for m, _c in item.history]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    for index, (colour, _values) in enumerate(drawn):
        chart.lines[index].strokeColor = colour
        chart.lines[index].strokeWidth = 1.2
    drawing.add(chart)
    drawing.add(_legend(width - 20, 115))
    return drawing


def _trend_table(item: Shortfall, cell: ParagraphStyle) -> Table:
    rows = [["月份", *(f"{m:%Y-%m}" for m, _c in item.history)]]
    for measure in ("upload", "compliance", "timeliness"):
        rows.append([MEASURE_NAMES[measure], *(percent(getattr(c, measure)) for _m, c in item.history)])
    table = Table([[Paragraph(v, cell) for v in row] for row in rows], colWidths=[16 * mm] + [14.5 * mm] * 12)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey)]))
    return table


def render_pdf(notice: Notice) -> bytes:
    register_font()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1)
    heading = ParagraphStyle("heading", parent=base, fontSize=11.5, leading=16, spaceBefore=3 * mm)
    cell = ParagraphStyle("cell", parent=base, fontSize=7, leading=9)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
        title=f"数据质量通报 {label(notice.month)}",
    )  # fmt: skip
    width = A4[0] - 24 * mm
    t = notice.targets
    made = notice.made_at.astimezone(clock.CHINA)
    story: list[Flowable] = [
        Paragraph(f"{notice.month.year}年{notice.month.month}月公共信用信息数据质量通报", title),
        Paragraph(
            f"生成时间 {made:%Y-%m-%d %H:%M}。目标：上报率 {t.upload}%、合规率 {t.compliance}%、及时率 {t.timeliness}%、"
            f"抽检准确率 {t.accuracy}%（《厦门市社会信用体系建设2022年工作要点》二（六））。"
            f"参评单位 {len(notice.cards)} 家，未达标 {len(notice.below)} 家。",
            base,
        ),
        Paragraph("一、未达标单位", heading),
    ]
    if not notice.below:
        story.append(Paragraph("本月各单位均已达标。", base))
    for item in notice.below:
        story.append(Paragraph(f"{item.card.provider.name}：{_shortfall_text(item)}", base))
        story.append(Paragraph(f"{item.card.provider.name} 近12个月：", cell))
        story.append(_trend_table(item, cell))
        chart = _trend_chart(item, width)
        if chart is not None:
            story.append(chart)
    story += [Paragraph("二、各单位比率", heading), _rates_chart(notice.cards, width), Spacer(1, 3 * mm)]
    rows = [[Paragraph(str(v), cell) for v in HEADER]] + [
        [Paragraph(str(v), cell) for v in _row(card)] for card in notice.cards
    ]
    table = Table(rows, repeatRows=1, colWidths=[9 * mm, 34 * mm] + [12.5 * mm] * 10 + [20 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()


# --- XLSX -------------------------------------------------------------------------------------------------
def render_xlsx(notice: Notice) -> bytes:
    """Two sheets: every unit's figures (各单位), and the units below target with their twelve months (未达标)."""
    units: list[list[object]] = [[f"{label(notice.month)} 数据质量通报"], list(HEADER)]
    units += [_row(card) for card in notice.cards]
    below: list[list[object]] = [["单位", "未达标指标", "月份", "上报率", "合规率", "及时率", "抽检准确率"]]
    for item in notice.below:
        named = "、".join(MEASURE_NAMES[m] for m in item.measures)
        below += [
            [item.card.provider.name, named, label(month), percent(counts.upload), percent(counts.compliance),
             percent(counts.timeliness), percent(counts.accuracy)]
            for month, counts in item.history
        ]  # fmt: skip
    buffer = io.BytesIO()
    write_xlsx_sheets(buffer, [("各单位", units), ("未达标", below)])
    return buffer.getvalue()
