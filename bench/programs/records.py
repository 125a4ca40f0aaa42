"""Record processing: orders, customers and products as dataclasses and namedtuples, joined
through dicts, validated, grouped, sorted with keys, summarised and formatted into a report.

Style: @dataclass (with defaults, field(default_factory), a frozen one, __post_init__),
namedtuple, operator.attrgetter/itemgetter, sorted(key=...), defaultdict, f-string and
str.format formatting with widths, datetime.date arithmetic, Decimal-free money in cents.

    python records.py [ORDERS]
"""
import datetime
import sys
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

SIZE = 3000  # orders

Product = namedtuple("Product", "sku name category price_cents")


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    country: str
    vip: bool = False


@dataclass
class OrderLine:
    product: Product
    quantity: int
    discount: float = 0.0

    @property
    def total_cents(self):
        return round(self.product.price_cents * self.quantity * (1 - self.discount))


@dataclass
class Order:
    id: int
    customer: Customer
    placed: datetime.date
    lines: list = field(default_factory=list)
    status: str = "open"

    def __post_init__(self):
        if self.id <= 0:
            raise ValueError("order ids are positive")

    @property
    def total_cents(self):
        return sum(line.total_cents for line in self.lines)

    @property
    def items(self):
        return sum(line.quantity for line in self.lines)


CATEGORIES = ["books", "garden", "kitchen", "music", "toys", "tools"]
COUNTRIES = ["DE", "FR", "GB", "IT", "NL", "PL", "SE", "US"]
FIRST = ["Ada", "Alan", "Barbara", "Edsger", "Grace", "John", "Ken", "Niklaus", "Radia", "Tony"]
LAST = ["Hopper", "Knuth", "Liskov", "Lovelace", "Ritchie", "Thompson", "Turing", "Wirth"]


class Lcg:
    """A tiny deterministic generator, as a test-data script might carry."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        return (self.state >> 33) % bound


def make_data(n_orders):
    rnd = Lcg(2024)
    products = [Product(f"SKU{i:04d}", f"{CATEGORIES[i % 6]}-item-{i}", CATEGORIES[i % 6],
                        199 + rnd.next(20000)) for i in range(120)]
    customers = [Customer(i, f"{FIRST[rnd.next(10)]} {LAST[rnd.next(8)]}", COUNTRIES[rnd.next(8)],
                          vip=rnd.next(10) == 0) for i in range(1, 301)]
    start = datetime.date(2023, 1, 1)
    orders = []
    for oid in range(1, n_orders + 1):
        order = Order(oid, customers[rnd.next(len(customers))], start + datetime.timedelta(days=rnd.next(365)))
        for _ in range(1 + rnd.next(5)):
            discount = 0.1 if order.customer.vip else (0.05 if rnd.next(7) == 0 else 0.0)
            order.lines.append(OrderLine(products[rnd.next(len(products))], 1 + rnd.next(4), discount))
        order.status = ("open", "shipped", "shipped", "delivered", "cancelled")[rnd.next(5)]
        orders.append(order)
    return products, customers, orders


def money(cents):
    return f"{cents // 100:,}.{cents % 100:02d}"


def bench_records(n_orders):
    products, customers, orders = make_data(n_orders)
    live = [o for o in orders if o.status != "cancelled"]

    by_country = defaultdict(int)
    by_month = defaultdict(lambda: [0, 0])
    by_category = defaultdict(int)
    spend = defaultdict(int)
    for order in live:
        total = order.total_cents
        by_country[order.customer.country] += total
        month = by_month[order.placed.strftime("%Y-%m")]
        month[0] += 1
        month[1] += total
        spend[order.customer] += total
        for line in order.lines:
            by_category[line.product.category] += line.total_cents

    lines = []
    lines.append(f"{'country':<8}{'revenue':>16}")
    for country, cents in sorted(by_country.items(), key=itemgetter(1), reverse=True):
        lines.append(f"{country:<8}{money(cents):>16}")
    lines.append("")
    for month, (count, cents) in sorted(by_month.items()):
        lines.append("{:<8} {:>5} orders {:>14} avg {:>10}".format(month, count, money(cents),
                                                                  money(cents // max(count, 1))))
    lines.append("")
    top = sorted(spend.items(), key=lambda kv: (-kv[1], kv[0].id))[:10]
    for rank, (customer, cents) in enumerate(top, 1):
        tag = " (VIP)" if customer.vip else ""
        lines.append(f"{rank:>2}. {customer.name:<18} {customer.country} {money(cents):>12}{tag}")
    lines.append("")
    for category in sorted(by_category, key=lambda c: (-by_category[c], c)):
        share = by_category[category] / sum(by_category.values())
        lines.append(f"{category:<10}{share:>8.2%}")

    biggest = sorted(live, key=attrgetter("total_cents", "id"), reverse=True)[:5]
    lines.append("")
    for order in biggest:
        lines.append(f"order #{order.id:05d} {order.placed.isoformat()} {order.items:>3} items "
                     f"{money(order.total_cents):>12} {order.customer.name}")

    late = [o for o in orders if o.status == "open" and (datetime.date(2024, 1, 1) - o.placed).days > 300]
    lines.append(f"\n{len(live)} live orders, {len(orders) - len(live)} cancelled, {len(late)} open for >300 days")
    return lines


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    report = bench_records(n)
    print("\n".join(report))


if __name__ == "__main__":
    main()
