"""Rendering a report's content as an A4 PDF in Chinese (ReportLab, embedded TrueType subset).

ReportLab is used rather than HTML-to-PDF because it renders a 37-domain report in tens of
milliseconds (docs/architecture.md: the signed report's p50 target is 150 ms). It cannot embed CFF-based fonts
such as Noto CJK, hence WenQuanYi Micro Hei (TrueType). The PDF carries no creation date or random ID
of its own beyond the report's, so the same content renders to the same text.
"""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xinyong.core import clock
from xinyong.reports.content import ReportContent, Section

FONT = "XinyongCJK"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


SEAL_RED = colors.Color(0.8, 0.1, 0.1)
SIGNATURE_NOTE = (
    "本报告加盖出具单位的电子签名（PDF 数字签名）；印章图样仅供识别，真伪以数字签名和本平台核验为准。"
)


@cache
def register_font() -> str:
    """Register the CJK font once per process (parsing the font file is the costly part)."""
    configured = [settings.REPORT_FONT] if settings.REPORT_FONT else list(FONT_CANDIDATES)
    path = next((p for p in configured if Path(p).is_file()), None)
    if path is None:
        raise ImproperlyConfigured(
            "报告所需的中文 TrueType 字体不存在：请安装 fonts-wqy-microhei 或设置 XINYONG_REPORT_FONT "
            f"(no CJK TrueType font among {configured})"
        )
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return path


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", parent=base, fontSize=17, leading=24, alignment=1, spaceAfter=2 * mm
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9, alignment=1, textColor=colors.grey),
        "heading": ParagraphStyle("heading", parent=base, fontSize=11.5, leading=16, spaceBefore=3 * mm),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#333333")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10.5),
    }


class QrCode(Flowable):
    """The verification link as a QR code, drawn as vector squares (no bitmap to embed)."""

    def __init__(self, url: str, size: float = 28 * mm) -> None:
        super().__init__()
        self.matrix = segno.make(url, error="m").matrix
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        cells = len(self.matrix)
        cell = self.size / cells
        self.canv.setFillColor(colors.black)
        for row, values in enumerate(self.matrix):
            for col, dark in enumerate(values):
                if dark:
                    self.canv.rect(col * cell, self.size - (row + 1) * cell, cell, cell, stroke=0, fill=1)


class Seal(Flowable):
    """The issuing centre's seal as people expect to see it beside the signature: a red ring with a
    star and the centre's name. It is a picture of the seal; what proves the report is the PAdES
    signature (``reports.signing``), which the seal's caption names."""

    def __init__(self, name: str, size: float = 30 * mm) -> None:
        super().__init__()
        self.name = name
        self.width = self.height = size

    def draw(self) -> None:
        c, r = self.canv, self.width / 2
        c.saveState()
        c.setStrokeColor(SEAL_RED)
        c.setFillColor(SEAL_RED)
        c.setLineWidth(1.6)
        c.circle(r, r, r - 1, stroke=1, fill=0)
        c.setLineWidth(0.5)
        c.circle(r, r, r - 3.2, stroke=1, fill=0)
        star = c.beginPath()
        for i in range(10):  # a five-pointed star: outer and inner points alternate
            radius = r * (0.26 if i % 2 == 0 else 0.1)
            angle = math.pi / 2 + i * math.pi / 5
            point = (r + radius * math.cos(angle), r * 1.12 + radius * math.sin(angle))
            if i == 0:
                star.moveTo(*point)
            else:
                star.lineTo(*point)
        star.close()
        c.drawPath(star, stroke=0, fill=1)
        # The name in one or two lines under the star, as wide as the ring allows.
        half = (len(self.name) + 1) // 2
        lines = [self.name] if len(self.name) <= 8 else [self.name[:half], self.name[half:]]
        size = min(7.5, (self.width * 0.7) / max(len(line) for line in lines))
        c.setFont(FONT, size)
        for i, line in enumerate(lines):
            c.drawCentredString(r, r * 0.62 - i * (size + 1.5), line)
        c.restoreState()


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _section(section: Section, no_record: str, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    heading = _p(f"{section.number}. {section.name}" if section.number else section.name, s["heading"])
    confirmed = [_p(section.confirmed, s["small"])] if section.confirmed else []
    if section.referral:
        return [KeepTogether([heading, _p(section.referral, s["base"])])]
    if not section.lines:
        return [KeepTogether([heading, _p(no_record, s["base"]), *confirmed])]
    header = ["决定书文号", "决定/列入日期", "决定机关", "类别", "内容", "状态"]
    rows = [[_p(h, s["cell"]) for h in header]] + [
        [
            _p(line.key, s["cell"]),
            _p(line.decided.isoformat(), s["cell"]),
            _p(line.authority, s["cell"]),
            _p(line.category, s["cell"]),
            _p(line.content, s["cell"]),
            _p(f"{line.state}；{line.standing}" if line.standing else line.state, s["cell"]),
        ]
        for line in section.lines
    ]
    table = Table(rows, colWidths=[32 * mm, 20 * mm, 32 * mm, 18 * mm, 54 * mm, 18 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [heading, table, *confirmed]


def _quiet_sections(sections: list[Section], no_record: str, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Domains with nothing to report, two to a row (领域 | 未发现违法违规记录), so a report of one or
    two records fits on one or two pages while still naming every covered domain."""
    cells = [
        [_p(f"{x.number}. {x.name}" if x.number else x.name, s["cell"]), _p(no_record, s["cell"])]
        for x in sections
    ]
    if len(cells) % 2:
        cells.append([_p("", s["cell"]), _p("", s["cell"])])
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[45 * mm, 42 * mm, 45 * mm, 42 * mm], repeatRows=0)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.lightgrey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return [_p(f"其余 {len(sections)} 个领域", s["heading"]), table]


def _footer(number: str, canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(colors.grey)
    canvas.drawString(18 * mm, 10 * mm, f"报告编号 {number}")
    canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Keeps every page until the document ends, so each footer can say 第 N 页 共 M 页: a reader (and a
    bank clerk checking a printout) sees at once whether a page is missing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own reset, not in its stubs

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.grey)
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"第 {self.getPageNumber()} 页 共 {total} 页")
            self.restoreState()
            super().showPage()
        super().save()


def render(content: ReportContent) -> bytes:
    """The report as PDF bytes (unsigned)."""
    register_font()
    s = _styles()
    issued = content.issued_at.astimezone(clock.CHINA)
    facts = [
        ["报告编号", content.number, "验证码", content.verification_code],
        ["主体名称", content.subject_name, "主体代码", content.subject_code],
        ["查询期间", f"{content.period_from} 至 {content.period_to}", "出具时间", f"{issued:%Y-%m-%d %H:%M}"],
        ["数据截止", f"{content.period_to}", "模板版本", content.template_version],
    ]
    facts_table = Table(
        [[_p(c, s["base"]) for c in row] for row in facts], colWidths=[20 * mm, 65 * mm, 20 * mm, 69 * mm]
    )
    facts_table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey)]))
    story: list[Flowable] = [
        _p(content.title, s["title"]),
        _p(content.purpose, s["subtitle"]),
        Spacer(1, 4 * mm),
        facts_table,
        Spacer(1, 2 * mm),
        _p(content.summary, s["base"]),
    ]
    quiet = [x for x in content.sections if not (x.lines or x.referral or x.confirmed)]
    for section in content.sections:
        if section not in quiet:
            story.extend(_section(section, content.no_record, s))
    if quiet:
        story.extend(_quiet_sections(quiet, content.no_record, s))
    story.append(Spacer(1, 5 * mm))
    story.append(_p("说明", s["heading"]))
    story.extend(_p(f"{i}. {note}", s["small"]) for i, note in enumerate(content.notes, 1))
    story.append(Spacer(1, 2 * mm))
    centre = content.issuer.rsplit("（", 1)[-1].rstrip("）") if "（" in content.issuer else content.issuer
    signed = Table(
        [[[_p(content.issuer, s["base"]), _p(SIGNATURE_NOTE, s["small"])], Seal(centre)]],
        colWidths=[140 * mm, 34 * mm],
    )
    signed.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(KeepTogether([signed]))
    verify = Table(
        [[QrCode(content.verify_url), [_p("报告核验", s["heading"]), _p(content.verify_how, s["small"])]]],
        colWidths=[34 * mm, 140 * mm],
    )
    verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([Spacer(1, 4 * mm), verify]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{content.title} {content.number}",
        author=content.issuer.removeprefix("出具单位：") or "公共信用信息平台",
        subject=f"{content.subject_name}（{content.subject_code}） {content.period_from} 至 {content.period_to}",
        creator="xinyong 公共信用信息平台",
        keywords=[content.number, "专项信用报告"],
        lang="zh-CN",
        invariant=1,  # no wall-clock creation date or random document ID: same content, same file
    )
    doc.build(
        story,
        onFirstPage=lambda c, d: _footer(content.number, c, d),
        onLaterPages=lambda c, d: _footer(content.number, c, d),
        canvasmaker=_NumberedCanvas,
    )
    return buffer.getvalue()
