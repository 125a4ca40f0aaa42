def gen(n):
    for i in range(n):
        if i % 3 == 0:
            yield i
    return "done"


def consume(n):
    total = 0
    for v in gen(n):
        total += v
    it = gen(7)
    first = next(it)
    rest = list(it)
    return total, first, rest


def delegating():
    result = yield from gen(10)
    yield result


def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            return received
        received.append(x)


for _ in range(300):
    r = consume(100)
print(r, list(delegating()))
e = echo()
next(e)
print([e.send(i) for i in "abc"])
try:
    e.send(None)
except StopIteration as s:
    print("returned", s.value)
g = gen(5)
print(next(g), g.throw(ValueError("x")) if False else "skip", sum(gen(30)), max(gen(30)))
