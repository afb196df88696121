"""Reaching people: visits in, SMS and e-mail out, single-use links (README "Reaching people")."""
