def make(base, *, scale=2, extra=None):
    extra = extra or []

    def f(x, y=base, *rest, z=scale, **kw):
        return x + y + sum(rest) + z + len(kw) + len(extra)

    f.__defaults__ = (base * 10,)
    return f


def decorate(fn):
    def wrapper(*a, **k):
        return ("wrapped", fn(*a, **k))

    wrapper.__name__ = fn.__name__
    wrapper.__wrapped__ = fn
    return wrapper


@decorate
def target(a, b=3):
    return a * b


fs = [make(i) for i in range(5)]
acc = 0
for _ in range(400):
    for f in fs:
        acc += f(1) + f(1, 2, 3, z=1, q=0)
print(acc, target(2), target(2, b=5), target.__name__, target.__wrapped__(7))
f = fs[1]
f.__kwdefaults__ = {"z": 100}
print(f(0), f.__code__.co_varnames, f.__qualname__)
