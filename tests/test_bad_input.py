"""Bad input: each case names the call, the exception type and a regex its message must match
(the argument it names, where the library names it)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
from numpy.exceptions import AxisError

import infokit
import infokit.special as sp
from infokit import _core

P = np.array([1.0, 2.0, 3.0])
Q = np.array([3.0, 2.0, 1.0])
M = np.ones((2, 3))

# The functions that take a distribution `pk` (and maybe `qk`) along an axis.
AXIS_FNS: dict[str, Callable[..., Any]] = {
    "entropy": lambda p, **k: infokit.entropy(p, **k),
    "entropy_qk": lambda p, **k: infokit.entropy(p, p, **k),
    "kl_divergence": lambda p, **k: infokit.kl_divergence(p, p, **k),
    "cross_entropy": lambda p, **k: infokit.cross_entropy(p, p, **k),
    "jensenshannon": lambda p, **k: infokit.jensenshannon(p, p, **k),
    "js_divergence": lambda p, **k: infokit.js_divergence(p, p, **k),
    "renyi_entropy": lambda p, **k: infokit.renyi_entropy(p, 2.0, **k),
    "perplexity": lambda p, **k: infokit.perplexity(p, **k),
}
FIRST_ARG = {"jensenshannon": "p", "js_divergence": "p"}  # the others call it pk


def cases() -> list[Any]:
    c: list[Any] = []

    def add(id_: str, call: Callable[[], Any], exc: type[BaseException], match: str | None) -> None:
        c.append(pytest.param(call, exc, match, id=id_))

    # dtypes
    for name, fn in AXIS_FNS.items():
        arg = FIRST_ARG.get(name, "pk")
        add(f"{name}-complex", lambda fn=fn: fn(np.array([1 + 1j, 2.0])), TypeError, rf"\b{arg}\b.*complex")
        add(f"{name}-object", lambda fn=fn: fn(np.array([1.0, 2.0], dtype=object)), TypeError, rf"\b{arg}\b.*object")
        add(f"{name}-str", lambda fn=fn: fn(np.array(["a", "b"])), TypeError, rf"\b{arg}\b")
        add(f"{name}-str-list", lambda fn=fn: fn(["0.5", "0.5"]), TypeError, rf"\b{arg}\b")
        add(f"{name}-bytes", lambda fn=fn: fn(np.array([b"a", b"b"])), TypeError, rf"\b{arg}\b")
        add(f"{name}-datetime", lambda fn=fn: fn(np.array(["2020-01-01"], dtype="datetime64[D]")),
            TypeError, rf"\b{arg}\b")
    add("entropy-qk-complex", lambda: infokit.entropy(P, Q + 1j), TypeError, r"\bqk\b.*complex")
    add("cross_entropy-qk-object", lambda: infokit.cross_entropy(P, Q.astype(object)), TypeError, r"\bqk\b")
    add("jensenshannon-q-str", lambda: infokit.jensenshannon(P, np.array(["a", "b", "c"])), TypeError, r"\bq\b")
    add("binary_entropy-complex", lambda: infokit.binary_entropy(np.array([0.5 + 0j])), TypeError, r"\bp\b")
    add("surprisal-object", lambda: infokit.surprisal(np.array([0.5], dtype=object)), TypeError, r"\bp\b")
    add("joint_entropy-complex", lambda: infokit.joint_entropy(M + 0j), TypeError, r"\bpxy\b")
    add("mutual_information-str", lambda: infokit.mutual_information(np.array([["a"]])), TypeError, r"\bpxy\b")
    add("cmi-object", lambda: infokit.conditional_mutual_information(np.ones((2, 2, 2), dtype=object)),
        TypeError, r"\bpxyz\b")
    add("entr-complex", lambda: sp.entr(np.array([1j])), TypeError, r"\bx\b.*complex")
    add("rel_entr-y-str", lambda: sp.rel_entr(P, np.array(["a", "b", "c"])), TypeError, r"\by\b")
    add("kl_div-x-object", lambda: sp.kl_div(P.astype(object), Q), TypeError, r"\bx\b")

    # base
    base_fns: dict[str, Callable[..., Any]] = {
        "entropy": lambda b: infokit.entropy(P, base=b),
        "entropy_qk": lambda b: infokit.entropy(P, Q, base=b),
        "kl_divergence": lambda b: infokit.kl_divergence(P, Q, base=b),
        "cross_entropy": lambda b: infokit.cross_entropy(P, Q, base=b),
        "jensenshannon": lambda b: infokit.jensenshannon(P, Q, base=b),
        "js_divergence": lambda b: infokit.js_divergence(P, Q, base=b),
        "renyi_entropy": lambda b: infokit.renyi_entropy(P, 2, base=b),
        "binary_entropy": lambda b: infokit.binary_entropy(0.5, base=b),
        "surprisal": lambda b: infokit.surprisal(0.5, base=b),
        "joint_entropy": lambda b: infokit.joint_entropy(M, base=b),
        "conditional_entropy": lambda b: infokit.conditional_entropy(M, base=b),
        "mutual_information": lambda b: infokit.mutual_information(M, base=b),
        "cmi": lambda b: infokit.conditional_mutual_information(np.ones((2, 2, 2)), base=b),
    }
    for name, fn in base_fns.items():
        for b in (0, -1, 0.0, -np.inf, float("nan")):
            add(f"{name}-base={b}", lambda fn=fn, b=b: fn(b), ValueError, r"\bbase\b")
        add(f"{name}-base=str", lambda fn=fn: fn("two"), TypeError, r"\bbase\b")

    # axis
    for name, fn in AXIS_FNS.items():
        add(f"{name}-axis=1-on-1d", lambda fn=fn: fn(P, axis=1), AxisError, r"axis 1 is out of bounds")
        add(f"{name}-axis=-2-on-1d", lambda fn=fn: fn(P, axis=-2), AxisError, r"axis -2 is out of bounds")
        add(f"{name}-axis=2-on-2d", lambda fn=fn: fn(M, axis=2), AxisError, r"out of bounds")
        add(f"{name}-axis=-3-on-2d", lambda fn=fn: fn(M, axis=-3), AxisError, r"out of bounds")
        add(f"{name}-axis=float", lambda fn=fn: fn(M, axis=1.0), TypeError, r"\baxis\b")
        add(f"{name}-axis=str", lambda fn=fn: fn(M, axis="0"), TypeError, r"\baxis\b")
    add("conditional_entropy-given=2", lambda: infokit.conditional_entropy(M, given=2), AxisError, r"out of bounds")
    add("conditional_entropy-given=-3", lambda: infokit.conditional_entropy(M, given=-3), AxisError, r"out of bounds")
    add("conditional_entropy-given=float", lambda: infokit.conditional_entropy(M, given=0.0), TypeError, r"\bgiven\b")

    # shapes
    shape_fns: dict[str, tuple[Callable[..., Any], str]] = {
        "entropy": (lambda a, b: infokit.entropy(a, b), r"\bpk\b.*\bqk\b"),
        "kl_divergence": (lambda a, b: infokit.kl_divergence(a, b), r"\bpk\b.*\bqk\b"),
        "cross_entropy": (lambda a, b: infokit.cross_entropy(a, b), r"\bpk\b.*\bqk\b"),
        "jensenshannon": (lambda a, b: infokit.jensenshannon(a, b), r"\bp\b.*\bq\b"),
        "js_divergence": (lambda a, b: infokit.js_divergence(a, b), r"\bp\b.*\bq\b"),
    }
    for name, (fn, pat) in shape_fns.items():
        add(f"{name}-shape-3-4", lambda fn=fn: fn(np.ones(3), np.ones(4)), ValueError, pat)
        add(f"{name}-shape-2x3-3x2", lambda fn=fn: fn(np.ones((2, 3)), np.ones((3, 2))), ValueError, pat)
    add("entropy-axis-None-shapes", lambda: infokit.entropy(np.ones((2, 3)), np.ones(3), axis=None),
        ValueError, r"\bpk\b.*\bqk\b")
    add("rel_entr-shape", lambda: sp.rel_entr(np.ones(3), np.ones(4)), ValueError, None)
    add("kl_div-shape", lambda: sp.kl_div(np.ones((2, 3)), np.ones((3, 2))), ValueError, None)

    # nan_policy
    add("nan_policy-raise", lambda: infokit.entropy([1.0, np.nan], nan_policy="raise"), ValueError, r"nan")
    add("nan_policy-raise-qk", lambda: infokit.entropy([1.0, 2.0], [1.0, np.nan], nan_policy="raise"),
        ValueError, r"nan")
    add("nan_policy-raise-2d", lambda: infokit.entropy(np.array([[1.0, 2.0], [np.nan, 1.0]]), axis=1,
                                                       nan_policy="raise"), ValueError, r"nan")
    add("nan_policy-bogus", lambda: infokit.entropy([1.0, 2.0], nan_policy="bogus"), ValueError,
        r"nan_policy.*bogus")
    add("nan_policy-bogus-no-nan", lambda: infokit.entropy(np.ones((2, 2)), nan_policy="Omit"), ValueError,
        r"nan_policy")

    # n_threads
    thread_fns: dict[str, Callable[..., Any]] = {
        "entropy": lambda n: infokit.entropy(P, n_threads=n),
        "entropy_qk": lambda n: infokit.entropy(P, Q, n_threads=n),
        "cross_entropy": lambda n: infokit.cross_entropy(P, Q, n_threads=n),
        "jensenshannon": lambda n: infokit.jensenshannon(P, Q, n_threads=n),
        "renyi_entropy": lambda n: infokit.renyi_entropy(P, 2, n_threads=n),
        "perplexity": lambda n: infokit.perplexity(P, n_threads=n),
        "joint_entropy": lambda n: infokit.joint_entropy(M, n_threads=n),
        "mutual_information": lambda n: infokit.mutual_information(M, n_threads=n),
        "entr": lambda n: sp.entr(P, n_threads=n),
        "rel_entr": lambda n: sp.rel_entr(P, Q, n_threads=n),
        "kl_div": lambda n: sp.kl_div(P, Q, n_threads=n),
    }
    for name, fn in thread_fns.items():
        add(f"{name}-n_threads=0", lambda fn=fn: fn(0), ValueError, r"\bn_threads\b")
        add(f"{name}-n_threads=x", lambda fn=fn: fn("x"), TypeError, r"\bn_threads\b")
        add(f"{name}-n_threads=1.5", lambda fn=fn: fn(1.5), TypeError, r"\bn_threads\b")

    # probabilities outside [0, 1]
    for name, fn in {"binary_entropy": infokit.binary_entropy, "surprisal": infokit.surprisal}.items():
        for bad in (1.5, -0.1, [0.5, 2.0], np.array([[0.2], [-1e-300]]), np.inf, -np.inf, 2):
            add(f"{name}-p={bad!r}", lambda fn=fn, bad=bad: fn(bad), ValueError, r"\bp\b.*\[0, 1\]")

    # tables
    add("mutual_information-3d", lambda: infokit.mutual_information(np.ones((2, 2, 2))), ValueError,
        r"\bpxy\b.*2-d")
    add("mutual_information-1d", lambda: infokit.mutual_information(np.ones(4)), ValueError, r"\bpxy\b.*2-d")
    add("mutual_information-negative", lambda: infokit.mutual_information([[1.0, -1.0], [1.0, 1.0]]),
        ValueError, r"\bpxy\b.*negative")
    add("mutual_information-negative-int", lambda: infokit.mutual_information(np.array([[1, -1], [1, 1]])),
        ValueError, r"\bpxy\b.*negative")
    add("mutual_information-inf", lambda: infokit.mutual_information([[1.0, np.inf], [1.0, 1.0]]),
        ValueError, r"\bpxy\b.*infinite")
    add("mutual_information-zero", lambda: infokit.mutual_information(np.zeros((2, 2))), ValueError,
        r"\bpxy\b.*positive sum")
    add("mutual_information-empty", lambda: infokit.mutual_information(np.ones((0, 2))), ValueError,
        r"\bpxy\b.*empty")
    add("cmi-2d", lambda: infokit.conditional_mutual_information(np.ones((2, 2))), ValueError,
        r"\bpxyz\b.*3-d")
    add("cmi-negative", lambda: infokit.conditional_mutual_information(-np.ones((2, 2, 2))), ValueError,
        r"\bpxyz\b.*negative")
    add("joint_entropy-negative", lambda: infokit.joint_entropy([1.0, -0.5]), ValueError, r"\bpxy\b.*negative")
    add("joint_entropy-empty", lambda: infokit.joint_entropy([]), ValueError, r"\bpxy\b.*empty")
    add("conditional_entropy-negative", lambda: infokit.conditional_entropy([[1.0, -0.5]]), ValueError,
        r"\bpxy\b.*negative")

    # cross_entropy and renyi refuse negative / infinite entries
    add("cross_entropy-negative-pk", lambda: infokit.cross_entropy([1.0, -1.0], [1.0, 1.0]), ValueError,
        r"\bpk\b.*negative")
    add("cross_entropy-negative-qk", lambda: infokit.cross_entropy([1.0, 1.0], [1.0, -1.0]), ValueError,
        r"\bqk\b.*negative")
    add("cross_entropy-inf-qk", lambda: infokit.cross_entropy([1.0, 1.0], [1.0, np.inf]), ValueError,
        r"\bqk\b.*infinite")
    add("renyi_entropy-negative", lambda: infokit.renyi_entropy([1.0, -1.0], 2), ValueError, r"\bpk\b.*negative")

    # renyi alpha
    for a in (-1, -0.5, float("nan"), -np.inf):
        add(f"renyi_entropy-alpha={a}", lambda a=a: infokit.renyi_entropy(P, a), ValueError, r"\balpha\b")
    add("renyi_entropy-alpha=str", lambda: infokit.renyi_entropy(P, "two"), TypeError, r"\balpha\b")
    add("renyi_entropy-alpha=None", lambda: infokit.renyi_entropy(P, None), TypeError, r"\balpha\b")

    # special: out=
    add("entr-out-shape", lambda: sp.entr(P, out=np.empty(4)), ValueError, r"\bout\b")
    add("rel_entr-out-dtype", lambda: sp.rel_entr(P, Q, out=np.empty(3, dtype=np.int64)), TypeError, r"\bout\b")
    add("kl_div-out-list", lambda: sp.kl_div(P, Q, out=[0.0, 0.0, 0.0]), TypeError, r"\bout\b")

    # ISA switch
    add("set_isa-nonsense", lambda: _core.set_isa("nonsense"), ValueError, r"nonsense")
    add("set_isa-empty", lambda: _core.set_isa(""), ValueError, r"baseline")
    add("set_isa-case", lambda: _core.set_isa("AVX2"), ValueError, r"AVX2")
    return c


@pytest.mark.parametrize("call,exc,match", cases())
def test_bad_input(call: Callable[[], Any], exc: type[BaseException], match: str | None) -> None:
    isa_before = _core.config()["isa"]
    with pytest.raises(exc, match=match) as info:
        call()
    assert type(info.value) is exc or (exc is ValueError and isinstance(info.value, ValueError)), \
        type(info.value)
    assert _core.config()["isa"] == isa_before


def test_axis_error_is_value_and_index_error():
    """numpy's AxisError: catchable as ValueError and IndexError, like numpy's own."""
    with pytest.raises(ValueError):
        infokit.entropy(P, axis=3)
    with pytest.raises(IndexError):
        infokit.entropy(P, axis=3)


def test_set_isa_unsupported_isa_is_refused():
    available = _core.config()["isas_available"]
    before = _core.config()["isa"]
    for name in ("baseline", "avx2", "avx512"):
        if name in available:
            continue
        with pytest.raises(ValueError, match=name):
            _core.set_isa(name)
        assert _core.config()["isa"] == before


def test_set_isa_returns_previous():
    before = _core.config()["isa"]
    try:
        prev = _core.set_isa("baseline")
        assert prev == before
        assert _core.config()["isa"] == "baseline"
    finally:
        _core.set_isa(before)
    assert _core.config()["isa"] == before


def test_negative_n_threads_counts_back_from_cpu_count():
    x = np.random.default_rng(0).random(100_000)
    want = infokit.entropy(x, n_threads=1)
    for n in (-1, -2, -100):
        assert infokit.entropy(x, n_threads=n) == want
    assert _core.resolve_threads(-1) == _core.config()["cpu_count"]
    assert _core.resolve_threads(-1000) == 1
    assert _core.resolve_threads(0) == _core.config()["default_threads"]


def test_bad_input_does_not_warn_or_change_state():
    """A refused call leaves no RuntimeWarning behind (pytest runs with -W error) and the same
    call then succeeds with good input."""
    with pytest.raises(ValueError):
        infokit.entropy([1.0, np.nan], nan_policy="raise")
    assert infokit.entropy([1.0, 1.0]) == pytest.approx(np.log(2))
