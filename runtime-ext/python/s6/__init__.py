"""s6: run profiled, ahead-of-time compiled CPython 3.11 code natively."""
