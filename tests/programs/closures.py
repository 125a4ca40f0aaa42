def counter():
    count = 0

    def inc(step=1):
        nonlocal count
        count += step
        return count

    return inc


def make_adders(n):
    return [lambda x, i=i: x + i for i in range(n)]


def outer(a):
    b = a * 2

    def middle(c):
        def inner(d):
            return a + b + c + d

        return inner

    return middle


c = counter()
for i in range(1000):
    c(i % 3)
print(c(0), [f(10) for f in make_adders(5)], outer(1)(2)(3))


def late_binding():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    return [f() for f in fs]


def unbound_cell():
    def show():
        return x  # noqa: F821

    try:
        show()
    except NameError as e:
        print("NameError:", e)
    x = 5
    return show()


print(late_binding(), unbound_cell())


def cell_reads(n):
    # A hot closure read of a cell that the enclosing function empties (`del`) and refills
    # between calls: natively the cell's content is read inline, and an empty cell leaves
    # native code for the interpreter, which raises NameError.
    x = 0

    def read():
        return x + 1

    out = []
    for i in range(n):
        if i % 7 == 3:
            del x
            try:
                out.append(read())
            except NameError as e:
                out.append(str(e))
        x = i
        out.append(read())
    return out[-4:], len(out)


for _ in range(3):
    print(cell_reads(60))
