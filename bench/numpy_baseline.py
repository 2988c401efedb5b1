#!/usr/bin/env python3
"""numpy baselines for `./priorflow bench kernels` and `./priorflow bench train` (not part of the build).

  OPENBLAS_NUM_THREADS=1 python3 bench/numpy_baseline.py     # single-thread OpenBLAS
  python3 bench/numpy_baseline.py                            # all threads

1. sgemm GFLOP/s (float32 matmul through numpy's BLAS) for the shapes `bench kernels` reports.
2. Training tokens/s of the same model as priorflow's default TokenModel (window 8, embeddings 24, one GELU
   hidden layer of 256, vocabulary 96, softmax cross-entropy, AdamW with global-norm clipping), on batches of
   64 random sequences of 24 tokens: the same work `./priorflow bench train` times.
Prints JSON lines like the Java benchmarks. Needs only numpy.
"""
import json
import os
import time

import numpy as np

THREADS = os.environ.get("OPENBLAS_NUM_THREADS", "all")


def best_seconds(fn, budget=1.5, min_reps=3):
    fn()
    times, end = [], time.perf_counter() + budget
    while time.perf_counter() < end or len(times) < min_reps:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def gemm():
    rng = np.random.default_rng(0)
    for m, k, n in [(128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
                    (256, 192, 256), (256, 256, 128)]:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        s = best_seconds(lambda: a @ b)
        print(json.dumps({"shape": f"{m}x{k}x{n}", "backend": "numpy", "threads": THREADS,
                          "gflops": round(2 * m * k * n / s / 1e9, 2)}))


def gelu(x):
    return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))


def gelu_grad(x):
    t = np.tanh(0.7978845608 * (x + 0.044715 * x ** 3))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * 0.7978845608 * (1 + 3 * 0.044715 * x * x)


def train(vocab=96, ctx=8, dim=24, hidden=256, batch=64, length=24):
    rng = np.random.default_rng(0)
    f32 = np.float32
    params = {
        "embed": rng.uniform(-1.7, 1.7, (vocab, dim)).astype(f32),
        "w1": rng.uniform(-.07, .07, (hidden, ctx * dim)).astype(f32), "b1": np.zeros(hidden, f32),
        "w2": rng.uniform(-.06, .06, (vocab, hidden)).astype(f32), "b2": np.zeros(vocab, f32),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    seqs = rng.integers(0, vocab, (batch, length))
    padded = np.concatenate([np.zeros((batch, ctx), dtype=np.int64), seqs], axis=1)
    # rows: every position t >= 1, window = the ctx tokens before t
    windows = np.stack([padded[:, t:t + ctx] for t in range(1, length)], axis=1).reshape(-1, ctx)
    targets = seqs[:, 1:].reshape(-1)
    rows = windows.shape[0]
    state = {"t": 0}

    def step(lr=1e-3, b1=0.9, b2=0.99, eps=1e-8, wd=0.01, clip=1.0):
        p = params
        x0 = p["embed"][windows].reshape(rows, ctx * dim)
        pre = x0 @ p["w1"].T + p["b1"]
        act = gelu(pre)
        logits = act @ p["w2"].T + p["b2"]
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        probs = e / e.sum(axis=1, keepdims=True)
        dlogits = probs
        dlogits[np.arange(rows), targets] -= 1
        dlogits /= rows
        g = {"w2": dlogits.T @ act, "b2": dlogits.sum(0)}
        dpre = (dlogits @ p["w2"]) * gelu_grad(pre)
        g["w1"] = dpre.T @ x0
        g["b1"] = dpre.sum(0)
        dx0 = (dpre @ p["w1"]).reshape(rows * ctx, dim)
        g["embed"] = np.zeros_like(p["embed"])
        np.add.at(g["embed"], windows.reshape(-1), dx0)
        norm = np.sqrt(sum(float((x * x).sum()) for x in g.values()))
        scale = clip / norm if norm > clip else 1.0
        state["t"] += 1
        t = state["t"]
        for k in p:
            gk = g[k] * scale
            m[k] = b1 * m[k] + (1 - b1) * gk
            v[k] = b2 * v[k] + (1 - b2) * gk * gk
            mhat, vhat = m[k] / (1 - b1 ** t), v[k] / (1 - b2 ** t)
            decay = wd if k in ("embed", "w1", "w2") else 0.0
            p[k] -= lr * (mhat / (np.sqrt(vhat) + eps) + decay * p[k])

    s = best_seconds(step, budget=3)
    print(json.dumps({"backend": "numpy", "threads": THREADS, "batch": batch, "length": length,
                      "ms_per_step": round(s * 1000, 3), "tokens_per_second": round(rows / s, 1)}))


if __name__ == "__main__":
    gemm()
    train()
