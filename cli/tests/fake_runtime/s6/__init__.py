"""Stand-in for the s6 runtime in s6c's CLI tests: importable, does nothing by itself."""
