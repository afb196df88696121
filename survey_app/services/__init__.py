"""Use cases: a session in, plain data out. The only layer that commits."""
