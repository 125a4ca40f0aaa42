"""python-chess (bitboard move generation in pure Python ints): perft node counts on standard
test positions, legal-move counts, SAN and check/checkmate detection while playing a
deterministic game (each move picked by a simple rule from the legal moves), and FEN output.

    python lib_chess.py [DEPTH_NODES]
"""
import random
import sys

import chess

SIZE = 3  # perft depth for the start position (others are one less)

POSITIONS = [
    chess.STARTING_FEN,
    "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1",  # "Kiwipete"
    "8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1",
    "rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8",
]


def perft(board, depth):
    if depth == 1:
        return board.legal_moves.count()
    nodes = 0
    for move in board.legal_moves:
        board.push(move)
        nodes += perft(board, depth - 1)
        board.pop()
    return nodes


def play(plies):
    """A game where each side ranks its moves (captures by victim value, then checks, then the
    fewest replies left to the opponent) and plays one of its three best, chosen by a seeded
    generator."""
    rng = random.Random(2024)
    board = chess.Board()
    sans = []
    for _ in range(plies):
        if board.is_game_over():
            break
        moves = sorted(board.legal_moves, key=lambda m: m.uci())

        def score(move):
            victim = board.piece_at(move.to_square)
            value = victim.piece_type * 10 if victim else 0
            if board.gives_check(move):
                value += 5
            board.push(move)
            replies = board.legal_moves.count()
            board.pop()
            return (value, -replies)

        best = rng.choice(sorted(moves, key=score, reverse=True)[:3])
        sans.append(board.san(best))
        board.push(best)
    return sans, board.fen(), board.result(claim_draw=True)


def bench_chess(depth):
    counts = []
    for i, fen in enumerate(POSITIONS):
        board = chess.Board(fen)
        counts.append(perft(board, depth if i == 0 else max(1, depth - 1)))
    sans, fen, result = play(25 * depth)
    return counts, sans, fen, result


def main():
    depth = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    counts, sans, fen, result = bench_chess(depth)
    print("perft:", counts)
    print("game:", " ".join(sans))
    print("final:", fen, result)


if __name__ == "__main__":
    main()
