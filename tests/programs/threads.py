import threading


def crunch(seed, n, out, idx):
    x = seed
    for _ in range(n):
        x = (x * 1664525 + 1013904223) % 4294967296
    out[idx] = x


out = [0] * 4
ths = [threading.Thread(target=crunch, args=(i, 60000, out, i)) for i in range(4)]
for t in ths:
    t.start()
for t in ths:
    t.join()
print(out)
lock = threading.Lock()
shared = {"n": 0}


def bump(k):
    for _ in range(k):
        with lock:
            shared["n"] += 1


ths = [threading.Thread(target=bump, args=(5000,)) for _ in range(3)]
[t.start() for t in ths]
[t.join() for t in ths]
print(shared)
