"""Coroutines whose bodies run natively: `await` of coroutines, of objects with `__await__`
and of `types.coroutine` generators, under asyncio with tasks, queues, gather and
cancellation (a throw: the interpreter resumes the frame), and the errors `await` raises."""
import asyncio
import types

async def fib(n):
    if n <= 1:
        return n
    return await fib(n - 1) + await fib(n - 2)

class Awaitable:
    def __await__(self):
        x = yield "from awaitable"
        return x * 2

@types.coroutine
def legacy():
    v = yield "legacy"
    return v

async def uses_awaitable():
    a = await Awaitable()
    b = await legacy()
    return a, b

async def worker(q, out):
    while True:
        v = await q.get()
        if v is None:
            return
        await asyncio.sleep(0)
        out.append(v * v)

async def cancelled():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        return "cancelled cleanly"

async def bad_await():
    await 3

async def main():
    print(await fib(18))
    q = asyncio.Queue()
    out = []
    ws = [asyncio.create_task(worker(q, out)) for _ in range(3)]
    for i in range(200):
        await q.put(i)
    for _ in ws:
        await q.put(None)
    await asyncio.gather(*ws)
    print(sum(out))
    t = asyncio.create_task(cancelled())
    await asyncio.sleep(0)
    t.cancel()
    print(await t)
    try:
        await bad_await()
    except TypeError as e:
        print("TypeError", e)
    print(await awaits_twice())


async def slow():
    await asyncio.sleep(0)
    return 1


async def awaits_twice():
    c = slow()
    t = asyncio.ensure_future(c)
    await asyncio.sleep(0)
    try:
        await c
    except RuntimeError as e:
        print("RuntimeError", e)
    return await t


class NotAnIterator:
    def __await__(self):
        return 5


async def awaits_bad():
    try:
        await NotAnIterator()
    except TypeError as e:
        print("TypeError", e)

c = uses_awaitable()
print(c.send(None), c.send(5))
try:
    c.send(7)
except StopIteration as s:
    print("result", s.value)
for _ in range(3):
    asyncio.run(main())
asyncio.run(awaits_bad())
