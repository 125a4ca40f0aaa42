import asyncio


def cpu(n):
    s = 0
    for i in range(n):
        s += i * i % 7
    return s


async def worker(name, n, q):
    total = 0
    for i in range(n):
        total += cpu(50)
        await asyncio.sleep(0)
    await q.put((name, total))


async def main():
    q = asyncio.Queue()
    await asyncio.gather(*(worker(f"w{i}", 20 + i, q) for i in range(4)))
    out = []
    while not q.empty():
        out.append(await q.get())
    return sorted(out)


print(asyncio.run(main()))
