"""The Word writer, a package: text, small parts, the body, the package around it, the writer.

`writer.write_docx` is the one entry point; its module doc says why the body is written as
WordprocessingML text rather than through python-docx's API.
"""

from planstudio.export.docx.writer import write_docx

__all__ = ["write_docx"]
