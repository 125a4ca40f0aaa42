//! The only place that knows CPython 3.11.
