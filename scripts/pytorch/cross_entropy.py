"""Reference values for softgrad's SoftmaxCrossEntropy and NLLLoss from torch.nn (float64).

Run with Debian's PyTorch:  /usr/bin/python3 scripts/pytorch/cross_entropy.py
Writes test/fixtures/cross-entropy.json, which test/losses.test.ts reads. Tests never run Python.
Temperature is not a torch option: the script divides the logits by T first, which is what
softgrad's `temperature` means.
"""
import itertools
import json
import pathlib

import torch

torch.manual_seed(0)
N, C = 6, 4
logits = (torch.randn(N, C, dtype=torch.float64) * 2).tolist()
labels = [2, 0, 3, 1, 1, 0]
labels_ignored = [2, -100, 3, 1, -100, 0]
weight = [0.5, 2.0, 1.0, 1.5]
soft = torch.softmax(torch.randn(N, C, dtype=torch.float64), dim=1).tolist()
upstream = torch.randn(N, dtype=torch.float64).tolist()  # for reduction 'none'

cases = []
for reduction, smoothing, weighted, target_kind, temperature in itertools.product(
    ["none", "mean", "sum"], [0.0, 0.1], [False, True], ["index", "ignored", "soft"], [1.0, 2.5]
):
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(weight, dtype=torch.float64) if weighted else None
    if target_kind == "soft":
        target = torch.tensor(soft, dtype=torch.float64)
    else:
        target = torch.tensor(labels if target_kind == "index" else labels_ignored)
    loss_fn = torch.nn.CrossEntropyLoss(weight=w, reduction=reduction, label_smoothing=smoothing, ignore_index=-100)
    loss = loss_fn(z / temperature, target)
    if reduction == "none":
        loss.backward(torch.tensor(upstream, dtype=torch.float64))
    else:
        loss.backward()
    cases.append({
        "reduction": reduction,
        "labelSmoothing": smoothing,
        "weighted": weighted,
        "target": target_kind,
        "temperature": temperature,
        "loss": loss.detach().reshape(-1).tolist(),
        "grad": z.grad.tolist(),
    })

nll_cases = []
for reduction, weighted, target_kind in itertools.product(["none", "mean", "sum"], [False, True], ["index", "ignored"]):
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    logp = torch.log_softmax(z, dim=1)
    w = torch.tensor(weight, dtype=torch.float64) if weighted else None
    target = torch.tensor(labels if target_kind == "index" else labels_ignored)
    loss = torch.nn.NLLLoss(weight=w, reduction=reduction)(logp, target)
    if reduction == "none":
        loss.backward(torch.tensor(upstream, dtype=torch.float64))
    else:
        loss.backward()
    nll_cases.append({
        "reduction": reduction, "weighted": weighted, "target": target_kind,
        "loss": loss.detach().reshape(-1).tolist(), "grad": z.grad.tolist(),
    })

out = {
    "torch": torch.__version__,
    "logits": logits, "labels": labels, "labelsIgnored": labels_ignored,
    "weight": weight, "soft": soft, "upstream": upstream,
    "crossEntropy": cases, "nll": nll_cases,
}
path = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "cross-entropy.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {len(cases)} cross-entropy and {len(nll_cases)} NLL cases to {path}")
