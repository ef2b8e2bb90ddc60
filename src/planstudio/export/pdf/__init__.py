"""The PDF writer, a package: fonts, styles, wrapping, text, flowables, tables, charts, canvas.

`writer.write_pdf` is the one entry point; its module doc says why the writer draws its own
flowables rather than platypus's Paragraph and Table.
"""

from planstudio.export.pdf.writer import write_pdf

__all__ = ["write_pdf"]
