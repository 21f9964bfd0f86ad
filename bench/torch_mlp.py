"""PyTorch eager twin of mlp_train: the reference MLP over one MNIST epoch, one JSON line.

Best CPU settings for PyTorch: torch.set_num_threads(n), flushed denormals, Adam with its
fastest available implementation on CPU (fused if this torch has it, else foreach), set_to_none
zero_grad, and Keras's batching (a fresh permutation each epoch, last partial batch kept).

    python bench/torch_mlp.py --batch-size 128 --threads 1
"""
import argparse
import json
import time

import torch

import mnist_idx


def n_rest(n, batch):
    return n % batch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--mnist", default=mnist_idx.DEFAULT_DIR)
    p.add_argument("--policy", choices=["float32", "mixed_bfloat16", "mixed_float16"], default="float32",
                   help="mixed: torch.autocast on the CPU in that dtype (float16 with a GradScaler, as Keras scales the loss)")
    p.add_argument("--compile", action="store_true", help="torch.compile the model (inductor: needs a C++ compiler)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(1)
    xs, ys = mnist_idx.train_set(a.mnist, a.samples)
    x, y = torch.from_numpy(xs), torch.from_numpy(ys.astype("int64"))
    model = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 10))
    try:
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, fused=True)
        impl = "fused"
    except (RuntimeError, TypeError):
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
        impl = "foreach"
    loss_fn = torch.nn.CrossEntropyLoss()
    forward = torch.compile(model) if a.compile else model
    dtype = {"mixed_bfloat16": torch.bfloat16, "mixed_float16": torch.float16}.get(a.policy)
    scaler = torch.amp.GradScaler("cpu") if a.policy == "mixed_float16" else None

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=dtype, enabled=dtype is not None):
            loss = loss_fn(forward(xb).float(), yb)
        if scaler:
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
        else:
            loss.backward()
            opt.step()
        return loss

    step(x[: a.batch_size], y[: a.batch_size])  # warm-up, as mlp_train does
    if a.compile and n_rest(x.shape[0], a.batch_size):
        step(x[: n_rest(x.shape[0], a.batch_size)], y[: n_rest(x.shape[0], a.batch_size)])  # compile the last batch's shape too
    n = x.shape[0]
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        perm = torch.randperm(n)
        for b in range(0, n, a.batch_size):
            idx = perm[b:b + a.batch_size]
            loss = step(x.index_select(0, idx), y.index_select(0, idx))
    secs = time.perf_counter() - t0
    sps = n * a.epochs / secs
    print(json.dumps({"system": "pytorch", "batch_size": a.batch_size, "threads": a.threads,
                      "samples_per_s": round(sps, 1), "epoch_s": round(secs / a.epochs, 3),
                      "final_loss": round(float(loss.detach()), 4), "torch": torch.__version__, "adam": impl,
                      "policy": a.policy, "compiled": a.compile}))


if __name__ == "__main__":
    main()
