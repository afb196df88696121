"""The LP attacker of issue 12: a hostile reader over the real HTTP paths, solved with HiGHS."""
