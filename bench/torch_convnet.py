"""PyTorch eager twin of convnet_train: the keras.io MNIST convnet over one MNIST epoch, one JSON line.

Same architecture (Conv2d 32 3x3 relu -> MaxPool 2 -> Conv2d 64 3x3 relu -> MaxPool 2 -> Flatten ->
Dropout 0.5 -> Linear 10), Adam (Keras's epsilon), cross-entropy on the logits (what Keras's softmax +
categorical cross-entropy computes), PyTorch's best CPU settings: torch.set_num_threads(n),
flushed denormals, fused/foreach Adam, set_to_none zero_grad, NCHW (PyTorch's default; its
oneDNN convolutions pick their own blocked layout inside), a fresh permutation each epoch.

    .venv-bench/bin/python bench/torch_convnet.py --batch-size 128 --threads 1
"""
import argparse
import json
import time

import torch

import mnist_idx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--mnist", default=mnist_idx.DEFAULT_DIR)
    p.add_argument("--channels-last", action="store_true", help="NHWC memory format for the model and the batches")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(1)
    xs, ys = mnist_idx.train_set(a.mnist, a.samples)
    x = torch.from_numpy(xs).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(ys.astype("int64"))
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
    try:
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, fused=True)
        impl = "fused"
    except (RuntimeError, TypeError):
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
        impl = "foreach"
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    if a.channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    step(x[: a.batch_size], y[: a.batch_size])  # warm-up, as convnet_train does
    n = x.shape[0]
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    for b in range(0, n, a.batch_size):
        idx = perm[b:b + a.batch_size]
        loss = step(x.index_select(0, idx), y.index_select(0, idx))
    secs = time.perf_counter() - t0
    print(json.dumps({"system": "pytorch", "batch_size": a.batch_size, "threads": a.threads,
                      "samples_per_s": round(n / secs, 1), "epoch_s": round(secs, 3),
                      "final_loss": round(float(loss.detach()), 4), "torch": torch.__version__, "adam": impl,
                      "channels_last": a.channels_last}))


if __name__ == "__main__":
    main()
