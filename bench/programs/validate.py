"""Exception-heavy control flow: importing messy CSV-like records through a validator that
raises a small hierarchy of custom exceptions, EAFP dictionary caches (try/except KeyError),
int/float conversions that fail with ValueError, retries with a flaky "service" that raises,
try/except/else/finally in loops, context managers that swallow some errors, and exception
chaining.

Style: custom Exception subclasses with attributes, `raise ... from ...`, except clauses with
tuples, `else` and `finally`, contextlib.suppress, a @contextmanager transaction.

    python validate.py [RECORDS]
"""
import sys
from contextlib import contextmanager, suppress

SIZE = 15000  # records


class ValidationError(Exception):
    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


class MissingField(ValidationError):
    pass


class BadValue(ValidationError):
    pass


class OutOfRange(BadValue):
    pass


class TransientError(Exception):
    pass


class Rollback(Exception):
    pass


def make_rows(n):
    state = 31337
    rows = []
    for i in range(n):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        age = str(state % 120) if state % 17 else "unknown"
        score = f"{(state >> 8) % 1000 / 10:.1f}" if state % 23 else "n/a"
        email = f"user{i}@example.org" if state % 19 else f"user{i}.example.org"
        country = ["de", "fr", "", "us", "jp", "xx", "gb"][state % 7]
        row = f"{i},{email},{age},{score},{country}"
        if state % 29 == 0:
            row = row.rsplit(",", 1)[0]  # a truncated line
        rows.append(row)
    return rows


COUNTRY_NAMES = {"de": "Germany", "fr": "France", "us": "United States", "jp": "Japan", "gb": "United Kingdom"}


def parse_int(field, text, lo, hi):
    try:
        value = int(text)
    except ValueError as err:
        raise BadValue(field, f"not a number: {text!r}") from err
    if not lo <= value <= hi:
        raise OutOfRange(field, f"{value} not in [{lo}, {hi}]")
    return value


def validate(row):
    parts = row.split(",")
    try:
        ident, email, age, score, country = parts
    except ValueError:
        raise MissingField("row", f"expected 5 fields, got {len(parts)}") from None
    if "@" not in email:
        raise BadValue("email", email)
    record = {"id": int(ident), "email": email.lower(), "age": parse_int("age", age, 0, 110)}
    try:
        record["score"] = float(score)
    except ValueError:
        record["score"] = None
    if not country:
        raise MissingField("country", "empty")
    try:
        record["country"] = COUNTRY_NAMES[country]
    except KeyError:
        raise BadValue("country", country) from None
    return record


class FlakyStore:
    """Fails every few writes with a transient error; succeeds when retried."""

    def __init__(self):
        self.rows = {}
        self.attempts = 0
        self.pending = []

    def write(self, record):
        self.attempts += 1
        if self.attempts % 7 == 0:
            raise TransientError(f"timeout on attempt {self.attempts}")
        self.pending.append(record)

    def commit(self):
        for record in self.pending:
            self.rows[record["id"]] = record
        self.pending.clear()

    def rollback(self):
        self.pending.clear()


@contextmanager
def transaction(store, log):
    try:
        yield store
    except Rollback as err:
        store.rollback()
        log.append(f"rolled back: {err}")
    except Exception:
        store.rollback()
        raise
    else:
        store.commit()


def write_with_retry(store, record, retries=3):
    for attempt in range(retries):
        try:
            store.write(record)
        except TransientError:
            if attempt == retries - 1:
                raise
            continue
        else:
            return attempt
    raise AssertionError("unreachable")


def bench_validate(n):
    rows = make_rows(n)
    store = FlakyStore()
    errors = {}
    log = []
    retries = 0
    cache = {}
    cache_hits = 0
    batch_size = 50
    for start in range(0, len(rows), batch_size):
        with transaction(store, log):
            bad_in_batch = 0
            for row in rows[start:start + batch_size]:
                try:
                    record = validate(row)
                except OutOfRange as err:
                    errors[("range", err.field)] = errors.get(("range", err.field), 0) + 1
                    bad_in_batch += 1
                except (MissingField, BadValue) as err:
                    key = (type(err).__name__, err.field)
                    errors[key] = errors.get(key, 0) + 1
                    bad_in_batch += 1
                else:
                    domain = record["email"].rsplit("@", 1)[1]
                    try:
                        record["domain_id"] = cache[domain]
                        cache_hits += 1
                    except KeyError:
                        record["domain_id"] = cache[domain] = len(cache) + 1
                    retries += write_with_retry(store, record)
                finally:
                    if bad_in_batch > 30:
                        raise Rollback(f"batch at {start} has {bad_in_batch} bad rows")
    with suppress(ZeroDivisionError):
        ratio = len(store.rows) / (n - n)  # an empty import has no ratio
        log.append(f"ratio {ratio}")
    ages = sorted(r["age"] for r in store.rows.values())
    scores = [r["score"] for r in store.rows.values() if r["score"] is not None]
    return (len(store.rows), store.attempts, retries, sorted(errors.items()), len(log), log[:2],
            cache_hits, ages[len(ages) // 2] if ages else None, round(sum(scores) / max(len(scores), 1), 6))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    kept, attempts, retries, errors, nlog, log, hits, median_age, mean_score = bench_validate(n)
    print(f"{n} rows: {kept} stored after {attempts} writes ({retries} retries), {hits} cache hits")
    for (kind, field), count in errors:
        print(f"  {kind:<16} {field:<8} {count}")
    print(f"{nlog} batches rolled back; first: {log}")
    print(f"median age {median_age}, mean score {mean_score}")


if __name__ == "__main__":
    main()
