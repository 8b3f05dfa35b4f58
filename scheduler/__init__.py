"""Sessions → timeline → playout engine → broadcast log. No Qt; time and playback injected."""
