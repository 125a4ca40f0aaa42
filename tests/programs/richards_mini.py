"""A compact task scheduler in the style of the richards benchmark."""


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0


class Task:
    def __init__(self, ident, prio, queue):
        self.ident = ident
        self.prio = prio
        self.queue = queue
        self.count = 0

    def run(self, sched):
        pkt = self.queue
        if pkt is None:
            return None
        self.queue = pkt.link
        pkt.datum = (pkt.datum + self.ident * 7 + self.count) % 256
        self.count += 1
        target = sched.tasks[(self.ident + pkt.datum) % len(sched.tasks)]
        pkt.link = target.queue
        target.queue = pkt
        return target


class Scheduler:
    def __init__(self, n):
        self.tasks = []
        for i in range(n):
            q = None
            for k in range(3):
                q = Packet(q, i, k)
            self.tasks.append(Task(i, i % 4, q))

    def schedule(self, steps):
        cur = self.tasks[0]
        for _ in range(steps):
            nxt = cur.run(self)
            cur = nxt if nxt is not None else self.tasks[(cur.ident + 1) % len(self.tasks)]
        return sum(t.count for t in self.tasks), [t.count for t in self.tasks][:5]


print(Scheduler(10).schedule(30000))
