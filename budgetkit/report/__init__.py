"""Stage 5 — report: findings as terminal text, JSON, Markdown or one offline HTML file."""
from budgetkit.report.findings import render, to_html, to_json, to_markdown, to_text

__all__ = ["render", "to_text", "to_json", "to_markdown", "to_html"]
