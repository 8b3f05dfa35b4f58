"""Developer and build tools (not shipped in the bundle)."""
