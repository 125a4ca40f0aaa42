class Res:
    log = []

    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow

    def __enter__(self):
        Res.log.append("enter " + self.name)
        return self

    def __exit__(self, et, ev, tb):
        Res.log.append(f"exit {self.name} {et.__name__ if et else None}")
        return self.swallow


def use(i):
    with Res("a") as a, Res("b", swallow=True):
        if i % 2:
            raise ValueError(i)
        return a.name + str(i)
    return "swallowed"


def fail(i):
    with Res("c"):
        return 1 // (i % 3)


out = []
for i in range(600):
    out.append(use(i))
    try:
        fail(i)
    except ZeroDivisionError:
        out.append("zde")
print(out[:8], len(Res.log), Res.log[:10])

from contextlib import contextmanager, suppress  # noqa: E402


@contextmanager
def tag(name):
    print("<" + name + ">")
    try:
        yield name
    finally:
        print("</" + name + ">")


def nested():
    with tag("a"), tag("b") as b:
        with suppress(KeyError):
            {}[b]
        print("inside", b)


nested()
