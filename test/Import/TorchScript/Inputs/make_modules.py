#!/usr/bin/python3
"""Small traced TorchScript modules for the TorchScript importer's lit tests.

    /usr/bin/python3 make_modules.py OUT_DIR

For each module writes OUT_DIR/NAME.pt (torch.jit.trace + save), NAME.in.npy
(the seeded input it was traced with) and NAME.out.npy (PyTorch's output).
"""
import pathlib
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBnRelu(nn.Module):  # freeze folds the BatchNorm into the conv
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.grouped = nn.Conv2d(8, 8, 3, padding=1, groups=4, bias=False)

    def forward(self, x):
        return self.grouped(F.relu(self.bn(self.conv(x))))


class Activations(nn.Module):
    def forward(self, x):
        return (F.relu6(x) + F.hardtanh(x, -2.0, 3.0) + F.hardswish(x) + F.hardsigmoid(x)
                + F.silu(x) + F.gelu(x) + torch.sigmoid(x) + torch.tanh(x)
                + F.gelu(x, approximate="tanh"))


class Arithmetic(nn.Module):
    def forward(self, x):
        y = torch.add(x, x * 0.5, alpha=2.0)
        return (y - 3.0) / 2.0 * x


class Linear(nn.Module):  # 2-D input: Gemm; 3-D: MatMul + Add; then matmul/bmm/addmm
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 8)
        self.bias = nn.Parameter(torch.randn(8))
        self.w = nn.Parameter(torch.randn(8, 8))

    def forward(self, x):
        a = self.fc(x)                                  # [2, 8]
        b = torch.addmm(self.bias, a, self.w, beta=0.5, alpha=2.0)
        c = self.fc(x.view(2, 1, 16))                   # [2, 1, 8]
        d = torch.bmm(c.transpose(1, 2), c)             # [2, 8, 8]
        return torch.matmul(b.view(2, 1, 8), d)


class Pooling(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 1)

    def forward(self, x):
        x = self.conv(x)
        a = F.max_pool2d(x, 3, stride=2, ceil_mode=True)           # 9x9 -> 4x4
        b = F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)  # -> 5x5
        c = F.adaptive_avg_pool2d(F.avg_pool2d(x, 2, 1), (4, 4))   # 8x8 -> 4x4
        d = F.adaptive_avg_pool2d(x, 1)
        return torch.cat([a.flatten(1), b.flatten(1), c.flatten(1), d.flatten(1)], 1)


class Shapes(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(16)
        self.bn = nn.BatchNorm1d(4)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):                               # [2, 4, 16]
        y = self.norm(self.drop(x))
        y = self.bn(y)                                  # a BatchNorm freeze cannot fold
        z = y.permute(0, 2, 1).reshape(2, 64)
        w = torch.flatten(y, 0, 1).view(-1, 16)         # [8, 16]
        m = (w * w).mean(1, keepdim=True) + y.transpose(1, 2).sum(2).mean()
        return (torch.softmax(z, dim=-1) * z).sum(1, keepdim=True) + m.view(2, 4).sum(1, keepdim=True)


class Unsupported(nn.Module):
    def forward(self, x):
        return torch.cumsum(x, 1) + torch.sort(x, 1)[0]


class NoWeights(nn.Module):  # nothing tells the input's shape
    def forward(self, x):
        return F.relu(x) * 2.0


MODULES = {
    "conv_bn_relu": (ConvBnRelu, (1, 3, 16, 16)),
    "activations": (Activations, (2, 16)),
    "arithmetic": (Arithmetic, (2, 8)),
    "linear": (Linear, (2, 16)),
    "pooling": (Pooling, (1, 4, 9, 9)),
    "shapes": (Shapes, (2, 4, 16)),
    "unsupported": (Unsupported, (2, 8)),
    "no_weights": (NoWeights, (2, 8)),
}


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, (cls, shape) in MODULES.items():
        torch.manual_seed(0)
        module = cls()
        if any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in module.modules()):
            module.train()  # realistic running statistics
            with torch.no_grad():
                module(torch.randn(*shape) * 2 + 1)
        module.eval()
        x = torch.randn(*shape, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            traced = torch.jit.trace(module, x)
            y = traced(x)
        traced.save(str(out / f"{name}.pt"))
        np.save(out / f"{name}.in.npy", x.numpy())
        np.save(out / f"{name}.out.npy", y.numpy())


if __name__ == "__main__":
    main()
