"""Activation reads what start-up already loaded: the ABI stamp is computed without importing
platform, sysconfig or importlib.util, and must equal the definition that does."""
import subprocess


def test_fast_abi_stamp_equals_the_definition(venv_python):
    r = subprocess.run([venv_python, "-c",
                        "import sys; from s6 import _profile as p\n"
                        "fast = p.abi_stamp()\n"
                        "print('fast-imports', 'platform' in sys.modules, 'sysconfig' in sys.modules)\n"
                        "print(fast == p._abi_stamp_slow())"],
                       capture_output=True, text=True, check=True)
    assert r.stdout.split("\n")[:2] == ["fast-imports False False", "True"], r.stdout
