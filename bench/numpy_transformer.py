#!/usr/bin/env python3
"""A fair numpy reference for `./priorflow bench train --model transformer` (not part of the build).

The same training step priorflow times: a GPT-2-style causal decoder (llm.c's train_gpt2.c layout), vocabulary
96, context 64, width 64, 2 blocks of 4 heads (head size 16), MLP 256 (tanh GELU), untied head with bias; 32
random sequences of 64 tokens a step, each read as [pad, x_0 .. x_62] (64 positions through the model), loss on
positions 1..63 (targets x_1 .. x_63): 32 x 63 = 2016 trained tokens a step, counted as priorflow counts them.
A step: forward, mean softmax cross-entropy, full backward (layer norms, attention, embeddings), global gradient
norm clipped at 1, bias-corrected AdamW (lr 1e-3, priorflow's OptimizerConfig.defaults(): beta 0.9/0.99, eps 1e-8,
weight decay 0.01 on matrices and embeddings; the values do not change the work).

Fair: every buffer (activations, gradients, Adam moments, temporaries) is allocated once before timing, every
operation writes in place (out=), float32 throughout, attention as batched matmuls on (B, NH, T, hs) views, sums
as BLAS products with a ones vector, the token-embedding gradient as a product with a one-hot matrix made once
per batch (faster than np.add.at). The bytes a timed step allocates are measured and printed: only numpy's
~32 KB iteration buffers for broadcast operands. First, a float64 finite-difference check of the gradient on a
tiny config prints PASS or FAIL.

Run, from the repository root:

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/numpy_transformer.py --threads 1,2 [--json]

This machine sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (older OpenBLAS builds need them); they hold OpenBLAS to
an older kernel at about half speed. Unset them for this baseline command ONLY, never in tests or CI; the OpenBLAS
core type in use is printed. Threads: OpenBLAS's, via threadpoolctl when importable, else one child process per
count with OPENBLAS_NUM_THREADS set before numpy loads. Needs numpy; threadpoolctl is optional.
"""
import argparse
import ctypes
import glob
import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections import namedtuple

import numpy as np

Config = namedtuple("Config", "V C D L NH F B T")
BENCH = Config(V=96, C=64, D=64, L=2, NH=4, F=256, B=32, T=64)
TINY = Config(V=11, C=8, D=8, L=2, NH=2, F=12, B=3, T=8)
GELU_C, GELU_A = 0.7978845608028654, 0.044715   # sqrt(2/pi), tanh-GELU cubic term
LR, BETA1, BETA2, EPS, WD, CLIP, LN_EPS = 1e-3, 0.9, 0.99, 1e-8, 0.01, 1.0, 1e-5


def param_shapes(c):
    """(name, shape) of every parameter, llm.c order; 2-d ones (matrices, embeddings) get weight decay."""
    shapes = [("wte", (c.V, c.D)), ("wpe", (c.C, c.D))]
    for l in range(c.L):
        shapes += [(f"{n}{l}", s) for n, s in [
            ("ln1w", (c.D,)), ("ln1b", (c.D,)), ("qkvw", (3 * c.D, c.D)), ("qkvb", (3 * c.D,)),
            ("projw", (c.D, c.D)), ("projb", (c.D,)), ("ln2w", (c.D,)), ("ln2b", (c.D,)),
            ("fcw", (c.F, c.D)), ("fcb", (c.F,)), ("fcprojw", (c.D, c.F)), ("fcprojb", (c.D,))]]
    return shapes + [("lnfw", (c.D,)), ("lnfb", (c.D,)), ("headw", (c.V, c.D)), ("headb", (c.V,))]


def make_batch(c, rng, dt):
    """Random sequences -> (token ids of [pad, x_0..x_T-2] (B*T), flat target indices into logits (B*(T-1)),
    one-hot (V, B*T) of the ids for the embedding gradient)."""
    x = rng.integers(0, c.V, (c.B, c.T))
    u = np.concatenate([np.zeros((c.B, 1), np.int64), x[:, :-1]], axis=1).reshape(-1)
    tgt = np.arange(c.B * (c.T - 1)) * c.V + x[:, 1:].reshape(-1)
    onehot = np.zeros((c.V, c.B * c.T), dt)
    onehot[u, np.arange(c.B * c.T)] = 1
    return u, tgt, onehot


class Transformer:
    """Weights, Adam state, activations and scratch, all allocated here; step() then only works in place."""

    def __init__(self, c, dt=np.float32, seed=0):
        self.c, self.dt, self.hs = c, dt, c.D // c.NH
        rng = np.random.default_rng(seed)
        shapes = param_shapes(c)
        n = sum(int(np.prod(s)) for _, s in shapes)
        # one flat vector each for weights, gradients, Adam moments, two temporaries and the decay rate
        self.flat = {k: np.zeros(n, dt) for k in ("p", "g", "m", "v", "u", "w", "wd")}
        self.p, self.g, off = {}, {}, 0
        for name, s in shapes:
            size = int(np.prod(s))
            self.p[name] = self.flat["p"][off:off + size].reshape(s)
            self.g[name] = self.flat["g"][off:off + size].reshape(s)
            if len(s) == 2:   # GPT-2 init: sigma 0.02, residual projections 0.02/sqrt(2L); decay on
                std = 0.02 / np.sqrt(2 * c.L) if name.startswith(("projw", "fcprojw")) else 0.02
                self.p[name][...] = rng.normal(0, std, s)
                self.flat["wd"][off:off + size] = WD
            else:             # layer-norm gains 1, biases 0
                self.p[name][...] = 1.0 if name.startswith("ln") and name[3] == "w" else 0.0
            off += size
        self.batches = [make_batch(c, rng, dt) for _ in range(8)]
        self.u, self.tgt, self.onehot = self.batches[0]
        N, R, D, F, B, NH, T = c.B * c.T, c.B * (c.T - 1), c.D, c.F, c.B, c.NH, c.T
        z = lambda *s: np.zeros(s, dt)
        self.h = z(c.L + 1, N, D)                                   # residual stream into each block, and out
        self.h2, self.y = z(c.L, N, D), z(c.L, N, D)                # after attention; attention output
        self.xhat, self.rstd = z(2 * c.L + 1, N, D), z(2 * c.L + 1, N, 1)   # per layer norm (2 a block, final)
        self.ln = z(2 * c.L + 1, N, D)
        self.qkv, self.att = z(c.L, N, 3 * D), z(c.L, B, NH, T, T)
        self.pre, self.th, self.act = z(c.L, N, F), z(c.L, N, F), z(c.L, N, F)
        self.feats, self.logits = z(R, D), z(R, c.V)
        self.rowmax, self.rsum, self.lt = z(R), z(R), z(R)
        self.mask = np.triu(np.full((T, T), -np.inf, dt), 1)
        self.tND, self.dh, self.dln, self.dy, self.dfeats = z(N, D), z(N, D), z(N, D), z(N, D), z(R, D)
        self.s1, self.s2, self.arow = z(N, 1), z(N, 1), z(B, NH, T, 1)
        self.dqkv, self.datt, self.tatt = z(N, 3 * D), z(B, NH, T, T), z(B, NH, T, T)
        self.dpre, self.tNF = z(N, F), z(N, F)
        self.ones = np.ones(N, dt)   # sums as BLAS products with ones: 2-7x faster than np.sum on these shapes
        self.step_no, self.loss = 0, 0.0

    def heads(self, a, which=None):
        """(B, NH, T, hs) view of an (N, D) array, or of q, k or v (which = 0, 1, 2) inside an (N, 3D) one."""
        c = self.c
        if which is None:
            return a.reshape(c.B, c.T, c.NH, self.hs).transpose(0, 2, 1, 3)
        return a.reshape(c.B, c.T, 3, c.NH, self.hs)[:, :, which].transpose(0, 2, 1, 3)

    def rowsum(self, a, out):
        """out = sum of a over its last axis (out: a's shape without it)."""
        np.matmul(a, self.ones[:a.shape[-1]], out=out)

    def colsum(self, a, out):
        """out = sum of the rows of the 2-d a."""
        np.matmul(self.ones[:a.shape[0]], a, out=out)

    # ---- forward ----------------------------------------------------------------------------------------------
    def embed(self):
        c, h0 = self.c, self.h[0]
        np.take(self.p["wte"], self.u, axis=0, out=h0, mode="clip")   # mode clip: no buffer for out
        h3 = h0.reshape(c.B, c.T, c.D)
        np.add(h3, self.p["wpe"][:c.T], out=h3)

    def layer_norm(self, i, x, w, b):
        """ln[i] = w * xhat + b, xhat = (x - mean) * rstd; keeps xhat[i] and rstd[i] for the backward pass."""
        xh, rs, out = self.xhat[i], self.rstd[i], self.ln[i]
        self.rowsum(x, rs[:, 0])
        rs *= 1.0 / self.c.D
        np.subtract(x, rs, out=xh)
        np.multiply(xh, xh, out=self.tND)
        self.rowsum(self.tND, rs[:, 0])
        rs *= 1.0 / self.c.D
        rs += LN_EPS
        np.sqrt(rs, out=rs)
        np.reciprocal(rs, out=rs)
        xh *= rs
        np.multiply(xh, w, out=out)
        out += b
        return out

    @staticmethod
    def dense(x, w, b, out):
        np.matmul(x, w.T, out=out)
        out += b

    def attention(self, l):
        att = self.att[l]
        q, k, v = (self.heads(self.qkv[l], i) for i in range(3))
        np.matmul(q, k.swapaxes(-1, -2), out=att)          # (B, NH, T, T) scores
        att *= self.hs ** -0.5                              # a Python float (a numpy float64 would promote)
        att += self.mask                                    # causal: -inf above the diagonal
        np.max(att, axis=-1, keepdims=True, out=self.arow)
        att -= self.arow
        np.exp(att, out=att)
        self.rowsum(att, self.arow[..., 0])
        att /= self.arow
        np.matmul(att, v, out=self.heads(self.y[l]))       # written straight into y's (N, D) layout

    def gelu(self, l):
        pre, th, act = self.pre[l], self.th[l], self.act[l]
        np.multiply(pre, pre, out=th)            # act = 0.5 x (1 + th), th = tanh(c (x + a x^3)) kept
        th *= GELU_A
        th += 1.0
        th *= pre
        th *= GELU_C
        np.tanh(th, out=th)
        np.add(th, 1.0, out=act)
        act *= pre
        act *= 0.5

    def block_forward(self, l):
        p = self.p
        ln1 = self.layer_norm(2 * l, self.h[l], p[f"ln1w{l}"], p[f"ln1b{l}"])
        self.dense(ln1, p[f"qkvw{l}"], p[f"qkvb{l}"], self.qkv[l])
        self.attention(l)
        self.dense(self.y[l], p[f"projw{l}"], p[f"projb{l}"], self.tND)
        np.add(self.h[l], self.tND, out=self.h2[l])
        ln2 = self.layer_norm(2 * l + 1, self.h2[l], p[f"ln2w{l}"], p[f"ln2b{l}"])
        self.dense(ln2, p[f"fcw{l}"], p[f"fcb{l}"], self.pre[l])
        self.gelu(l)
        self.dense(self.act[l], p[f"fcprojw{l}"], p[f"fcprojb{l}"], self.tND)
        np.add(self.h2[l], self.tND, out=self.h[l + 1])

    def head_loss(self):
        """Final layer norm, head on positions 1..T-1, mean cross-entropy; leaves dloss/dlogits in logits."""
        c, p, lg, R = self.c, self.p, self.logits, self.logits.shape[0]
        lnf = self.layer_norm(2 * c.L, self.h[c.L], p["lnfw"], p["lnfb"])
        np.copyto(self.feats.reshape(c.B, c.T - 1, c.D), lnf.reshape(c.B, c.T, c.D)[:, 1:])
        self.dense(self.feats, p["headw"], p["headb"], lg)
        np.max(lg, axis=1, out=self.rowmax)
        lg -= self.rowmax[:, None]
        np.take(lg.reshape(-1), self.tgt, out=self.lt, mode="clip")  # shifted target logits
        np.exp(lg, out=lg)
        self.rowsum(lg, self.rsum)
        np.log(self.rsum, out=self.rowmax)
        self.loss = (float(np.sum(self.rowmax)) - float(np.sum(self.lt))) / R
        np.reciprocal(self.rsum, out=self.rsum)
        self.rsum *= 1.0 / R
        lg *= self.rsum[:, None]                 # softmax / R
        lg.reshape(-1)[self.tgt] -= 1.0 / R        # - onehot / R
        return self.loss

    def forward(self):
        self.embed()
        for l in range(self.c.L):
            self.block_forward(l)
        return self.head_loss()

    # ---- backward ---------------------------------------------------------------------------------------------
    def dense_backward(self, dout, x, w, gw, gb, dx):
        np.matmul(dout.T, x, out=gw)
        self.colsum(dout, gb)
        np.matmul(dout, w, out=dx)

    def layer_norm_backward(self, i, dout, w, gw, gb, dx):
        """dx += rstd * (dxh - mean(dxh) - xhat * mean(dxh * xhat)), dxh = dout * w; dout is overwritten."""
        xh, t, dxh = self.xhat[i], self.tND, dout
        np.multiply(dout, xh, out=t)
        self.colsum(t, gw)
        self.colsum(dout, gb)
        dxh *= w
        self.rowsum(dxh, self.s1[:, 0])
        np.multiply(dxh, xh, out=t)
        self.rowsum(t, self.s2[:, 0])
        self.s1 *= 1.0 / self.c.D
        self.s2 *= 1.0 / self.c.D
        dxh -= self.s1
        np.multiply(xh, self.s2, out=t)
        dxh -= t
        dxh *= self.rstd[i]
        dx += dxh

    def attention_backward(self, l):
        """dy (N, D) -> dqkv (N, 3D), through the (B, NH, T, *) views."""
        att, datt, t, dy = self.att[l], self.datt, self.tatt, self.heads(self.dy)
        q, k, v = (self.heads(self.qkv[l], i) for i in range(3))
        dq, dk, dv = (self.heads(self.dqkv, i) for i in range(3))
        np.matmul(dy, v.swapaxes(-1, -2), out=datt)
        np.matmul(att.swapaxes(-1, -2), dy, out=dv)
        np.multiply(datt, att, out=t)               # softmax': att * (datt - sum(datt * att))
        self.rowsum(t, self.arow[..., 0])
        datt -= self.arow
        datt *= att                                  # masked entries: att = 0, so 0
        datt *= self.hs ** -0.5
        np.matmul(datt, k, out=dq)
        np.matmul(datt.swapaxes(-1, -2), q, out=dk)

    def gelu_backward(self, l, dact):
        """dpre = dact * (0.5 (1 + th) + 0.5 x (1 - th^2) c (1 + 3a x^2)); act[l] (dead by now) is scratch."""
        pre, th, t, dpre = self.pre[l], self.th[l], self.act[l], self.dpre
        np.multiply(pre, pre, out=dpre)
        dpre *= 3 * GELU_A
        dpre += 1.0
        dpre *= pre
        dpre *= 0.5 * GELU_C
        np.multiply(th, th, out=t)
        np.subtract(1.0, t, out=t)
        dpre *= t
        np.add(th, 1.0, out=t)
        t *= 0.5
        dpre += t
        dpre *= dact

    def block_backward(self, l):
        p, g, dh = self.p, self.g, self.dh          # dh: gradient of h[l+1] on entry, of h[l] on exit
        self.dense_backward(dh, self.act[l], p[f"fcprojw{l}"], g[f"fcprojw{l}"], g[f"fcprojb{l}"], self.tNF)
        self.gelu_backward(l, self.tNF)
        self.dense_backward(self.dpre, self.ln[2 * l + 1], p[f"fcw{l}"], g[f"fcw{l}"], g[f"fcb{l}"], self.dln)
        self.layer_norm_backward(2 * l + 1, self.dln, p[f"ln2w{l}"], g[f"ln2w{l}"], g[f"ln2b{l}"], dh)
        self.dense_backward(dh, self.y[l], p[f"projw{l}"], g[f"projw{l}"], g[f"projb{l}"], self.dy)
        self.attention_backward(l)
        self.dense_backward(self.dqkv, self.ln[2 * l], p[f"qkvw{l}"], g[f"qkvw{l}"], g[f"qkvb{l}"], self.dln)
        self.layer_norm_backward(2 * l, self.dln, p[f"ln1w{l}"], g[f"ln1w{l}"], g[f"ln1b{l}"], dh)

    def backward(self):
        c, p, g = self.c, self.p, self.g
        self.dense_backward(self.logits, self.feats, p["headw"], g["headw"], g["headb"], self.dfeats)
        dln3 = self.dln.reshape(c.B, c.T, c.D)
        dln3[:, 0] = 0.0                             # position 0 (the pad) is not trained
        np.copyto(dln3[:, 1:], self.dfeats.reshape(c.B, c.T - 1, c.D))
        self.dh.fill(0.0)
        self.layer_norm_backward(2 * c.L, self.dln, p["lnfw"], g["lnfw"], g["lnfb"], self.dh)
        for l in reversed(range(c.L)):
            self.block_backward(l)
        np.sum(self.dh.reshape(c.B, c.T, c.D), axis=0, out=g["wpe"][:c.T])   # rows >= T stay 0
        np.matmul(self.onehot, self.dh, out=g["wte"])  # scatter-add of dh rows by token id

    # ---- update -----------------------------------------------------------------------------------------------
    def clip_adamw(self):
        g, m, v, u, w, p = (self.flat[k] for k in ("g", "m", "v", "u", "w", "p"))
        norm = float(np.sqrt(np.dot(g, g)))
        if norm > CLIP:
            g *= CLIP / norm
        self.step_no += 1
        bc1, bc2 = 1 - BETA1 ** self.step_no, 1 - BETA2 ** self.step_no
        m *= BETA1
        np.multiply(g, 1 - BETA1, out=u)
        m += u
        v *= BETA2
        np.multiply(g, g, out=u)
        u *= 1 - BETA2
        v += u
        np.multiply(v, 1 / bc2, out=u)
        np.sqrt(u, out=u)
        u += EPS
        np.multiply(m, 1 / bc1, out=w)
        w /= u                                       # m^ / (sqrt(v^) + eps)
        np.multiply(p, self.flat["wd"], out=u)       # + decay (0 for biases and layer-norm parameters)
        w += u
        w *= LR
        p -= w

    def step(self):
        self.u, self.tgt, self.onehot = self.batches[self.step_no % len(self.batches)]
        self.forward()
        self.backward()
        self.clip_adamw()


# ---- checks, OpenBLAS, timing -----------------------------------------------------------------------------------

def gradient_check(coords=3, h=1e-5, seed=7):
    """Central differences in float64 on TINY for `coords` random coordinates of every parameter tensor (token
    embeddings: rows of tokens in the batch); passes if all agree with backward() to 1e-6 relative."""
    m = Transformer(TINY, np.float64, seed=seed)
    rng = np.random.default_rng(seed)
    m.flat["p"] += rng.normal(0, 0.1, m.flat["p"].shape)     # off the symmetric init, so every path matters
    m.forward()
    m.backward()
    grad, p, worst, off = m.flat["g"].copy(), m.flat["p"], 0.0, 0
    for name, s in param_shapes(TINY):
        size = int(np.prod(s))
        pool = (np.unique(m.u)[:, None] * TINY.D + np.arange(TINY.D)).ravel() if name == "wte" else size
        for i in off + rng.choice(pool, coords, replace=False):
            keep = p[i]
            p[i] = keep + h
            lp = m.forward()
            p[i] = keep - h
            lm = m.forward()
            p[i] = keep
            fd = (lp - lm) / (2 * h)
            worst = max(worst, abs(fd - grad[i]) / max(abs(fd), abs(grad[i]), 1e-3))
        off += size
    return worst < 1e-6, worst


def openblas_core():
    """OpenBLAS's core type (kernel) and thread count as it reports them."""
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                return pool.get("architecture") or "unknown", pool.get("num_threads")
    except ImportError:
        pass
    base = os.path.dirname(np.__file__)
    for path in glob.glob(os.path.join(base, "..", "numpy.libs", "*openblas*")) + glob.glob(
            os.path.join(base, ".libs", "*openblas*")):
        lib = ctypes.CDLL(path)
        for suffix in ("64_", ""):
            for pre in ("scipy_openblas", "openblas"):
                if hasattr(lib, f"{pre}_get_corename{suffix}"):
                    fn = getattr(lib, f"{pre}_get_corename{suffix}")
                    fn.restype = ctypes.c_char_p
                    return fn().decode(), int(getattr(lib, f"{pre}_get_num_threads{suffix}")())
    return "unknown", None


def allocated_bytes(fn):
    """Peak bytes numpy/Python allocate during one call of fn (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def bench(threads, seconds, as_json):
    m = Transformer(BENCH)
    for _ in range(5):
        m.step()
    alloc = allocated_bytes(m.step)
    times, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        m.step()
        times.append(time.perf_counter() - t0)
    ms = sorted(times)[len(times) // 2] * 1000
    tps = BENCH.B * (BENCH.T - 1) / (ms / 1000)
    core, blas_threads = openblas_core()
    if as_json:
        print(json.dumps({"model": "transformer", "impl": "numpy", "threads": threads,
                          "ms_per_step": round(ms, 3), "tokens_per_second": round(tps, 1)}), flush=True)
        print(f"threads {threads}: OpenBLAS core {core}, {blas_threads} OpenBLAS threads, {len(times)} steps, "
              f"{alloc} bytes allocated in a step, loss {m.loss:.4f}", file=sys.stderr, flush=True)
    else:
        print(f"numpy transformer  threads {threads}  {ms:8.3f} ms/step  {tps:9.0f} tokens/s  "
              f"({len(times)} steps; OpenBLAS core {core}, {blas_threads} threads; {alloc} B allocated/step; "
              f"loss {m.loss:.4f})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", default="1,2", help="OpenBLAS thread counts, comma-separated (default 1,2)")
    ap.add_argument("--seconds", type=float, default=4.0, help="timed seconds per thread count (default 4)")
    ap.add_argument("--json", action="store_true", help="one JSON object per thread count on stdout")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        bench(args.child, args.seconds, args.json)
        return
    info = sys.stderr if args.json else sys.stdout
    ok, worst = gradient_check()
    print(f"gradient check (float64 finite differences, tiny config): {'PASS' if ok else 'FAIL'} "
          f"(worst relative error {worst:.2e})", file=info, flush=True)
    print(f"numpy {np.__version__}; OpenBLAS core {openblas_core()[0]}; model {BENCH}", file=info, flush=True)
    if "OPENBLAS_CORETYPE" in os.environ or "OPENBLAS_L2_SIZE" in os.environ:
        print("warning: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE set: not the fair baseline (see the docstring)",
              file=sys.stderr, flush=True)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    for n in [int(x) for x in args.threads.split(",")]:
        if threadpool_limits is not None:
            with threadpool_limits(limits=n, user_api="blas"):
                bench(n, args.seconds, args.json)
        else:   # OpenBLAS reads its thread count once, when it loads: one child process per count
            child = [sys.executable, os.path.abspath(__file__), "--child", str(n), "--seconds", str(args.seconds)]
            subprocess.run(child + (["--json"] if args.json else []), check=True,
                           env=dict(os.environ, OPENBLAS_NUM_THREADS=str(n)))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
