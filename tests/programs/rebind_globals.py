import builtins

REAL_LEN = builtins.len

SCALE = 2


def scaled(x):
    return x * SCALE + len([x])


def run():
    return sum(scaled(i) for i in range(100))


for _ in range(100):
    r = run()
print(r)
SCALE = 3
print(run())
builtins.len = lambda obj: 100
print(run())
del builtins.len
try:
    run()
except NameError as e:
    print("NameError:", e)
builtins.len = REAL_LEN
print(run())
del SCALE
try:
    run()
except NameError as e:
    print("NameError:", e)
