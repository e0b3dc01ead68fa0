"""Pure domain logic: no I/O, no frameworks. Safe to import anywhere."""
