"""A text-processing job: generate a deterministic corpus of "documents", normalise and tokenize
them with str methods, count words and bigrams with collections.Counter, build an inverted
index, score documents with tf-idf for a few queries, and re-wrap paragraphs to a width.

Style: str.split/join/lower/strip/translate/startswith/endswith, str.maketrans, Counter
arithmetic and most_common, dict and set comprehensions, textwrap-free hand-written wrapping.

    python textstats.py [DOCUMENTS]
"""
import math
import sys
from collections import Counter, defaultdict

SIZE = 500  # documents

WORDS = ("the of and to in is it that for on was with as be by at this from or an are not have "
         "compiler interpreter bytecode frame native profile cache object module function class "
         "method attribute value number string list dict tuple set loop branch guard deopt type "
         "specialize inline register stack heap memory pointer reference count garbage collector "
         "parser token grammar syntax tree node visitor pass optimize constant fold dead code "
         "python rust cranelift machine instruction benchmark measure speed time fast slow").split()
PUNCT = [".", ",", ";", ":", "!", "?", ""]
STOP = frozenset("the of and to in is it that for on was with as be by at this from or an are not have".split())
STRIP_PUNCT = str.maketrans("", "", ".,;:!?\"'()")


def make_corpus(n_docs):
    docs = []
    state = 7
    for d in range(n_docs):
        sentences = []
        for s in range(3 + d % 5):
            words = []
            for w in range(6 + (d * 7 + s * 3) % 11):
                state = (state * 1103515245 + 12345) & 0x7FFFFFFF
                # Zipf-ish: low indices are far more common.
                idx = int(len(WORDS) * ((state % 10007) / 10007) ** 2.2)
                word = WORDS[idx]
                if w == 0:
                    word = word.capitalize()
                elif state % 13 == 0:
                    word = word.upper()
                words.append(word + (PUNCT[state % len(PUNCT)] if state % 5 == 0 else ""))
            sentences.append(" ".join(words).rstrip(".,;:!?") + ".")
        docs.append(f"Doc-{d:04d}:  " + "  ".join(sentences) + "\n")
    return docs


def tokenize(text):
    head, _, body = text.partition(":")
    tokens = []
    for raw in body.split():
        word = raw.translate(STRIP_PUNCT).lower()
        if not word or word.isdigit():
            continue
        if word.endswith("s") and len(word) > 4 and not word.endswith("ss"):
            word = word[:-1]
        tokens.append(word)
    return head.strip(), tokens


def wrap(text, width):
    lines, current, length = [], [], 0
    for word in text.split():
        if current and length + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, length = [], 0
        length += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def bench_textstats(n_docs):
    docs = make_corpus(n_docs)
    word_counts = Counter()
    bigrams = Counter()
    index = defaultdict(set)
    doc_tokens = {}
    for doc in docs:
        name, tokens = tokenize(doc)
        doc_tokens[name] = tokens
        word_counts.update(tokens)
        content = [t for t in tokens if t not in STOP]
        bigrams.update(zip(content, content[1:]))
        for t in set(tokens):
            index[t].add(name)

    n = len(doc_tokens)
    idf = {term: math.log(n / len(names)) for term, names in index.items()}
    scores = {}
    for query in ("native code cache", "parser grammar token", "garbage collector reference count",
                  "fast python benchmark"):
        terms = query.split()
        candidates = set.union(*(index.get(t, set()) for t in terms))
        ranked = []
        for name in candidates:
            tf = Counter(doc_tokens[name])
            total = len(doc_tokens[name])
            score = sum(tf[t] / total * idf.get(t, 0.0) for t in terms)
            ranked.append((-round(score, 12), name))
        ranked.sort()
        scores[query] = [(name, -s) for s, name in ranked[:3]]

    content_counts = Counter({w: c for w, c in word_counts.items() if w not in STOP})
    shouting = sum(1 for doc in docs for w in doc.split() if w.isupper() and len(w) > 1)
    wrapped = wrap(" ".join(d.split(":", 1)[1] for d in docs[:5]), 60)
    longest = max(word_counts, key=lambda w: (len(w), w))
    return (n, sum(word_counts.values()), len(word_counts),
            sorted(content_counts.most_common(8), key=lambda wc: (-wc[1], wc[0])),
            sorted(bigrams.most_common(5), key=lambda bc: (-bc[1], bc[0])),
            scores, shouting, longest, wrapped[:4], len(wrapped))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    docs, tokens, vocab, top, pairs, scores, shouting, longest, wrapped, nlines = bench_textstats(n)
    print(f"{docs} documents, {tokens} tokens, {vocab} distinct words, longest {longest!r}, {shouting} shouted")
    print("top words:", ", ".join(f"{w}={c}" for w, c in top))
    print("top bigrams:", ", ".join(f"{a} {b}={c}" for (a, b), c in pairs))
    for query, hits in scores.items():
        print(f"query {query!r}: " + "; ".join(f"{name} {score:.6f}" for name, score in hits))
    print(f"first paragraphs wrapped to 60 columns ({nlines} lines):")
    for line in wrapped:
        print("  |" + line.ljust(60) + "|")


if __name__ == "__main__":
    main()
