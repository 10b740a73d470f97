"""The mutation-testing configuration (mutation/) is complete and its matcher is exact."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "mutation"


def _runner():
    spec = importlib.util.spec_from_file_location("mutation_run", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_module_and_test_file_exists():
    modules = tomllib.loads((HERE / "modules.toml").read_text(encoding="utf-8"))
    for name, conf in modules.items():
        assert (ROOT / "evalkit" / "metrics" / f"{name}.py").is_file(), name
        assert conf["tests"], name
        for test in conf["tests"]:
            assert (ROOT / test).is_file(), test


def test_every_equivalent_mutant_has_a_reason_and_matches_its_source():
    modules = tomllib.loads((HERE / "modules.toml").read_text(encoding="utf-8"))
    data = tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8"))
    for entry in data["mutant"]:
        assert set(entry) == {"module", "function", "original", "mutant", "reason"}, entry
        assert entry["module"] in modules
        assert len(entry["reason"]) > 20, entry
        source = (ROOT / "evalkit" / "metrics" / f"{entry['module']}.py").read_text()
        cls, _, method = entry["function"].rpartition(".")  # a method: "Class.method"
        assert f"def {method}(" in source and (not cls or f"class {cls}" in source), entry
        assert entry["original"] in source, entry  # still describes the code


def test_matcher_needs_function_original_and_mutant():
    run = _runner()
    known = [
        {"module": "m", "function": "f", "original": "a > b", "mutant": "a >= b", "reason": "r"}
    ]
    diff = "--- x.py\n+++ x.py\n-    y = a > b\n+    y = a >= b\n"
    assert run.is_equivalent("evalkit.metrics.m.x_f__mutmut_3", diff, known) is known[0]
    assert run.is_equivalent("evalkit.metrics.m.x_g__mutmut_3", diff, known) is None
    other = "--- x.py\n+++ x.py\n-    y = a > b\n+    y = a < b\n"
    assert run.is_equivalent("evalkit.metrics.m.x_f__mutmut_4", other, known) is None
    method = [dict(known[0], function="Segments.__init__")]
    name = "evalkit.metrics.m.x\u01c1Segments\u01c1__init____mutmut_5"
    assert run.is_equivalent(name, diff, method) is method[0]
    assert run.is_equivalent("evalkit.metrics.m.x_f__mutmut_3", diff, method) is None


def test_doctests_of_mutmut_copies_are_left_out_and_a_module_k_is_kept():
    run = _runner()
    assert run.pytest_args(None) == ["-k", "not __mutmut_"]
    assert run.pytest_args(["-k", "not demo", "-x"]) == [
        "-k",
        "(not demo) and not __mutmut_",
        "-x",
    ]
