"""Broadcast reports: the aggregates (from SQL, see scheduler.persistence.reports_db) and the
printable report in the Vietnamese administrative layout (XLSX and PDF)."""
