"""Floats and ints computed into list slots (`v[0] -= dx * m`, `counts[k] += 1`), which native
code writes into the slot's own object when nothing else references it: every other reference to that
object (a local, another list, the same list twice, a tuple, a dict, a caller's variable)
must keep seeing its old value; ints, float subclasses and other objects in the slot are
replaced as usual; a bad index still raises from the same line."""
import sys


class F(float):
    pass


def step(bodies, pairs, dt, n):
    for _ in range(n):
        for (p1, v1, m1), (p2, v2, m2) in pairs:
            dx = p1[0] - p2[0]
            dy = p1[1] - p2[1]
            mag = dt / ((dx * dx + dy * dy + 0.01) ** 1.5)
            v1[0] -= dx * m2 * mag
            v1[1] -= dy * m2 * mag
            v2[0] += dx * m1 * mag
            v2[1] += dy * m1 * mag
        for p, v, m in bodies:
            p[0] += dt * v[0]
            p[1] += dt * v[1]


def scale(v, k):
    for i in range(len(v)):
        v[i] = v[i] * k
    return v


def scale_f(v, k):
    """Only ever given lists of floats (its multiply stays CPython's float form)."""
    for i in range(len(v)):
        v[i] = v[i] * k
    return v


def keep_old(v):
    old = v[0]
    v[0] = v[0] + 1.0
    return old, v[0], old is v[0]


def store_at(v, i, x, y):
    v[i] = x * y


def make_bodies():
    bodies = []
    for k in range(6):
        bodies.append(([k * 1.0, (k * 7 % 5) * 1.0], [0.0, 0.0], 1.0 + k / 10))
    return bodies


bodies = make_bodies()
pairs = [(bodies[i], bodies[j]) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]
for _ in range(40):
    step(bodies, pairs, 0.01, 20)
print([[round(c, 12) for c in p] for p, _, _ in bodies])
print([[round(c, 12) for c in v] for _, v, _ in bodies])

# One float object in two lists, twice in one list, in a tuple, in a dict, in a local.
x = 1.5 * 2
a, b = [x, 2.5 * 1.0], [x]
for _ in range(300):
    scale_f(a, 1.0001)
print(a, b, x, b[0] is x)
same = [x * 1.0] * 3
for _ in range(300):
    scale_f(same, 1.0001)
print(same, same[0] is same[1])
t = 4.5 * 1.0
tup, d, lst = (t,), {"k": t}, [t]
for _ in range(300):
    scale_f(lst, 0.999)
print(tup, d, lst, t)
print([keep_old([2.0 * k]) for k in range(5)])

# Slots holding other things than floats, and float subclasses.
mixed = [1, 2 ** 70, F(2.5), True, 3.0 * 1.0, -0.0 * 1.0]
for _ in range(200):
    scale(mixed, 1.0)
print(mixed, [type(m).__name__ for m in mixed])
neg = [-0.0 * 1.0, float("nan") * 1.0, float("inf") * 1.0]
for _ in range(200):
    scale(neg, -1.0)
print(neg, [str(v) for v in neg])

# A bad index: IndexError from the store's line, the list unchanged.
v = [1.0 * 1.0, 2.0 * 1.0]
for i in range(300):
    store_at(v, i % 2, 1.0, i * 1.0)
try:
    store_at(v, 5, 2.0, 3.0)
except IndexError as e:
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    print("IndexError", e, tb.tb_frame.f_code.co_name, tb.tb_lineno, v)
print(sys.getrefcount(v[0]), sys.getrefcount(v[1]))


# Ints: counters past the small ints (one digit: in place), into and out of the small ints,
# past one digit, negative, and a counter object also held elsewhere.
def bump(counts, k, by):
    counts[k] = counts[k] + by
    return counts


def bump_i(counts, k, by):
    """Only ever given ints (its addition stays CPython's int form)."""
    counts[k] = counts[k] + by
    return counts


def histogram(n):
    counts = [0] * 7
    for i in range(n):
        counts[i % 7] += 300
    return counts


print(histogram(20000), histogram(10))
c = [1000 * 1, -1000 * 1, 250 * 1, 2 ** 29 * 1]
held = c[0]
for k in range(600):
    bump_i(c, k % 4, 3 if k % 2 else -3)
print(c, held, held is c[0])
c2 = [300 * 1]
for k in range(200):
    bump_i(c2, 0, -1)
# 100 is a small int: the slot must hold the interpreter's shared object, as int("100") is.
print(c2, c2[0] is int("100"))
for k in range(200):
    bump_i(c2, 0, 1)
print(c2, c2[0] is int("300"))
for k in range(3):
    print(bump([2 ** 30 - 2], 0, 1), bump([2 ** 40], 0, -1), bump([5], 0, 2.5))
