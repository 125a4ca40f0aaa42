"""`dis.dis(..., adaptive=True)` shows the quickened, specialised bytecode CPython 3.11 has
written into a code object after running it. A documented difference: code that runs natively
is never quickened, so after native runs it shows the base instruction where the interpreter
shows a specialised form; everything else (results, instruction sequence) must be the same."""
import dis


def load_test(x, y=0):
    a, b = x, y
    return a, b


def loop_test():
    total = 0
    for i in [1, 2, 3] * 3:
        total += load_test(i)[0]
    return total


def shown(func):
    return [ins.opname for ins in dis.get_instructions(func, adaptive=True)]


results = [loop_test() for _ in range(200)]
print(sum(results))
print("loop_test:", " ".join(shown(loop_test)))
print("load_test:", " ".join(shown(load_test)))
