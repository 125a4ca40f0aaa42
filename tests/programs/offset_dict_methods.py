# Methods of C types that keep their __dict__ at tp_dictoffset (io.BytesIO, functools.partial):
# the cached method must give way as soon as an instance's own dict holds the name.
import functools
import io


def fill(buf, n):
    for i in range(n):
        buf.write(b"%d," % i)
    return buf.tell()


def shadowed(n):
    out = []
    buf = io.BytesIO()
    for i in range(n):
        if i == n // 2:
            buf.write = lambda data, out=out: out.append(data) or len(data)
        if i == 3 * n // 4:
            del buf.write
        buf.write(b"x")
    return len(buf.getvalue()), len(out)


def partial_calls(n):
    p = functools.partial(max, 3)
    total = 0
    for i in range(n):
        total += p(i % 7)
        if i == n // 2:
            p.__dict__["__call__"] = "ignored: special methods come from the type"
    return total


class Sub(io.BytesIO):
    pass


def subclass(n):
    s = Sub()
    for i in range(n):
        s.write(b"y")
        if i == n // 3:
            s.write = lambda data: 0
    return s.getvalue()


print(fill(io.BytesIO(), 3000))
print(shadowed(2000))
print(partial_calls(3000))
print(len(subclass(3000)))
