//! In-process loader for s6 objects.
