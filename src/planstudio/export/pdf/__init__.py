"""The PDF writer, a package: fonts, styles, wrapping, text, flowables, tables, charts, canvas.

`writer.write_pdf` is the one entry point; its module doc says why the writer draws its own
flowables rather than platypus's Paragraph and Table.
"""

from planstudio.export.pdf.reportlab_import import import_platypus

# Before any module of the package imports reportlab: see `reportlab_import`.
import_platypus()

from planstudio.export.pdf.writer import write_pdf  # noqa: E402 - after reportlab's import

__all__ = ["write_pdf"]
