"""The hot loop runs in a worker thread while the main thread waits in join()."""
import threading


def spin(n, out):
    acc = 0
    for i in range(n):
        acc += i * 2
    out.append(acc)


def gen_squares(n):
    for i in range(n):
        yield i * i


out = []
t = threading.Thread(target=spin, args=(4_000_000, out))
t.start()
t.join()
print(out[0], sum(gen_squares(300_000)))
