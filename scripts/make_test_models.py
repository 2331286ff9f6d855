#!/usr/bin/python3
"""Exports the real-size test models: torchvision architectures and a BERT-base
encoder with seeded random weights (no downloads), at ONNX opsets 13 and 17.

    /usr/bin/python3 scripts/make_test_models.py OUT_DIR [--only NAME ...] [--opsets 13 17]

Needs Debian's python3-torch and python3-torchvision (torch 1.13), which install
for /usr/bin/python3. Writes OUT_DIR/<name>-op<opset>.onnx and skips files that
already exist. BatchNorm layers get realistic statistics from one train-mode pass
on a seeded batch; without it MobileNetV3's outputs collapse to ~1e-9.
"""
import argparse
import inspect
import math
import pathlib
import sys
import time

import torch
import torchvision


class BertEmbeddings(torch.nn.Module):
    def __init__(self, vocab, hidden, max_positions, type_vocab):
        super().__init__()
        self.word = torch.nn.Embedding(vocab, hidden)
        self.position = torch.nn.Embedding(max_positions, hidden)
        self.token_type = torch.nn.Embedding(type_vocab, hidden)
        self.norm = torch.nn.LayerNorm(hidden, eps=1e-12)
        self.register_buffer("position_ids", torch.arange(max_positions).unsqueeze(0))

    def forward(self, input_ids, token_type_ids):
        positions = self.position_ids[:, : input_ids.shape[1]]
        x = self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids)
        return self.norm(x)


class BertLayer(torch.nn.Module):
    """One encoder layer written the way HuggingFace's BertLayer is, so the export
    has the same MatMul/Reshape/Transpose/Softmax/Erf structure."""

    def __init__(self, hidden, heads, intermediate):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.query = torch.nn.Linear(hidden, hidden)
        self.key = torch.nn.Linear(hidden, hidden)
        self.value = torch.nn.Linear(hidden, hidden)
        self.attention_out = torch.nn.Linear(hidden, hidden)
        self.attention_norm = torch.nn.LayerNorm(hidden, eps=1e-12)
        self.intermediate = torch.nn.Linear(hidden, intermediate)
        self.output = torch.nn.Linear(intermediate, hidden)
        self.output_norm = torch.nn.LayerNorm(hidden, eps=1e-12)

    def split_heads(self, x):
        x = x.view(x.size(0), x.size(1), self.heads, self.head_dim)
        return x.permute(0, 2, 1, 3)

    def forward(self, x, mask):
        q, k, v = self.split_heads(self.query(x)), self.split_heads(self.key(x)), self.split_heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + mask
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        context = context.permute(0, 2, 1, 3).contiguous()
        context = context.view(context.size(0), context.size(1), -1)
        x = self.attention_norm(self.attention_out(context) + x)
        h = self.intermediate(x)
        h = h * 0.5 * (1.0 + torch.erf(h / math.sqrt(2.0)))  # exact GELU, as BERT
        return self.output_norm(self.output(h) + x)


class BertEncoder(torch.nn.Module):
    def __init__(self, vocab=30522, hidden=768, layers=12, heads=12, intermediate=3072):
        super().__init__()
        self.embeddings = BertEmbeddings(vocab, hidden, 512, 2)
        self.layers = torch.nn.ModuleList(BertLayer(hidden, heads, intermediate) for _ in range(layers))

    def forward(self, input_ids, attention_mask, token_type_ids):
        mask = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            x = layer(x, mask)
        return x


class ChannelsLastOps(torch.nn.Module):
    """Every channels-last lowering and its edge cases in one small network
    (the torchvision models do not cover them all): a strided stem with 24
    output channels (padded to 32 inside), a dilated convolution, a 5x5
    stride-2 depthwise convolution with a Relu6, a ceil-mode max pool on an
    odd-sized map, a channel concatenation, a squeeze-and-excitation scale
    (8 channels, padded to 16), 120 output channels, a global average pool."""

    def __init__(self):
        super().__init__()
        nn = torch.nn
        self.stem = nn.Conv2d(3, 24, 3, stride=2, padding=1)
        self.dilated = nn.Conv2d(24, 32, 3, padding=2, dilation=2)
        self.depthwise = nn.Conv2d(32, 32, 5, stride=2, padding=2, groups=32)
        self.pool = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.left = nn.Conv2d(32, 16, 1)
        self.right = nn.Conv2d(32, 40, 3, padding=1)
        self.squeeze = nn.Conv2d(56, 8, 1)
        self.excite = nn.Conv2d(8, 56, 1)
        self.head = nn.Conv2d(56, 120, 1)

    def forward(self, x):
        f = torch.nn.functional
        x = f.relu(self.stem(x))
        x = f.hardswish(self.dilated(x))
        x = f.relu6(self.depthwise(x))
        x = self.pool(x)
        x = torch.cat([f.relu(self.left(x)), f.relu(self.right(x))], 1)
        s = torch.sigmoid(self.excite(f.relu(self.squeeze(f.adaptive_avg_pool2d(x, 1)))))
        x = self.head(x * s)
        return f.adaptive_avg_pool2d(x, 1).flatten(1)


def channels_last_ops():
    model = ChannelsLastOps().eval()
    # 63 -> 32 (stem) -> 16 (depthwise) -> 8 (ceil mode; 7 with floor).
    example = torch.randn(1, 3, 63, 63, generator=torch.Generator().manual_seed(4))
    return model, (example,), ["input"], ["features"]


def image_model(builder, batch=1):
    def make():
        model = builder(weights=None)
        model.train()
        with torch.no_grad():  # realistic BatchNorm statistics
            model(torch.randn(8, 3, 224, 224, generator=torch.Generator().manual_seed(1)))
        model.eval()
        example = torch.randn(batch, 3, 224, 224, generator=torch.Generator().manual_seed(2))
        return model, (example,), ["input"], ["logits"]
    return make


def bert(batch=1):
    def make():
        model = BertEncoder().eval()
        g = torch.Generator().manual_seed(3)
        ids = torch.randint(0, 30522, (batch, 128), generator=g)
        mask = torch.ones(batch, 128, dtype=torch.int64)
        types = torch.zeros(batch, 128, dtype=torch.int64)
        return (model, (ids, mask, types), ["input_ids", "attention_mask", "token_type_ids"],
                ["hidden_states"])
    return make


MODELS = {
    "resnet50": image_model(torchvision.models.resnet50),
    "mobilenet_v3_small": image_model(torchvision.models.mobilenet_v3_small),
    "mobilenet_v3_large": image_model(torchvision.models.mobilenet_v3_large),
    "squeezenet1_1": image_model(torchvision.models.squeezenet1_1),
    "bert_base": bert(),
    # ResNet-50 as an exporter writes it without its own graph optimization
    # (TrainingMode.PRESERVE keeps BatchNormalization and Identity nodes):
    # the input of deepseek's BatchNorm folding and epilogue fusion tests.
    "resnet50_bn": image_model(torchvision.models.resnet50),
    # Batch 8, for the benchmarks only (benchmarks/latency_vs_ort.py exports it
    # on demand; the test fixture leaves it out).
    "resnet50_b8": image_model(torchvision.models.resnet50, batch=8),
    # Batch 8 of BERT-base, for scripts/gpu-check.sh only.
    "bert_base_b8": bert(batch=8),
    # The channels-last lowering's edge cases (compared with ONNX Runtime).
    "channels_last_ops": channels_last_ops,
}

# PyTorch 2.9 on (the GPU machines' 2.11) exports through torch.export by
# default, writing opset 18 ops (ReduceMean with an axes input) into models
# that import opset 17: keep the TorchScript exporter that Debian's PyTorch
# uses, which writes the opset asked for.
LEGACY_EXPORTER = ({"dynamo": False}
                   if "dynamo" in inspect.signature(torch.onnx.export).parameters else {})

# Export options and opsets that differ from the defaults.
EXPORT_OPTIONS = {"resnet50_bn": dict(training=torch.onnx.TrainingMode.PRESERVE)}
OPSETS = {"resnet50_bn": [17], "resnet50_b8": [17], "bert_base_b8": [17], "channels_last_ops": [17]}
# Not exported unless named with --only.
ON_DEMAND = {"resnet50_b8", "bert_base_b8"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--only", nargs="*", choices=sorted(MODELS),
                        default=sorted(set(MODELS) - ON_DEMAND))
    parser.add_argument("--opsets", nargs="*", type=int, default=[13, 17])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        for opset in OPSETS.get(name, args.opsets):
            path = args.out / f"{name}-op{opset}.onnx"
            if path.exists():
                continue
            torch.manual_seed(0)
            model, inputs, input_names, output_names = MODELS[name]()
            start = time.time()
            tmp = path.with_suffix(".onnx.tmp")
            torch.onnx.export(model, inputs, str(tmp), opset_version=opset,
                              input_names=input_names, output_names=output_names,
                              do_constant_folding=True, **LEGACY_EXPORTER,
                              **EXPORT_OPTIONS.get(name, {}))
            tmp.rename(path)
            print(f"{path} ({path.stat().st_size / 1e6:.1f} MB, {time.time() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
