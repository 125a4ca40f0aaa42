class Custom(Exception):
    pass


def risky(i):
    if i % 7 == 0:
        raise ValueError(f"bad {i}")
    if i % 11 == 0:
        raise Custom(i)
    if i % 13 == 0:
        return {}[i]
    return i * 2


def run(n):
    ok = errs = 0
    log = []
    for i in range(n):
        try:
            ok += risky(i)
        except ValueError as e:
            errs += 1
            if i < 30:
                log.append(str(e))
        except (Custom, KeyError) as e:
            errs += 2
            if i < 40:
                log.append(type(e).__name__ + repr(e.args))
        else:
            ok += 1
        finally:
            ok += 0
    return ok, errs, log


def nested(n):
    out = []
    for i in range(n):
        try:
            try:
                if i % 3 == 0:
                    raise KeyError(i)
                out.append(i)
            finally:
                out.append(-i)
        except KeyError as e:
            try:
                raise RuntimeError("wrapped") from e
            except RuntimeError as r:
                out.append((str(r), repr(r.__cause__)))
    return out


for _ in range(30):
    res = run(500)
print(res)
print(nested(12))


def reraiser(i):
    try:
        return 10 // i
    except ZeroDivisionError:
        raise


try:
    for i in range(5, -1, -1):
        reraiser(i)
except ZeroDivisionError as e:
    import traceback
    traceback.print_exc(file=__import__("sys").stdout)
