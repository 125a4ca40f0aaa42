import sys
events = []
def tracer(frame, event, arg):
    if frame.f_code.co_name in ("work", "helper"):
        events.append((frame.f_code.co_name, event, frame.f_lineno))
    return tracer
def helper(i):
    if i == 5:
        sys.settrace(tracer)
    return i * 2
def work(n):
    t = 0
    for i in range(n):
        t += helper(i)
        t -= 1
    return t
for _ in range(20):
    sys.settrace(None)
    events.clear()
    r = work(8)
sys.settrace(None)
print(r)
for e in events:
    print(e)
