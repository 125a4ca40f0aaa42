"""Code run in subinterpreters while the profiler is on: their `exec` audit events reach the
process-wide audit hook, which must leave them alone (it used to hang, waiting for the GIL its
own thread held)."""
import _xxsubinterpreters as interpreters


def work(n):
    return sum(i * i for i in range(n))


for i in range(3):
    sub = interpreters.create()
    interpreters.run_string(sub, "x = 0\nfor i in range(200000): x += i\n")
    interpreters.destroy(sub)
print("main", work(300000))
