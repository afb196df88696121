"""Kyselypalvelu: anonymous resident and staff surveys scored as NPS, eNPS and QWL."""
