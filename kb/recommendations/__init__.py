"""Recommendations (préconisations) as tracked records: status history, sources, precedents."""
