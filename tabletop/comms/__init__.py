"""Communications and the fog of war: messages over channels that break (issue 5)."""
