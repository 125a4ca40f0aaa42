"""Issue 5 acceptance, end to end through the real pipeline (`s6c profile` -> `s6c build` ->
`S6_CACHE=... python prog.py`): gdb stops in native code and unwinds through it into CPython,
the perf map and the jitdump describe the loaded code exactly, and `perf record` attributes a
hot native program's samples to `s6::` symbols with Python lines.

Tests skip only when gdb/perf is absent or not permitted; when native code did not run they
fail (every run checks `native_entries` or needs a native frame to exist)."""
import json
import os
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, clean_env
from differential import assert_same_text

PROGRAMS = ROOT / "tests" / "debug_programs"
TIMEOUT = 60


# ---------------------------------------------------------------------------------------------
# Programs and the pipeline


def marker_line(source: str, tag: str) -> int:
    """The 1-based line that carries `# @tag`."""
    hits = [n for n, l in enumerate(source.splitlines(), 1) if l.rstrip().endswith(f"# @{tag}")]
    assert len(hits) == 1, f"marker @{tag} must occur once"
    return hits[0]


def code_lines(source: str, path: str, qualname: str):
    """(firstlineno, set of lines) of the code object `qualname` compiled from `source`."""
    todo = [compile(source, path, "exec")]
    while todo:
        co = todo.pop()
        if co.co_qualname == qualname:
            return co.co_firstlineno, {l for _, _, l in co.co_lines() if l is not None}
        todo.extend(c for c in co.co_consts if hasattr(c, "co_lines"))
    raise AssertionError(f"no code object {qualname}")


@dataclass
class Built:
    dir: Path
    prog: Path
    source: str
    cache: Path
    python: str

    def line(self, tag):
        return marker_line(self.source, tag)

    def env(self, **extra):
        return clean_env(S6_CACHE=self.cache, **extra)


def build(tmp: Path, name: str, python: str, s6c: str, all=True) -> Built:
    prog = tmp / name
    shutil.copy(PROGRAMS / name, prog)
    run = dict(cwd=tmp, env=clean_env(), capture_output=True, text=True, timeout=TIMEOUT)
    p = subprocess.run([s6c, "profile", "-o", "P", "--", str(prog)], **run)
    assert p.returncode == 0, p.stderr
    # --all lowers functions outside the selection for size (no inline cache hits).
    p = subprocess.run([s6c, "build", *(["--all"] if all else []), "-o", "C", "P"], **run)
    assert p.returncode == 0, p.stderr
    return Built(tmp, prog, prog.read_text(), tmp / "C", python)


def run_program(b: Built, **extra):
    """Runs the program with the cache; returns (pid, stdout, stats)."""
    stats = b.dir / f"stats-{len(list(b.dir.glob('stats-*')))}.json"
    p = subprocess.Popen([b.python, str(b.prog)], cwd=b.dir, env=b.env(S6_STATS=stats, **extra),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate(timeout=TIMEOUT)
    assert p.returncode == 0, err
    return p.pid, out, json.loads(stats.read_text())


def assert_native(stats, qualname="__main__.hot"):
    entries = stats.get("functions", {}).get(qualname, {}).get("native_entries", 0)
    assert entries > 0, f"native code did not run for {qualname}: S6_STATS = {stats}"


@pytest.fixture(scope="module")
def calls_c(tmp_path_factory, venv_python, s6c):
    b = build(tmp_path_factory.mktemp("calls_c"), "calls_c.py", venv_python, s6c)
    # Off by default: without S6_PERF neither a map nor a dump is written.
    off = b.dir / "jitdump-off"
    off.mkdir()
    pid, out, stats = run_program(b, JITDUMPDIR=off)
    assert_native(stats)
    assert not Path(f"/tmp/perf-{pid}.map").exists()
    assert list(off.iterdir()) == []
    b.expected_output = out
    return b


# ---------------------------------------------------------------------------------------------
# The objects `s6c build` wrote: function symbols and relocation fields (a minimal ELF64 reader)


@dataclass
class ObjFunction:
    name: str
    offset: int  # in .text
    size: int
    code: bytes  # unrelocated bytes from the object
    reloc_fields: set  # byte offsets (relative to the function) that the loader patches


RELOC_FIELD_SIZE = {1: 8, 24: 8}  # R_X86_64_64, R_X86_64_PC64; every other type used is 4 bytes


def object_functions(path: Path) -> dict:
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2, path
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

    def name_at(strtab, off):
        start = secs[strtab][4] + off
        return data[start:data.index(b"\0", start)].decode()

    names = [name_at(shstrndx, s[0]) for s in secs]
    symtab = names.index(".symtab")
    _, _, _, _, sym_off, sym_size, strtab, _, _, _ = secs[symtab]
    out = {}
    for i in range(sym_size // 24):
        st_name, st_info, _, shndx, value, size = struct.unpack_from("<IBBHQQ", data, sym_off + 24 * i)
        if st_info & 0xF == 2 and size > 0 and secs[shndx][2] & 0x4:  # STT_FUNC in SHF_EXECINSTR
            sec_off = secs[shndx][4]
            fields = set()
            for j, s in enumerate(secs):
                if s[1] == 4 and s[7] == shndx:  # SHT_RELA applying to this section
                    for k in range(s[5] // 24):
                        r_off, r_info, _ = struct.unpack_from("<QQq", data, s[4] + 24 * k)
                        if value <= r_off < value + size:
                            width = RELOC_FIELD_SIZE.get(r_info & 0xFFFFFFFF, 4)
                            fields.update(range(r_off - value, r_off - value + width))
            name = name_at(strtab, st_name)
            out[name] = ObjFunction(name, value, size, data[sec_off + value:sec_off + value + size],
                                    fields)
    return out


def cache_functions(cache: Path) -> dict:
    """Every function of every object in the cache, by object file name then symbol."""
    objs = {o.name: object_functions(o) for o in sorted(cache.glob("*.o"))}
    assert objs, f"no objects in {cache}"
    return objs


def read_perf_map(pid: int):
    path = Path(f"/tmp/perf-{pid}.map")
    assert path.exists(), f"S6_PERF=map wrote no {path}"
    rows = []
    for line in path.read_text().splitlines():
        start, size, name = line.split(" ", 2)
        rows.append((int(start, 16), int(size, 16), name))
    return rows


# ---------------------------------------------------------------------------------------------
# jitdump (format: tools/perf/Documentation/jitdump-specification.txt)

JITDUMP_MAGIC = 0x4A695444
JIT_CODE_LOAD, JIT_CODE_DEBUG_INFO, JIT_CODE_UNWINDING_INFO = 0, 2, 4


def cstr(data: bytes, at: int):
    end = data.index(b"\0", at)
    return data[at:end].decode(), end + 1


def parse_jitdump(path: Path):
    data = path.read_bytes()
    magic, version, total, mach, _pad, pid, ts, flags = struct.unpack_from("<IIIIIIQQ", data, 0)
    header = dict(magic=magic, version=version, size=total, mach=mach, pid=pid, ts=ts,
                  flags=flags)
    records = []
    at = total
    while at < len(data):
        rid, size, ts = struct.unpack_from("<IIQ", data, at)
        assert size >= 16 and at + size <= len(data), f"truncated record at {at}"
        body, rec = at + 16, {"id": rid, "ts": ts}
        if rid == JIT_CODE_LOAD:
            (rec["pid"], rec["tid"], rec["vma"], rec["addr"], rec["size"],
             rec["index"]) = struct.unpack_from("<IIQQQQ", data, body)
            rec["name"], code = cstr(data, body + 40)
            rec["code"] = data[code:code + rec["size"]]
            assert code + rec["size"] == at + size, "CODE_LOAD size mismatch"
        elif rid == JIT_CODE_DEBUG_INFO:
            rec["addr"], n = struct.unpack_from("<QQ", data, body)
            p, entries = body + 16, []
            for _ in range(n):
                addr, line, discrim = struct.unpack_from("<QII", data, p)
                name, p = cstr(data, p + 16)
                entries.append((addr, line, name))
            assert p == at + size, "DEBUG_INFO size mismatch"
            rec["entries"] = entries
        elif rid == JIT_CODE_UNWINDING_INFO:
            usize, hdr_size, mapped = struct.unpack_from("<QQQ", data, body)
            rec.update(unwind=data[body + 24:body + 24 + usize], hdr_size=hdr_size, mapped=mapped)
            assert body + 24 + usize <= at + size
        else:
            raise AssertionError(f"unexpected jitdump record id {rid}")
        records.append(rec)
        at += size
    assert at == len(data)
    return header, records


def fde_pc_range(unwind: bytes) -> int:
    """The pc range of the (only) FDE in the unwinding data: CIE first, then the FDE."""
    cie_len, = struct.unpack_from("<I", unwind, 0)
    fde = cie_len + 4
    _, cie_ptr, _pc_begin, pc_range = struct.unpack_from("<IIii", unwind, fde)
    assert cie_ptr == fde + 4, "FDE does not point at the CIE before it"
    return pc_range


# ---------------------------------------------------------------------------------------------
# gdb

FRAME = re.compile(r"^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*?\)(?: at (\S+):(\d+))?", re.M)


def gdb(b: Built, *commands, script=None, **env):
    if shutil.which("gdb") is None:
        pytest.skip("gdb is not installed")
    args = ["gdb", "-nx", "-batch", "-iex", "set debuginfod enabled off",
            "-ex", "set breakpoint pending on", "-ex", "set width 0", "-ex", "set pagination off"]
    for c in commands:
        args += ["-x", str(script)] if c == "SCRIPT" else ["-ex", c]
    args += ["--args", b.python, str(b.prog)]
    p = subprocess.run(args, cwd=b.dir, env=b.env(**env), capture_output=True, text=True,
                       timeout=TIMEOUT)
    out = p.stdout + p.stderr
    if "ptrace: Operation not permitted" in out or "Cannot create process" in out:
        pytest.skip(f"gdb may not trace processes here: {out.strip().splitlines()[-1]}")
    return out


def frames(out: str):
    return [(int(n), name, file, int(line) if line else None)
            for n, name, file, line in FRAME.findall(out)]


def assert_unwinds_into_cpython(out, below: list, frame_no: int):
    """Frames older than `frame_no` include CPython's evaluator and reach the C `main`."""
    names = [name for n, name, _, _ in below if n > frame_no]
    assert "_PyEval_EvalFrameDefault" in names, out
    assert {"PyObject_Vectorcall", "_PyEval_Vector"} & set(names), out
    assert {"main", "Py_BytesMain", "__libc_start_main_impl", "_start"} & set(names), \
        f"backtrace stops before main:\n{out}"
    assert "Backtrace stopped" not in out, out


@pytest.fixture(scope="module")
def gdb_at_hot(calls_c):
    return gdb(calls_c, "break s6::__main__.hot", "run", "bt", "info line *$pc")


def test_gdb_breaks_in_native_function_and_unwinds_into_cpython(calls_c, gdb_at_hot):
    out, prog = gdb_at_hot, str(calls_c.prog)
    assert "Breakpoint 1, s6::__main__.hot () at " + prog in out, out
    fr = frames(out)
    assert fr and fr[0][:3] == (0, "s6::__main__.hot", prog), out
    first, lines = code_lines(calls_c.source, prog, "hot")
    assert fr[0][3] in lines, f"stopped at line {fr[0][3]}, not a line of hot: {lines}"
    # `main` is native too: its frame names the line that called hot.
    caller = [f for f in fr if f[1] == "s6::__main__.main"]
    assert caller and caller[0][2:] == (prog, calls_c.line("call-hot")), out
    assert_unwinds_into_cpython(out, fr, caller[0][0])
    # info line maps the pc to the same Python line, inside the function's symbol.
    m = re.search(r'Line (\d+) of "([^"]+)"\s+starts at address 0x[0-9a-f]+ '
                  r"<s6::__main__\.hot(?:\+\d+)?>", out)
    assert m, out
    assert (int(m[1]), m[2]) == (fr[0][3], prog)


def test_gdb_break_on_function_stops_at_first_body_line(calls_c, gdb_at_hot):
    """`break s6::module.func` must stop before the body runs, at its first line (as for C).
    Needs the compiler's .debug_line to mark the end of the prologue (DW_LNS_set_prologue_end):
    without it gdb's prologue analysis skips to the second line of the body."""
    fr = frames(gdb_at_hot)
    assert fr and fr[0][1] == "s6::__main__.hot", gdb_at_hot
    assert fr[0][3] == calls_c.line("first-body"), (
        f"break s6::__main__.hot stopped at line {fr[0][3]}, the first body line is "
        f"{calls_c.line('first-body')} (the prologue needs its own .debug_line row, see "
        f"docs/debugging.md):\n{gdb_at_hot}")


def test_gdb_line_breakpoint_in_python_file_stops_in_native_code(calls_c):
    """`break prog.py:LINE` resolves to the native code of that line and hits on every loop
    iteration (here: the first three)."""
    line = calls_c.line("call")
    out = gdb(calls_c, f"break {calls_c.prog}:{line}", "run", "continue 2", "info breakpoints",
              "bt 1")
    stops = re.findall(r"^Breakpoint 1, (\S+) \(\) at (\S+):(\d+)$", out, re.M)
    assert stops == [("s6::__main__.hot", str(calls_c.prog), str(line))] * 2, out
    assert re.search(r"in s6::__main__\.hot at \S+:%d\n\s+breakpoint already hit 3 times" % line,
                     out), out


# One gdb session stopped in C code called from native code; a gdb Python script then reports
# the native frame's pc and what gdb knows about each range of the perf map.
PROBE = r'''
import gdb
pid = gdb.selected_inferior().pid
print("S6PID", pid)
f = gdb.newest_frame()
while f is not None:
    if f.name() == "s6::__main__.hot":
        print("S6HOTPC", hex(f.pc()))
        break
    f = f.older()
def fn(pc):
    try:
        b = gdb.block_for_pc(pc)
    except RuntimeError:
        return "-"
    while b is not None and b.function is None:
        b = b.superblock
    return b.function.name if b is not None else "-"
for line in open("/tmp/perf-%d.map" % pid):
    start, size, name = line.split(" ", 2)
    a, n = int(start, 16), int(size, 16)
    print("S6MAP", name.strip(), fn(a), fn(a + n - 1), fn(a + n))
'''


@pytest.fixture(scope="module")
def gdb_in_c(calls_c):
    script = calls_c.dir / "probe.py"
    script.write_text(PROBE)
    dump_dir = calls_c.dir / "jitdump-gdb"
    dump_dir.mkdir()
    out = gdb(calls_c, "break math_floor", "run", "bt", "SCRIPT", script=script,
              S6_PERF="map,jitdump", JITDUMPDIR=dump_dir)
    pid = re.search(r"^S6PID (\d+)$", out, re.M)
    if pid:
        Path(f"/tmp/perf-{pid[1]}.map").unlink(missing_ok=True)
    return out, dump_dir


def test_gdb_break_in_c_function_unwinds_through_native_frame(calls_c, gdb_in_c):
    out, _ = gdb_in_c
    prog = str(calls_c.prog)
    fr = frames(out)
    assert fr and fr[0][1] == "math_floor", out
    hot = [f for f in fr if f[1] == "s6::__main__.hot"]
    assert hot, f"no native frame of hot between math_floor and CPython:\n{out}"
    n = hot[0][0]
    # Between the C function and the native frame: the helper that calls a builtin's C
    # function directly (or CPython's call path, for a call native code left generic).
    assert {"s6_rt_call_cfunc_o", "PyObject_Vectorcall", "cfunction_vectorcall_O"} & \
        {f[1] for f in fr if f[0] < n}, out
    # The native frame names the Python line of the call exactly.
    assert hot[0][2:] == (prog, calls_c.line("call")), out
    assert_unwinds_into_cpython(out, fr, n)


def test_perf_map_lists_loaded_functions_with_their_ranges(calls_c):
    pid, out, stats = run_program(calls_c, S6_PERF="map")
    assert_native(stats)
    assert_same_text(calls_c.expected_output, out, "run with S6_PERF",
                     labels=("run without S6_PERF", None))
    rows = read_perf_map(pid)
    Path(f"/tmp/perf-{pid}.map").unlink()
    objs = cache_functions(calls_c.cache)
    expected = {name: f for fs in objs.values() for name, f in fs.items()}
    # Objects load on first need; this program needs every object of its cache.
    assert stats["objects_loaded"] == stats["objects_in_cache"] == len(objs), stats
    assert sorted(r[2] for r in rows) == sorted(expected), rows
    assert len(expected) == stats["functions_loaded"]
    for start, size, name in rows:
        assert name.startswith("s6::")
        assert size == expected[name].size, f"{name}: map size {size:#x}, object {expected[name].size:#x}"
    # Within one object the code keeps the object's layout: same offsets between functions.
    by_name = {r[2]: r for r in rows}
    for fs in objs.values():
        base = {by_name[n][0] - f.offset for n, f in fs.items()}
        assert len(base) == 1, f"functions of one object moved relative to each other: {rows}"
    spans = sorted((s, s + n) for s, n, _ in rows)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), f"overlapping ranges: {rows}"


def test_perf_map_left_by_a_dead_process_with_our_pid_is_emptied(calls_c):
    """pids wrap: a map file written before this process started is not ours, and its lines
    must not name our code. The program plants one (an hour old) before any object loads."""
    plant = (
        "import os, runpy, sys, time\n"
        "p = f'/tmp/perf-{os.getpid()}.map'\n"
        "open(p, 'w').write('1000 10 s6::stale.line\\n')\n"
        "os.utime(p, (time.time() - 3600,) * 2)\n"
        "sys.argv = [sys.argv[1]]\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')\n"
    )
    stats = calls_c.dir / "stats-stale.json"
    p = subprocess.Popen([calls_c.python, "-c", plant, str(calls_c.prog)], cwd=calls_c.dir,
                         env=calls_c.env(S6_STATS=stats, S6_PERF="map"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate(timeout=TIMEOUT)
    assert p.returncode == 0, err
    assert_same_text(calls_c.expected_output, out, "run with S6_PERF",
                     labels=("run without S6_PERF", None))
    assert_native(json.loads(stats.read_text()))
    rows = read_perf_map(p.pid)
    Path(f"/tmp/perf-{p.pid}.map").unlink()
    names = [r[2] for r in rows]
    assert "s6::stale.line" not in names and "s6::__main__.hot" in names, rows


def test_perf_map_ranges_match_code_gdb_sees(calls_c, gdb_in_c):
    """Cross-check with the live process: gdb attributes each map range, first and last byte,
    to the function of that name (from the DWARF of the loaded object), and the byte after it
    to something else."""
    out, _ = gdb_in_c
    probes = re.findall(r"^S6MAP (\S+) (\S+) (\S+) (\S+)$", out, re.M)
    names = {n for fs in cache_functions(calls_c.cache).values() for n in fs}
    assert {p[0] for p in probes} == names, out
    for name, first, last, after in probes:
        assert (first, last) == (name, name), f"{name}: gdb sees {first}..{last}"
        assert after != name


def check_jitdump(b: Built, pid: int, dump: Path):
    header, records = parse_jitdump(dump)
    assert header["magic"] == JITDUMP_MAGIC and header["version"] == 1, header
    assert header["mach"] == 62 and header["pid"] == pid and header["size"] == 40, header
    stamps = [r["ts"] for r in records]
    assert stamps == sorted(stamps) and stamps[0] >= header["ts"]

    objs = cache_functions(b.cache)
    expected = {name: f for fs in objs.values() for name, f in fs.items()}
    loads = [r for r in records if r["id"] == JIT_CODE_LOAD]
    assert sorted(r["name"] for r in loads) == sorted(expected)
    assert [r["index"] for r in loads] == list(range(len(loads)))
    for i, r in enumerate(records):
        if r["id"] != JIT_CODE_LOAD:
            continue
        f = expected[r["name"]]
        assert r["pid"] == pid and r["vma"] == r["addr"] and r["size"] == f.size
        # The code bytes are the object's, except the fields relocations patched.
        assert len(f.reloc_fields) < f.size
        diff = [k for k in range(f.size) if r["code"][k] != f.code[k] and k not in f.reloc_fields]
        assert not diff, f"{r['name']}: code differs from the object at offsets {diff[:8]}"
        # Each load is preceded by its line table and unwind table.
        before = {x["id"]: x for x in records[max(0, i - 2):i]}
        dbg, unw = before.get(JIT_CODE_DEBUG_INFO), before.get(JIT_CODE_UNWINDING_INFO)
        assert dbg and dbg["addr"] == r["addr"], f"no DEBUG_INFO before {r['name']}"
        assert unw and unw["unwind"][-unw["hdr_size"]] == 1, f"no UNWINDING_INFO before {r['name']}"
        assert fde_pc_range(unw["unwind"]) == f.size
        entries = dbg["entries"]
        addrs = [e[0] for e in entries]
        assert addrs == sorted(addrs) and addrs[0] == r["addr"]
        assert all(r["addr"] <= a <= r["addr"] + f.size for a in addrs)
        assert {e[2] for e in entries} == {str(b.prog)}
        # The lines are those of the function's code object (its `def` line may be left out).
        qualname = r["name"].removeprefix("s6::__main__.")
        first, lines = code_lines(b.source, str(b.prog), qualname)
        got = {e[1] for e in entries}
        assert lines - {first} <= got <= lines, f"{r['name']}: lines {got}, code has {lines}"
    return records


def line_at(records, pc):
    """The Python line that the jitdump's DEBUG_INFO gives for `pc`."""
    for r in records:
        if r["id"] == JIT_CODE_DEBUG_INFO and r["entries"][0][0] <= pc < r["entries"][-1][0]:
            return max((e for e in r["entries"] if e[0] <= pc), key=lambda e: e[0])[1]
    return None


def test_jitdump_parses_and_maps_code_to_source_lines(calls_c):
    dump_dir = calls_c.dir / "jitdump-run"
    dump_dir.mkdir()
    pid, out, stats = run_program(calls_c, S6_PERF="jitdump", JITDUMPDIR=dump_dir)
    assert_native(stats)
    assert_same_text(calls_c.expected_output, out, "run with S6_PERF",
                     labels=("run without S6_PERF", None))
    dump = dump_dir / f"jit-{pid}.dump"
    assert dump.exists(), f"S6_PERF=jitdump wrote no {dump}: {list(dump_dir.iterdir())}"
    records = check_jitdump(calls_c, pid, dump)
    hot = [r for r in records if r["id"] == JIT_CODE_DEBUG_INFO
           and any(e[1] == calls_c.line("call") for e in r["entries"])]
    assert hot, "no line record for the call line of hot"


def test_jitdump_line_of_a_live_return_address(calls_c, gdb_in_c):
    """The return address of the native frame below math_floor (from gdb, in the same process that
    wrote the dump) maps to the line of the call in the jitdump."""
    out, dump_dir = gdb_in_c
    pid = int(re.search(r"^S6PID (\d+)$", out, re.M)[1])
    pc = int(re.search(r"^S6HOTPC (0x[0-9a-f]+)$", out, re.M)[1], 16)
    records = check_jitdump(calls_c, pid, dump_dir / f"jit-{pid}.dump")
    assert line_at(records, pc - 1) == calls_c.line("call")


# ---------------------------------------------------------------------------------------------
# perf record / inject / report


def perf_usable(tmp: Path):
    if shutil.which("perf") is None:
        pytest.skip("perf is not installed")
    p = subprocess.run(["perf", "record", "-q", "-k", "1", "-e", "cpu-clock", "-o",
                        str(tmp / "probe.data"), "--", "true"],
                       capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode != 0:
        paranoid = Path("/proc/sys/kernel/perf_event_paranoid")
        level = paranoid.read_text().strip() if paranoid.exists() else "?"
        pytest.skip(f"perf record is not permitted here (perf_event_paranoid={level}): "
                    f"{p.stderr.strip()[-200:]}")


REPORT_ROW = re.compile(r"^\s+([\d.]+)%\s+\[\.\]\s+(\S+)(?:\s+(\S+))?", re.M)


@pytest.fixture(scope="module")
def hot_loop(tmp_path_factory, venv_python, s6c):
    return build(tmp_path_factory.mktemp("hot_loop"), "hot_loop.py", venv_python, s6c)


def perf_record_and_inject(b: Built, tmp: Path, *call_graph):
    """`perf record -k 1 -e cpu-clock` of the program with S6_PERF=jitdump, then
    `perf inject --jit`; returns the injected data file."""
    perf_usable(tmp)
    stats_path = tmp / "stats.json"
    data, jit = tmp / "perf.data", tmp / "perf.jit.data"
    p = subprocess.run(["perf", "record", "-q", "-k", "1", "-e", "cpu-clock", *call_graph,
                        "-o", str(data), "--", b.python, str(b.prog)], cwd=tmp, timeout=TIMEOUT,
                       env=b.env(S6_PERF="jitdump", JITDUMPDIR=tmp, S6_STATS=stats_path),
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert_native(json.loads(stats_path.read_text()))
    p = subprocess.run(["perf", "inject", "--jit", "-i", str(data), "-o", str(jit)],
                       cwd=tmp, capture_output=True, text=True, timeout=TIMEOUT)
    assert p.returncode == 0, p.stderr
    assert list(tmp.glob("jitted-*.so")), "perf inject --jit found no jitted code"
    return jit


def test_perf_attributes_most_samples_to_native_code(tmp_path, hot_loop):
    b = hot_loop
    jit = perf_record_and_inject(b, tmp_path, "-g")

    def report(sort):
        p = subprocess.run(["perf", "report", "-i", str(jit), "--stdio", "--no-children",
                            "-g", "none", "--sort", sort], cwd=tmp_path, capture_output=True,
                           text=True, timeout=TIMEOUT)
        assert p.returncode == 0, p.stderr
        return p.stdout

    by_symbol = report("symbol")
    rows = REPORT_ROW.findall(by_symbol)
    native = sum(float(share) for share, sym, _ in rows if sym.startswith("s6::"))
    print(f"\nperf: {native:.1f}% of cpu-clock samples in s6:: symbols")
    assert native > 50, f"only {native:.1f}% of samples in s6:: code:\n{by_symbol[:3000]}"
    # With the jitdump's line records perf reports Python lines of the native function.
    by_line = report("symbol,srcline")
    hot_lines = {int(m[1]): float(share) for share, sym, src in REPORT_ROW.findall(by_line)
                 if sym == "s6::__main__.hot" and (m := re.fullmatch(r"hot_loop\.py:(\d+)", src))}
    _, lines = code_lines(b.source, str(b.prog), "hot")
    assert b.line("body") in hot_lines, by_line[:3000]
    assert set(hot_lines) <= lines, f"perf lines {hot_lines} outside hot: {lines}"
    # perf annotate interleaves the machine code with the Python source.
    p = subprocess.run(["perf", "annotate", "-i", str(jit), "--stdio", "-s", "s6::__main__.hot"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert p.returncode == 0, p.stderr
    body = b.source.splitlines()[b.line("body") - 1].split("#")[0].strip()
    assert body in p.stdout and "s6::__main__.hot" in p.stdout, p.stdout[:3000]


def test_perf_dwarf_call_graphs_unwind_through_native_frames(tmp_path, hot_loop):
    """`perf record --call-graph dwarf`: stacks sampled in native code continue, through the
    native frame (its unwind table comes from the jitdump), into CPython's frames down to
    `Py_RunMain`. CPython 3.11 has no frame pointers, so only DWARF call graphs get there."""
    jit = perf_record_and_inject(hot_loop, tmp_path, "--call-graph", "dwarf")
    p = subprocess.run(["perf", "script", "-i", str(jit), "-F", "ip,sym"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert p.returncode == 0, p.stderr
    chains = [[line.split(None, 1)[1] if " " in line.strip() else "?"
               for line in block.strip().splitlines()]
              for block in p.stdout.split("\n\n") if block.strip()]
    native = [c for c in chains if any(f.startswith("s6::__main__.hot") for f in c)]
    assert len(native) > 100, f"too few samples in native code: {len(native)}"
    through = [c for c in native if "Py_RunMain" in " ".join(c)
               and "_PyEval_EvalFrameDefault" in " ".join(c)]
    share = 100 * len(through) / len(native)
    print(f"\nperf --call-graph dwarf: {share:.0f}% of {len(native)} native samples unwound "
          f"to Py_RunMain")
    example = "\n".join(native[len(native) // 2])
    assert share > 80, (f"only {share:.0f}% of native samples unwind into CPython (a function's "
                        f"unwind table must not be hidden by the next function, see "
                        f"docs/debugging.md); e.g.:\n{example}")


def test_perf_report_names_native_code_from_the_perf_map(tmp_path, hot_loop):
    """The quick way (no inject): `S6_PERF=map perf record`, `perf report` reads
    /tmp/perf-<pid>.map and names the samples in native code."""
    perf_usable(tmp_path)
    b, data = hot_loop, tmp_path / "perf.data"
    stats_path = tmp_path / "stats.json"
    p = subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-o", str(data), "--",
                        b.python, str(b.prog)], cwd=tmp_path, timeout=TIMEOUT,
                       env=b.env(S6_PERF="map", S6_STATS=stats_path), capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert_native(json.loads(stats_path.read_text()))
    p = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--sort", "symbol"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert p.returncode == 0, p.stderr
    pids = subprocess.run(["perf", "script", "-i", str(data), "-F", "pid"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=TIMEOUT).stdout.split()
    for pid in set(pids):
        Path(f"/tmp/perf-{pid}.map").unlink(missing_ok=True)
    native = sum(float(share) for share, sym, _ in REPORT_ROW.findall(p.stdout)
                 if sym == "s6::__main__.hot")
    print(f"\nperf (map): {native:.1f}% of samples in s6::__main__.hot")
    assert native > 50, p.stdout[:3000]


# ---------------------------------------------------------------------------------------------
# Site caches hit in machine code (helper calls counted with gdb breakpoints)


def test_site_caches_hit_inline_after_the_class_changed_version(tmp_path, venv_python, s6c):
    """A class that got attributes while its module ran had a type version per change; the
    caches of a hot loop filled during that time keep entries for the old versions. The helper
    moves the live version's entry to where generated code looks (`INLINE_ENTRIES`): without
    that, every store, load and method call of the loop called its helper."""
    b = build(tmp_path, "class_versions.py", venv_python, s6c, all=False)
    helpers = ["s6_rt_store_attr_cached", "s6_rt_load_attr_cached", "s6_rt_load_method_cached"]
    commands = []
    for n, h in enumerate(helpers, 1):
        commands += [f"break {h}", f"ignore {n} 100000000"]
    out = gdb(b, *commands, "run", "info breakpoints")
    assert "20000100000" in out, out
    hits = {}
    for n, h in enumerate(helpers, 1):
        m = re.search(rf"^{n}\s+breakpoint.*\n(?:\s+.*\n)*?\s+breakpoint already hit (\d+) time",
                      out, re.M)
        hits[h] = int(m[1]) if m else 0
    # The loop runs 200,000 times; a few hundred calls fill the caches (one per site and
    # version, and the instances the short runs made).
    assert all(n < 1000 for n in hits.values()), f"helper calls: {hits}\n{out}"
    assert any(n > 0 for n in hits.values()), f"no helper ran: the breakpoints did not bind\n{out}"
