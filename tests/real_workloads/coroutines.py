"""coroutines: the value of the recursive `fibonacci` coroutine, driven by hand like the benchmark."""
from run_benchmark import fibonacci

for n in (0, 1, 2, 10, 20):
    coro = fibonacci(n)
    try:
        while True:
            coro.send(None)
    except StopIteration as stop:
        print(n, stop.value)
