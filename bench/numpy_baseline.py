#!/usr/bin/env python3
"""numpy baselines for `./priorflow bench train` and `./priorflow bench kernels` (not part of the build).

The fair comparison (README, section Performance):

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/numpy_baseline.py --threads 1,2

Unsetting OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on this machine for other tools) lets OpenBLAS pick its native
kernel for the CPU; the script prints the core type it runs, so a run pinned to an older kernel shows.

1. Training tokens/s of the same model as priorflow's default TokenModel (window 8, embeddings 24, one GELU
   hidden layer of 256, vocabulary 77 = the default world's, softmax cross-entropy, AdamW with global-norm
   clipping at 1, weight decay on matrices and embeddings only), on batches of 64 sequences of 24 tokens (every
   position from 1 on predicted: 1472 tokens a step): the work `./priorflow bench train` times per step.
   The step is written the way a careful numpy user would: every buffer allocated once, every operation in place
   (out=), tanh of the GELU kept from the forward pass for the backward. An earlier version allocated fresh arrays
   every step; on this VM fresh pages are slow and that version spent most of its time in page faults, which made
   numpy look 5x slower than it is.
2. With --gemm, sgemm GFLOP/s (float32 matmul through numpy's BLAS) for the shapes `bench kernels` reports.

Thread counts: OpenBLAS threads, set with threadpoolctl when it is installed, else by running one child process
per count with OPENBLAS_NUM_THREADS (numpy's element-wise operations are single-threaded either way).
Prints one JSON object per line. --check compares the fair step with a plain allocate-every-time step.
Needs only numpy.
"""
import argparse
import ctypes
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np

F32 = np.float32
GELU_C = 0.7978845608028654  # sqrt(2/pi)
GELU_A = 0.044715


# ---- OpenBLAS: core type and threads ----------------------------------------------------------------------------

def _openblas_lib():
    """numpy's OpenBLAS as a ctypes library, or None."""
    base = os.path.dirname(np.__file__)
    for pat in (os.path.join(base, "..", "numpy.libs", "*openblas*.so*"), os.path.join(base, ".libs", "*openblas*"),
                os.path.join(base, "..", "scipy_openblas*", "lib", "*openblas*.so*")):
        for path in sorted(glob.glob(pat)):
            try:
                return ctypes.CDLL(path)
            except OSError:
                pass
    return None


def openblas_info():
    """(core type, OpenBLAS threads) as OpenBLAS reports them, or ('unknown', None)."""
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                return pool.get("architecture") or "unknown", pool.get("num_threads")
    except ImportError:
        pass
    lib = _openblas_lib()
    core, threads = "unknown", None
    if lib is not None:
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_",
                     "openblas_get_corename"):
            if hasattr(lib, name):
                fn = getattr(lib, name)
                fn.restype = ctypes.c_char_p
                core = fn().decode()
                break
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(lib, name):
                threads = int(getattr(lib, name)())
                break
    return core, threads


# ---- timing -----------------------------------------------------------------------------------------------------

def median_seconds(fn, budget, warmup=5, min_reps=5):
    """The median of timed calls after a few untimed ones, over about `budget` seconds (as `bench train`)."""
    for _ in range(warmup):
        fn()
    times, end = [], time.perf_counter() + budget
    while time.perf_counter() < end or len(times) < min_reps:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


# ---- the model --------------------------------------------------------------------------------------------------

def init(vocab, ctx, dim, hidden, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "embed": rng.uniform(-1.7, 1.7, (vocab, dim)).astype(F32),
        "w1": rng.uniform(-.07, .07, (hidden, ctx * dim)).astype(F32), "b1": np.zeros(hidden, F32),
        "w2": rng.uniform(-.06, .06, (vocab, hidden)).astype(F32), "b2": np.zeros(vocab, F32),
    }


DECAY = {"embed": True, "w1": True, "w2": True, "b1": False, "b2": False}


def batch_rows(vocab, ctx, batch, length, seed=1):
    """Windows (rows, ctx) and targets (rows,) of `batch` random sequences: every position t >= 1, window = the
    ctx tokens before t, pad token 0 before the start."""
    rng = np.random.default_rng(seed)
    seqs = rng.integers(0, vocab, (batch, length))
    padded = np.concatenate([np.zeros((batch, ctx), dtype=np.int64), seqs], axis=1)
    windows = np.stack([padded[:, t:t + ctx] for t in range(1, length)], axis=1).reshape(-1, ctx)
    return np.ascontiguousarray(windows), np.ascontiguousarray(seqs[:, 1:].reshape(-1))


class FairStep:
    """One AdamW training step with every buffer allocated once and every operation in place."""

    def __init__(self, params, windows, targets, lr=1e-3, b1=0.9, b2=0.99, eps=1e-8, wd=0.01, clip=1.0):
        self.p = params
        self.lr, self.b1, self.b2, self.eps, self.wd, self.clip = lr, b1, b2, eps, wd, clip
        vocab, dim = params["embed"].shape
        hidden, width = params["w1"].shape
        ctx = width // dim
        rows = windows.shape[0]
        self.rows, self.ctx, self.dim = rows, ctx, dim
        self.flat_windows = windows.reshape(-1)
        self.targets = targets
        self.flat_targets = np.arange(rows) * vocab + targets
        z = lambda *shape: np.zeros(shape, F32)
        self.x0 = z(rows, width)
        self.pre, self.t, self.act = z(rows, hidden), z(rows, hidden), z(rows, hidden)
        self.tmp, self.dact = z(rows, hidden), z(rows, hidden)
        self.logits = z(rows, vocab)
        self.rowmax, self.rowsum, self.lt = z(rows), z(rows), z(rows)
        self.dx0 = z(rows, width)
        self.g = {k: np.zeros_like(v) for k, v in params.items()}
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.u = {k: np.zeros_like(v) for k, v in params.items()}
        self.w = {k: np.zeros_like(v) for k, v in params.items()}
        self.step_no = 0
        self.loss = 0.0

    def __call__(self):
        p, g = self.p, self.g
        rows, ctx, dim = self.rows, self.ctx, self.dim
        x0, pre, t, act, tmp, dact, lg = self.x0, self.pre, self.t, self.act, self.tmp, self.dact, self.logits
        # forward: embedding gather, dense + GELU (tanh kept), dense
        np.take(p["embed"], self.flat_windows, axis=0, out=x0.reshape(rows * ctx, dim))
        np.matmul(x0, p["w1"].T, out=pre)
        pre += p["b1"]
        np.multiply(pre, pre, out=t)
        t *= GELU_A
        t += 1.0
        t *= pre
        t *= GELU_C                      # u = c·(x + a·x³)
        np.tanh(t, out=t)
        np.add(t, 1.0, out=act)
        act *= pre
        act *= 0.5                       # 0.5·x·(1 + tanh u)
        np.matmul(act, p["w2"].T, out=lg)
        lg += p["b2"]
        # softmax cross-entropy: loss and dlogits = (softmax − onehot) / rows
        np.max(lg, axis=1, out=self.rowmax)
        lg -= self.rowmax[:, None]
        np.take(lg.reshape(-1), self.flat_targets, out=self.lt)  # shifted target logits
        np.exp(lg, out=lg)
        np.sum(lg, axis=1, out=self.rowsum)
        self.loss = float(np.sum(np.log(self.rowsum)) - np.sum(self.lt)) / rows
        np.reciprocal(self.rowsum, out=self.rowsum)
        self.rowsum *= 1.0 / rows
        lg *= self.rowsum[:, None]
        lg.reshape(-1)[self.flat_targets] -= F32(1.0 / rows)
        # backward
        np.matmul(lg.T, act, out=g["w2"])
        np.sum(lg, axis=0, out=g["b2"])
        np.matmul(lg, p["w2"], out=dact)
        # GELU'(x) = 0.5·(1 + t) + 0.5·x·(1 − t²)·c·(1 + 3a·x²); dpre = dact · GELU'(x), into dact
        np.multiply(pre, pre, out=tmp)
        tmp *= 3 * GELU_A
        tmp += 1.0
        tmp *= GELU_C
        tmp *= pre
        tmp *= 0.5                       # 0.5·x·c·(1 + 3a·x²)
        np.multiply(t, t, out=act)       # act is dead after the head's gradient: reuse it for 1 − t²
        np.subtract(1.0, act, out=act)
        tmp *= act
        t += 1.0
        t *= 0.5
        tmp += t
        dact *= tmp
        np.matmul(dact.T, x0, out=g["w1"])
        np.sum(dact, axis=0, out=g["b1"])
        np.matmul(dact, p["w1"], out=self.dx0)
        g["embed"].fill(0.0)
        np.add.at(g["embed"], self.flat_windows, self.dx0.reshape(rows * ctx, dim))
        # global-norm clipping, then AdamW
        norm = np.sqrt(sum(float(np.dot(x.ravel(), x.ravel())) for x in g.values()))
        scale = self.clip / norm if norm > self.clip else 1.0
        self.step_no += 1
        n = self.step_no
        b1, b2 = self.b1, self.b2
        bc1, bc2 = 1 - b1 ** n, 1 - b2 ** n
        for k in p:
            gk, mk, vk, uk, wk, pk = g[k], self.m[k], self.v[k], self.u[k], self.w[k], p[k]
            if scale != 1.0:
                gk *= scale
            mk *= b1
            np.multiply(gk, 1 - b1, out=uk)
            mk += uk
            vk *= b2
            np.multiply(gk, gk, out=uk)
            uk *= 1 - b2
            vk += uk
            np.multiply(vk, 1 / bc2, out=uk)
            np.sqrt(uk, out=uk)
            uk += self.eps
            np.multiply(mk, 1 / bc1, out=wk)
            wk /= uk                     # m̂ / (√v̂ + ε)
            if DECAY[k]:
                np.multiply(pk, self.wd, out=uk)
                wk += uk
            wk *= self.lr
            pk -= wk


def plain_step(p, m, v, state, windows, targets, lr=1e-3, b1=0.9, b2=0.99, eps=1e-8, wd=0.01, clip=1.0):
    """The same step written plainly (new arrays everywhere): the text --check compares FairStep with."""
    rows, ctx = windows.shape
    dim = p["embed"].shape[1]
    x0 = p["embed"][windows].reshape(rows, ctx * dim)
    pre = x0 @ p["w1"].T + p["b1"]
    t = np.tanh(GELU_C * (pre + GELU_A * pre ** 3))
    act = 0.5 * pre * (1 + t)
    logits = act @ p["w2"].T + p["b2"]
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    probs = e / e.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(e.sum(axis=1)) - logits[np.arange(rows), targets]))
    dlogits = probs.copy()
    dlogits[np.arange(rows), targets] -= 1
    dlogits /= rows
    g = {"w2": dlogits.T @ act, "b2": dlogits.sum(0)}
    dpre = (dlogits @ p["w2"]) * (0.5 * (1 + t) + 0.5 * pre * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * pre * pre))
    g["w1"] = dpre.T @ x0
    g["b1"] = dpre.sum(0)
    dx0 = (dpre @ p["w1"]).reshape(rows * ctx, dim)
    g["embed"] = np.zeros_like(p["embed"])
    np.add.at(g["embed"], windows.reshape(-1), dx0)
    norm = np.sqrt(sum(float((x * x).sum()) for x in g.values()))
    scale = clip / norm if norm > clip else 1.0
    state["t"] += 1
    n = state["t"]
    for k in p:
        gk = g[k] * scale
        m[k] = b1 * m[k] + (1 - b1) * gk
        v[k] = b2 * v[k] + (1 - b2) * gk * gk
        mhat, vhat = m[k] / (1 - b1 ** n), v[k] / (1 - b2 ** n)
        decay = wd if DECAY[k] else 0.0
        p[k] = p[k] - lr * (mhat / (np.sqrt(vhat) + eps) + decay * p[k])
    return loss


def check(args):
    """FairStep against plain_step: same losses and weights after a few steps, within float32 rounding."""
    windows, targets = batch_rows(args.vocab, 8, args.batch, args.length)
    fair = FairStep(init(args.vocab, 8, 24, 256), windows, targets)
    p = init(args.vocab, 8, 24, 256)
    m = {k: np.zeros_like(x) for k, x in p.items()}
    v = {k: np.zeros_like(x) for k, x in p.items()}
    state = {"t": 0}
    worst = 0.0
    for _ in range(5):
        fair()
        loss = plain_step(p, m, v, state, windows, targets)
        assert abs(fair.loss - loss) < 1e-4 * abs(loss), (fair.loss, loss)
    for k in p:
        worst = max(worst, float(np.max(np.abs(fair.p[k] - p[k]))))
    assert worst < 1e-5, worst
    print(json.dumps({"check": "ok", "loss": round(fair.loss, 6), "max_weight_diff": worst}))


def train(args, threads):
    windows, targets = batch_rows(args.vocab, 8, args.batch, args.length)
    step = FairStep(init(args.vocab, 8, 24, 256), windows, targets)
    s = median_seconds(step, args.seconds)
    core, blas_threads = openblas_info()
    print(json.dumps({"backend": "numpy", "threads": threads, "openblas_threads": blas_threads,
                      "openblas_core": core, "numpy": np.__version__, "batch": args.batch, "length": args.length,
                      "vocab": args.vocab, "ms_per_step": round(s * 1000, 3),
                      "tokens_per_second": round(windows.shape[0] / s, 1)}), flush=True)


def gemm(args, threads):
    rng = np.random.default_rng(0)
    for m, k, n in [(128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
                    (256, 192, 256), (256, 256, 128)]:
        a = rng.standard_normal((m, k), dtype=F32)
        b = rng.standard_normal((k, n), dtype=F32)
        c = np.empty((m, n), F32)
        s = median_seconds(lambda: np.matmul(a, b, out=c), 1.0)
        print(json.dumps({"shape": f"{m}x{k}x{n}", "backend": "numpy", "threads": threads,
                          "openblas_core": openblas_info()[0], "gflops": round(2 * m * k * n / s / 1e9, 2)}),
              flush=True)


def run_one(args, threads):
    if args.gemm:
        gemm(args, threads)
    train(args, threads)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", default="1,2", help="OpenBLAS thread counts, comma-separated (default 1,2)")
    ap.add_argument("--vocab", type=int, default=77, help="vocabulary (default 77, the default world's)")
    ap.add_argument("--batch", type=int, default=64, help="sequences per step (default 64)")
    ap.add_argument("--length", type=int, default=24, help="tokens per sequence (default 24)")
    ap.add_argument("--seconds", type=float, default=3.0, help="timed seconds per thread count (default 3)")
    ap.add_argument("--gemm", action="store_true", help="also sgemm GFLOP/s for the shapes of bench kernels")
    ap.add_argument("--check", action="store_true", help="check the fair step against a plain one, then exit")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.check:
        check(args)
        return
    if args.child is not None:
        run_one(args, args.child)
        return
    counts = [int(x) for x in args.threads.split(",")]
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    for n in counts:
        if threadpool_limits is not None:
            with threadpool_limits(limits=n, user_api="blas"):
                run_one(args, n)
        else:
            # OpenBLAS reads its thread count once, at load: one child process per count
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(n))
            child = [sys.executable, os.path.abspath(__file__), "--child", str(n), "--vocab", str(args.vocab),
                     "--batch", str(args.batch), "--length", str(args.length), "--seconds", str(args.seconds)]
            subprocess.run(child + (["--gemm"] if args.gemm else []), env=env, check=True)


if __name__ == "__main__":
    main()
