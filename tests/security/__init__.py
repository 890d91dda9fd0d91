"""Security fixes from the attack report (issue 12): one file per behaviour."""
