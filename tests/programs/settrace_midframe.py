"""A trace function installed while a frame runs (sys.settrace + f_back.f_trace) sees exactly the
events CPython reports for that frame from then on: no 'call' event for a frame that was already
running, whether the frame continues normally or an exception arrives from the callee."""
import sys

EVENTS = []


def tracer(frame, event, arg):
    code = frame.f_code
    if code.co_name.startswith("victim"):
        EVENTS.append((code.co_name, frame.f_lineno - code.co_firstlineno, event))
    return tracer


def enable_and_raise(tf):
    sys.settrace(tf)
    sys._getframe().f_back.f_trace = tf
    raise RuntimeError


def enable(tf):
    sys.settrace(tf)
    sys._getframe().f_back.f_trace = tf


def victim_raise(tf):
    try:
        enable_and_raise(tf)
    except RuntimeError:
        pass


def victim_plain(tf, n):
    enable(tf)
    total = 0
    for i in range(n):
        total += i
    return total


def main():
    results = []
    for round_ in range(300):
        EVENTS.clear()
        victim_raise(tracer)
        sys.settrace(None)
        first = list(EVENTS)
        EVENTS.clear()
        total = victim_plain(tracer, 3)
        sys.settrace(None)
        second = list(EVENTS)
        results.append((tuple(first), tuple(second), total))
        if round_ == 0:
            print("victim_raise:", first)
            print("victim_plain:", second)
    print("rounds identical:", len(set(results)) == 1)


main()
