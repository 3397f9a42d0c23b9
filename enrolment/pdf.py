"""The network's A4 documents (certificates of attendance, CPD transcripts): one look, one verification box.

reportlab is imported inside the functions: a process that never writes a PDF (a worker sending mail) does not
pay for it.
"""

import functools
import io
from pathlib import Path

from django.utils.html import escape
from django.utils.translation import gettext as _

BLUE = "#1f4e79"
INK_SOFT = "#4a5a6a"
LINE = "#c9d3dd"


@functools.cache
def register_fonts():
    """Bitstream Vera, which ships with reportlab: embedded, it covers Swedish and most European names."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file, bold, italic in [
        ("Vera", "Vera.ttf", 0, 0),
        ("Vera-Bold", "VeraBd.ttf", 1, 0),
        ("Vera-Italic", "VeraIt.ttf", 0, 1),
        ("Vera-BoldItalic", "VeraBI.ttf", 1, 1),
    ]:
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        addMapping("Vera", bold, italic, name)


def styles():
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName="Vera", fontSize=11, leading=15, textColor=HexColor("#1a2530"))
    return {
        "network": ParagraphStyle("network", base, fontName="Vera-Bold", fontSize=12, textColor=HexColor(BLUE)),
        "title": ParagraphStyle("title", base, fontName="Vera-Bold", fontSize=28, leading=34, spaceAfter=18),
        "heading": ParagraphStyle("heading", base, fontName="Vera-Bold", fontSize=22, leading=28, spaceAfter=18),
        "intro": ParagraphStyle("intro", base, textColor=HexColor(INK_SOFT), spaceAfter=4),
        "name": ParagraphStyle("name", base, fontName="Vera-Bold", fontSize=20, leading=26, spaceAfter=14),
        "course": ParagraphStyle(
            "course", base, fontName="Vera-Bold", fontSize=17, leading=22, textColor=HexColor(BLUE), spaceAfter=22
        ),
        "label": ParagraphStyle("label", base, fontSize=10, textColor=HexColor(INK_SOFT)),
        "value": base,
        "small": ParagraphStyle("small", base, fontSize=9, leading=12, textColor=HexColor(INK_SOFT)),
        "code": ParagraphStyle("code", base, fontName="Vera-Bold", fontSize=15, leading=20, spaceAfter=4),
    }


def qr_code(url, size):
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


class Sheet:
    """One A4 document under construction, in the active language: its letterhead, paragraphs in the house
    styles, lined tables, the verification box; `build(story)` returns the PDF's bytes."""

    def __init__(self, language, *, title, subject, margins_mm):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        register_fonts()
        self.styles = styles()
        self.network = _("Sweden’s ATMP-centres")
        self.buffer = io.BytesIO()
        left, right, top, bottom = margins_mm
        self.doc = SimpleDocTemplate(
            self.buffer,
            pagesize=A4,
            leftMargin=left * mm,
            rightMargin=right * mm,
            topMargin=top * mm,
            bottomMargin=bottom * mm,
            title=title,
            author=self.network,
            subject=subject,
            creator=self.network,
            lang=language,
            displayDocTitle=True,
        )
        self.width = self.doc.width

    def paragraph(self, text, style):
        from reportlab.platypus import Paragraph

        return Paragraph(escape(str(text)), self.styles[style])

    def letterhead(self, space_below_mm):
        """The network's name over a blue rule."""
        from reportlab.lib.colors import HexColor
        from reportlab.lib.units import mm
        from reportlab.platypus import HRFlowable, Spacer

        return [
            self.paragraph(self.network, "network"),
            Spacer(1, 3 * mm),
            HRFlowable(width="100%", thickness=1.2, color=HexColor(BLUE), spaceAfter=0),
            Spacer(1, space_below_mm * mm),
        ]

    def lined_table(self, rows, col_widths, *, padding=0, vertical_padding=5, last_line=False, **options):
        """A table with thin lines between rows (and under the last one with `last_line`)."""
        from reportlab.lib.colors import HexColor
        from reportlab.platypus import Table, TableStyle

        table = Table(rows, colWidths=col_widths, **options)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), padding),
                    ("TOPPADDING", (0, 0), (-1, -1), vertical_padding),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), vertical_padding),
                    ("LINEBELOW", (0, 0), (-1, -1 if last_line else -2), 0.5, HexColor(LINE)),
                ]
            )
        )
        return table

    def verification_box(self, code, url, where_to_check):
        """The code, the sentence saying anyone can check it, the address as a link, and its QR code."""
        from reportlab.lib.colors import HexColor
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, Table, TableStyle

        qr_size = 30 * mm
        verification = [
            self.paragraph(_("Verification code"), "label"),
            self.paragraph(code, "code"),
            self.paragraph(where_to_check, "small"),
            Paragraph(f'<link href="{escape(url)}" color="{BLUE}">{escape(url)}</link>', self.styles["small"]),
        ]
        box = Table(
            [[verification, qr_code(url, qr_size)]], colWidths=[self.width - qr_size - 8 * mm, qr_size + 8 * mm]
        )
        box.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("BOX", (0, 0), (-1, -1), 0.75, HexColor(LINE)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                ]
            )
        )
        return box

    def build(self, story):
        self.doc.build(story)
        return self.buffer.getvalue()
