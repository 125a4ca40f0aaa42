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


class Switch:
    """Attribute loads whose lookup runs Python code that turns tracing on (a property, and a
    `__getattr__` that hands back a method): the rest of the loading frame is traced."""

    def __init__(self, tf):
        self.tf = tf
        self.plain = 1

    @property
    def prop(self):
        enable_for(self.tf, 2)
        return 10

    def __getattr__(self, name):
        enable_for(self.tf, 2)
        return lambda: 100


def enable_for(tf, up):
    sys.settrace(tf)
    sys._getframe(up).f_trace = tf


def victim_attr(s, n):
    total = got = 0
    for i in range(n):
        total += s.plain
        if i == 2:
            got = s.prop                # the last thing on its line: the next is traced
        total += i
    return total + got


def victim_method(s, n):
    total = 0
    f = None
    for i in range(n):
        total += s.plain
        if i == 2:
            f = s.missing               # `__getattr__` turns tracing on
        total += i
    return total + f()


def main():
    results = []
    for round_ in range(300):
        EVENTS.clear()
        attr = victim_attr(Switch(tracer), 5)
        sys.settrace(None)
        third = list(EVENTS)
        EVENTS.clear()
        meth = victim_method(Switch(tracer), 5)
        sys.settrace(None)
        results.append((tuple(third), tuple(EVENTS), attr, meth))
        if round_ == 0:
            print("victim_attr:", attr, third)
            print("victim_method:", meth, list(EVENTS))
    print("attribute rounds identical:", len(set(results)) == 1)
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
