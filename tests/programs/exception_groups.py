def raiser(i):
    errs = []
    if i % 2:
        errs.append(ValueError(i))
    if i % 3:
        errs.append(TypeError(i))
    if errs:
        raise ExceptionGroup("batch", errs)
    return i


def handle(n):
    log = []
    for i in range(n):
        try:
            raiser(i)
        except* ValueError as eg:
            log.append(("V", len(eg.exceptions)))
        except* TypeError as eg:
            log.append(("T", [str(e) for e in eg.exceptions]))
    return log


for _ in range(50):
    out = handle(12)
print(out)
try:
    try:
        raise ExceptionGroup("outer", [KeyError(1), ValueError(2)])
    except* KeyError:
        print("handled key")
except ExceptionGroup as eg:
    print("left:", repr(eg))
