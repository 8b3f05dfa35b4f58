"""Text → spoken text → speech → broadcast-ready audio. No Qt, no database."""
