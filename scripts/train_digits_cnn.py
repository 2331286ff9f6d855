#!/usr/bin/python3
"""Trains the small CNN that measures quantization accuracy on real data:
scikit-learn's digits set (1797 8x8 images of handwritten digits, bundled with
Debian's python3-sklearn, no download), with Debian's torch.

    /usr/bin/python3 scripts/train_digits_cnn.py OUT_DIR

Writes, skipping what exists:
  OUT_DIR/digits_cnn.onnx            opset 17, input 'image' [N,1,8,8] (N dynamic), output 'logits'
  OUT_DIR/digits/calibration/NNN.npy 100 training images [1,1,8,8] (calibration data)
  OUT_DIR/digits/test_images.npy     the 497 held-out images [497,1,8,8]
  OUT_DIR/digits/test_labels.npy     their labels (int64)
Pixels are scaled to [0, 1]. Training is seeded and takes a few seconds.
"""
import pathlib
import sys

import numpy as np
import torch
from sklearn.datasets import load_digits


class DigitsCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.BatchNorm2d(32), torch.nn.ReLU(),
            torch.nn.Conv2d(32, 32, 3, padding=1), torch.nn.BatchNorm2d(32), torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.BatchNorm2d(64), torch.nn.ReLU(),
            torch.nn.Conv2d(64, 64, 3, padding=1), torch.nn.BatchNorm2d(64), torch.nn.ReLU(),
            torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
        self.classifier = torch.nn.Sequential(
            torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def main():
    out = pathlib.Path(sys.argv[1])
    data_dir = out / "digits"
    model_path = out / "digits_cnn.onnx"
    if model_path.exists() and (data_dir / "test_labels.npy").exists():
        return
    torch.manual_seed(0)
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(images))
    train, test = order[:1300], order[1300:]
    x, y = torch.from_numpy(images[train]), torch.from_numpy(labels[train])
    model = DigitsCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for epoch in range(40):
        model.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 64):
            batch = perm[i:i + 64]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        predicted = model(torch.from_numpy(images[test])).argmax(1).numpy()
    accuracy = (predicted == labels[test]).mean()
    print(f"digits CNN: test accuracy {accuracy * 100:.2f}% on {len(test)} held-out images")
    (data_dir / "calibration").mkdir(parents=True, exist_ok=True)
    for i, index in enumerate(train[:100]):
        np.save(data_dir / "calibration" / f"{i:03d}.npy", images[index:index + 1])
    np.save(data_dir / "test_images.npy", images[test])
    np.save(data_dir / "test_labels.npy", labels[test])
    torch.onnx.export(model, torch.zeros(1, 1, 8, 8), str(model_path), opset_version=17,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}})


if __name__ == "__main__":
    main()
