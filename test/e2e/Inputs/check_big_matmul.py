"""Reference for big-matmul.onnxtxt in numpy: MatMul(Relu(Conv(x, w)), b)."""
import sys

import numpy as np

d = sys.argv[1]
x, w, b = (np.load(f"{d}/{k}.npy").astype(np.float64) for k in ("x", "w", "b"))
conv = np.zeros((1, 8, 62, 62))
for kh in range(3):
    for kw in range(3):
        conv += np.einsum("nchw,fc->nfhw", x[:, :, kh:kh + 62, kw:kw + 62], w[:, :, kh, kw])
ref = np.maximum(conv, 0) @ b
y = np.load(f"{d}/y2.npy")
ok = np.abs(y - ref).max() <= 1e-4 * np.abs(ref).max() + 1e-5
print("match", bool(ok), np.abs(y - ref).max())
sys.exit(0 if ok else 1)
