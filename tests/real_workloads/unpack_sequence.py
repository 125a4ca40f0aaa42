"""unpack_sequence: unpacking of the right and of wrong lengths and types, in the benchmark's loop."""
from run_benchmark import do_unpacking

for seq in (tuple(range(10)), list(range(10)), tuple(range(9)), list(range(11)), "abcdefghij",
            range(10), None):
    try:
        print(type(do_unpacking(3, seq)).__name__)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
