"""Layouts turned into .docx and .pdf documents (no Qt)."""
