# Every kind of callable a call site can meet once it is compiled: bound methods (unpacked into
# a call of their function), C functions and methods (called through their vectorcall slot),
# descriptors, partials, classes, objects with __call__, and C calls that raise.
import functools
import types


class Acc:
    def __init__(self):
        self.total = 0

    def add(self, x, scale=1):
        self.total += x * scale
        return self.total

    @classmethod
    def make(cls, n):
        return n * 2

    @staticmethod
    def twice(n):
        return n + n

    def __call__(self, x):
        return x - 1


def deep(m, n):
    return n if n == 0 else m(n - 1) + 1


def tolerant(f, arg):
    try:
        return f(arg)
    except (ValueError, TypeError) as e:
        return type(e).__name__ + ": " + str(e)


def run(n):
    acc = Acc()
    add = acc.add                      # bound method in a local
    push = [].append                   # bound C method
    upper = str.upper                  # method descriptor
    part = functools.partial(max, 10)  # C callable with vectorcall
    foreign = types.MethodType(len, "abc")  # bound method of a C function
    out = 0
    for i in range(n):
        out += add(i) + add(i, scale=2) + add(x=1)
        push(i)
        out += len(upper("ab" * (i % 3)))
        out += part(i % 20)
        out += Acc.make(i) + acc.make(1) + Acc.twice(i) + acc(i)
        out += foreign()
        out += divmod(i, 7)[1] + abs(-i) + min(i, 5)
        if i % 500 == 0:
            out += len(str(tolerant(int, "x%d" % i)))
            out += len(str(tolerant(len, i)))
        if i == n // 2:
            acc.add = lambda x, scale=1: -x  # shadows the method from now on
            add = acc.add
    return out, acc.total


print(run(3000))
bound = Acc().add
print(deep(lambda k: deep(lambda j: j, k), 50))
try:
    r = Acc()
    r.again = lambda k: r.again(k)
    r.again(1)
except RecursionError as e:
    print("RecursionError:", e)
print(tolerant(bound, "no"), tolerant(functools.partial(int, base=2), "102"))
