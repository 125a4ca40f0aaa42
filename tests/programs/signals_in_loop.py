import signal

hits = []


def handler(signum, frame):
    hits.append(signum)
    if len(hits) == 3:
        raise KeyboardInterrupt("stop")


signal.signal(signal.SIGUSR1, handler)


def spin(n):
    s = 0
    for i in range(n):
        s += i
        if i % 1000 == 999:
            signal.raise_signal(signal.SIGUSR1)
    return s


try:
    for _ in range(10):
        spin(2000)
except KeyboardInterrupt as e:
    print("interrupted:", e, len(hits))
print(spin(500))
