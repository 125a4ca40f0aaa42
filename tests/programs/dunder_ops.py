import functools


@functools.total_ordering
class Money:
    def __init__(self, cents):
        self.cents = cents

    def __add__(self, o):
        return Money(self.cents + (o.cents if isinstance(o, Money) else o))

    __radd__ = __add__

    def __mul__(self, k):
        return Money(self.cents * k)

    def __eq__(self, o):
        return isinstance(o, Money) and self.cents == o.cents

    def __lt__(self, o):
        return self.cents < o.cents

    def __hash__(self):
        return hash(self.cents)

    def __bool__(self):
        return self.cents != 0

    def __repr__(self):
        return f"${self.cents / 100:.2f}"


class Bag:
    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __contains__(self, x):
        return x in self.items

    def __iter__(self):
        return iter(self.items)

    def __call__(self, k):
        return self.items[:k]

    def __setitem__(self, i, v):
        self.items[i] = v

    def __delitem__(self, i):
        del self.items[i]


def run(n):
    total = Money(0)
    for i in range(n):
        total = total + Money(i) * 2 + 1
    return total


for _ in range(100):
    t = run(100)
b = Bag([Money(5), Money(1), Money(3)])
b[0] = Money(7)
del b[2]
print(t, sum([Money(1), Money(2)]), sorted(b), len(b), Money(7) in b, b(1), bool(Money(0)), Money(1) >= Money(1))
print({Money(1): "a"}[Money(1)], b[-1], [m for m in b], Money(2) != Money(3))
