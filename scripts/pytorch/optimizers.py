"""Reference numbers of torch.optim's Adam, AdamW, RMSprop, lr schedulers and
torch.nn.utils.clip_grad_norm_ (float64) for test/optimizers.test.ts and test/schedules.test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 scripts/pytorch/optimizers.py
Writes test/fixtures/optimizers.json.

Optimisers minimise f(θ) = Σ c·θ² + d·θ over two parameters (a 2×2 matrix and a 3-vector),
whose gradient 2cθ + d softgrad computes exactly too, for 10 steps, and record both parameters
(flattened, concatenated) after every step. Options are written in softgrad's camelCase.
Schedules record the lr after construction and after every step() (ReduceLROnPlateau: after
every step(metric) with the metrics listed).

torch's CPU kernels (built for AVX2) round `a.add_(b, alpha=α)` and `addcmul_` once, as a fused
multiply-add, and Python's `β ** t` is C's correctly rounded pow; softgrad reproduces both, and
the exact values of fma(a, b, c) and βᵗ (from Python's exact fractions) are written here too.
"""
import json
import math
import pathlib
import random
from fractions import Fraction

import torch

STEPS = 10
problem = [
    {"shape": [2, 2], "start": [0.5, -1.25, 2.0, 0.1], "c": [1.0, 0.3, 0.05, 2.0], "d": [0.2, -0.5, 1.0, 0.0]},
    {"shape": [3], "start": [-0.7, 3.0, 0.01], "c": [0.5, 0.1, 4.0], "d": [-1.0, 0.25, 0.3]},
]


def make_params():
    return [torch.tensor(p["start"], dtype=torch.float64).reshape(p["shape"]).requires_grad_(True) for p in problem]


def loss_of(params):
    total = 0
    for p, spec in zip(params, problem):
        c = torch.tensor(spec["c"], dtype=torch.float64).reshape(spec["shape"])
        d = torch.tensor(spec["d"], dtype=torch.float64).reshape(spec["shape"])
        total = total + (c * p ** 2 + d * p).sum()
    return total


def make_optimizer(kind, params, o):
    if kind == "Adam" or kind == "AdamW":
        cls = torch.optim.Adam if kind == "Adam" else torch.optim.AdamW
        kwargs = {"lr": o.get("lr", 1e-3), "betas": tuple(o.get("betas", (0.9, 0.999))), "eps": o.get("eps", 1e-8),
                  "amsgrad": o.get("amsgrad", False)}
        if "weightDecay" in o:
            kwargs["weight_decay"] = o["weightDecay"]
        return cls(params, **kwargs)
    if kind == "RMSprop":
        return torch.optim.RMSprop(params, lr=o.get("lr", 1e-2), alpha=o.get("alpha", 0.99), eps=o.get("eps", 1e-8),
                                   momentum=o.get("momentum", 0), centered=o.get("centered", False),
                                   weight_decay=o.get("weightDecay", 0))
    raise ValueError(kind)


def make_schedule(kind, opt, o):
    S = torch.optim.lr_scheduler
    if kind == "StepLR":
        return S.StepLR(opt, step_size=o["stepSize"], gamma=o.get("gamma", 0.1))
    if kind == "ExponentialLR":
        return S.ExponentialLR(opt, gamma=o["gamma"])
    if kind == "CosineAnnealingLR":
        return S.CosineAnnealingLR(opt, T_max=o["tMax"], eta_min=o.get("etaMin", 0))
    if kind == "OneCycleLR":
        return S.OneCycleLR(opt, max_lr=o["maxLr"], total_steps=o["totalSteps"], pct_start=o.get("pctStart", 0.3),
                            div_factor=o.get("divFactor", 25.0), final_div_factor=o.get("finalDivFactor", 1e4),
                            anneal_strategy="cos", cycle_momentum=False, three_phase=False)
    if kind == "ReduceLROnPlateau":
        return S.ReduceLROnPlateau(opt, mode=o.get("mode", "min"), factor=o.get("factor", 0.1),
                                   patience=o.get("patience", 10), threshold=o.get("threshold", 1e-4),
                                   threshold_mode=o.get("thresholdMode", "rel"), cooldown=o.get("cooldown", 0),
                                   min_lr=o.get("minLr", 0), eps=o.get("eps", 1e-8))
    raise ValueError(kind)


def trajectory(kind, options, skip=(), schedule=None):
    """θ after each of STEPS steps; `skip` lists the steps (1-based) on which parameter 1 has no grad."""
    params = make_params()
    opt = make_optimizer(kind, params, options)
    sched = make_schedule(schedule["kind"], opt, schedule["options"]) if schedule else None
    out = []
    for step in range(1, STEPS + 1):
        opt.zero_grad(set_to_none=True)
        loss_of(params).backward()
        if step in skip:
            params[1].grad = None
        opt.step()
        if sched is not None:
            sched.step()
        out.append([x for p in params for x in p.detach().flatten().tolist()])
    return out


optimizer_cases = []
for amsgrad in (False, True):
    for wd in (None, 0.1):
        for betas in (None, [0.5, 0.9], [0.0, 0.99]):
            for kind in ("Adam", "AdamW"):
                o = {"lr": 0.1}
                if betas is not None:
                    o["betas"] = betas
                if wd is not None:
                    o["weightDecay"] = wd
                if amsgrad:
                    o["amsgrad"] = True
                name = f"{kind} lr 0.1" + (f", betas {betas}" if betas else "") + \
                       (f", weightDecay {wd}" if wd is not None else "") + (", amsgrad" if amsgrad else "")
                optimizer_cases.append({"name": name, "kind": kind, "options": o})
optimizer_cases += [
    {"name": "Adam with its defaults", "kind": "Adam", "options": {}},
    {"name": "AdamW with its defaults", "kind": "AdamW", "options": {}},
    {"name": "AdamW weightDecay 0 equals Adam", "kind": "AdamW", "options": {"lr": 0.1, "weightDecay": 0}},
    {"name": "Adam eps 0.1", "kind": "Adam", "options": {"lr": 0.05, "eps": 0.1, "amsgrad": True}},
]
for centered in (False, True):
    for momentum in (0, 0.9):
        for wd in (0, 0.1):
            o = {"lr": 0.01}
            if centered:
                o["centered"] = True
            if momentum:
                o["momentum"] = momentum
            if wd:
                o["weightDecay"] = wd
            name = "RMSprop lr 0.01" + (", centered" if centered else "") + (f", momentum {momentum}" if momentum else "") + \
                   (f", weightDecay {wd}" if wd else "")
            optimizer_cases.append({"name": name, "kind": "RMSprop", "options": o})
optimizer_cases += [
    {"name": "RMSprop with its defaults", "kind": "RMSprop", "options": {}},
    {"name": "RMSprop alpha 0.5, eps 1e-3, everything on", "kind": "RMSprop",
     "options": {"lr": 0.03, "alpha": 0.5, "eps": 1e-3, "momentum": 0.5, "centered": True, "weightDecay": 0.05}},
    {"name": "Adam, parameter 1 without grad on steps 2, 3 and 7", "kind": "Adam",
     "options": {"lr": 0.1, "amsgrad": True}, "skip": [2, 3, 7]},
    {"name": "AdamW, parameter 1 without grad on steps 1 and 5", "kind": "AdamW", "options": {"lr": 0.1}, "skip": [1, 5]},
    {"name": "RMSprop, parameter 1 without grad on steps 2 and 3", "kind": "RMSprop",
     "options": {"lr": 0.01, "momentum": 0.9, "centered": True}, "skip": [2, 3]},
    {"name": "Adam under CosineAnnealingLR", "kind": "Adam", "options": {"lr": 0.1},
     "schedule": {"kind": "CosineAnnealingLR", "options": {"tMax": 4}}},
    {"name": "AdamW under OneCycleLR", "kind": "AdamW", "options": {"lr": 0.1},
     "schedule": {"kind": "OneCycleLR", "options": {"maxLr": 0.5, "totalSteps": 10}}},
    {"name": "RMSprop under StepLR", "kind": "RMSprop", "options": {"lr": 0.05, "momentum": 0.5},
     "schedule": {"kind": "StepLR", "options": {"stepSize": 3, "gamma": 0.5}}},
]
for case in optimizer_cases:
    case["trajectory"] = trajectory(case["kind"], case["options"], case.get("skip", ()), case.get("schedule"))


def lr_sequence(kind, lr, options, steps=None, metrics=None):
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = make_schedule(kind, opt, options)
    lrs = [opt.param_groups[0]["lr"]]
    for k in range(steps if metrics is None else len(metrics)):
        opt.step()  # keeps torch from warning about the order of step() calls
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[k])
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


noisy = [1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.93, 0.8, 0.8, 0.80001, 0.85, 0.9, 0.7, 0.75, 0.76, 0.77, 0.78, 0.79, 0.6,
         0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7, 0.71]
rising = [0.1, 0.2, 0.2, 0.2, 0.20001, 0.3, 0.3, 0.3, 0.3, 0.3, 0.31, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]
flat = [1.0] * 40
schedule_cases = [
    {"name": "StepLR stepSize 3, default gamma", "kind": "StepLR", "lr": 0.1, "options": {"stepSize": 3}, "steps": 12},
    {"name": "StepLR stepSize 1, gamma 0.5", "kind": "StepLR", "lr": 1.0, "options": {"stepSize": 1, "gamma": 0.5}, "steps": 10},
    {"name": "StepLR stepSize 4, gamma 1.5", "kind": "StepLR", "lr": 0.3, "options": {"stepSize": 4, "gamma": 1.5}, "steps": 13},
    {"name": "ExponentialLR gamma 0.9", "kind": "ExponentialLR", "lr": 0.1, "options": {"gamma": 0.9}, "steps": 15},
    {"name": "ExponentialLR gamma 0.3", "kind": "ExponentialLR", "lr": 0.7, "options": {"gamma": 0.3}, "steps": 10},
    {"name": "CosineAnnealingLR tMax 5, past tMax", "kind": "CosineAnnealingLR", "lr": 0.1, "options": {"tMax": 5}, "steps": 25},
    {"name": "CosineAnnealingLR tMax 10, etaMin 0.001, past tMax", "kind": "CosineAnnealingLR", "lr": 0.05,
     "options": {"tMax": 10, "etaMin": 0.001}, "steps": 45},
    {"name": "CosineAnnealingLR tMax 1", "kind": "CosineAnnealingLR", "lr": 0.2, "options": {"tMax": 1, "etaMin": 0.01}, "steps": 10},
    {"name": "CosineAnnealingLR tMax 3, etaMin above the lr", "kind": "CosineAnnealingLR", "lr": 0.01,
     "options": {"tMax": 3, "etaMin": 0.02}, "steps": 10},
    {"name": "OneCycleLR defaults, 20 steps", "kind": "OneCycleLR", "lr": 0.1, "options": {"maxLr": 0.1, "totalSteps": 20}, "steps": 20},
    {"name": "OneCycleLR pctStart 0.25, divFactor 10, finalDivFactor 100", "kind": "OneCycleLR", "lr": 0.5,
     "options": {"maxLr": 1.0, "totalSteps": 16, "pctStart": 0.25, "divFactor": 10.0, "finalDivFactor": 100.0}, "steps": 16},
    {"name": "OneCycleLR 7 steps", "kind": "OneCycleLR", "lr": 0.1, "options": {"maxLr": 0.3, "totalSteps": 7}, "steps": 7},
    {"name": "OneCycleLR pctStart 0 (no warm-up)", "kind": "OneCycleLR", "lr": 0.1,
     "options": {"maxLr": 0.3, "totalSteps": 9, "pctStart": 0.0}, "steps": 9},
    {"name": "OneCycleLR 1000 steps", "kind": "OneCycleLR", "lr": 0.1, "options": {"maxLr": 0.01, "totalSteps": 1000}, "steps": 1000},
    {"name": "ReduceLROnPlateau defaults on a flat metric", "kind": "ReduceLROnPlateau", "lr": 0.1, "options": {}, "metrics": flat},
    {"name": "ReduceLROnPlateau min rel, patience 2", "kind": "ReduceLROnPlateau", "lr": 0.1,
     "options": {"patience": 2, "factor": 0.5}, "metrics": noisy},
    {"name": "ReduceLROnPlateau min abs 0.05, patience 1, cooldown 2", "kind": "ReduceLROnPlateau", "lr": 0.1,
     "options": {"patience": 1, "factor": 0.5, "threshold": 0.05, "thresholdMode": "abs", "cooldown": 2}, "metrics": noisy},
    {"name": "ReduceLROnPlateau max rel, patience 0, minLr 0.02", "kind": "ReduceLROnPlateau", "lr": 0.1,
     "options": {"mode": "max", "patience": 0, "factor": 0.3, "minLr": 0.02}, "metrics": rising},
    {"name": "ReduceLROnPlateau max abs 0.05, patience 1, cooldown 1", "kind": "ReduceLROnPlateau", "lr": 0.1,
     "options": {"mode": "max", "patience": 1, "threshold": 0.05, "thresholdMode": "abs", "cooldown": 1}, "metrics": rising},
    {"name": "ReduceLROnPlateau eps 0.01 stops tiny reductions", "kind": "ReduceLROnPlateau", "lr": 0.1,
     "options": {"patience": 0, "factor": 0.5, "eps": 0.01}, "metrics": flat},
    {"name": "ReduceLROnPlateau min rel threshold 0.1", "kind": "ReduceLROnPlateau", "lr": 0.1,
     "options": {"patience": 1, "factor": 0.5, "threshold": 0.1}, "metrics": noisy},
]
for case in schedule_cases:
    case["lrs"] = lr_sequence(case["kind"], case["lr"], case["options"], case.get("steps"), case.get("metrics"))

# torch raises on the step after totalSteps steps (its message counts the step made at construction).
p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
sgd = torch.optim.SGD([p], lr=0.1)
one_cycle = torch.optim.lr_scheduler.OneCycleLR(sgd, max_lr=0.1, total_steps=5, cycle_momentum=False)
for _ in range(5):
    sgd.step()
    one_cycle.step()
try:
    one_cycle.step()
    one_cycle_overrun = None
except ValueError as e:
    one_cycle_overrun = str(e)
assert one_cycle_overrun is not None, "torch no longer raises past totalSteps"

clip_cases = []
for name, grads, max_norm in [
    ("large gradients are scaled down to maxNorm", [[3.0, -4.0, 12.0, 0.5], [1.0, 2.0, -2.0]], 1.0),
    ("small gradients are left alone", [[0.03, -0.04, 0.012, 0.005], [0.01, 0.02, -0.02]], 1.0),
    ("the norm spans every parameter", [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], 2.0),
    ("a norm just above maxNorm", [[0.6, 0.0, 0.0, 0.0], [0.8, 0.0, 0.0]], 0.9999999),
]:
    params = make_params()
    for prm, g in zip(params, grads):
        prm.grad = torch.tensor(g, dtype=torch.float64).reshape(prm.shape)
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    clip_cases.append({"name": name, "grads": grads, "maxNorm": max_norm, "norm": norm.item(),
                       "clipped": [prm.grad.flatten().tolist() for prm in params]})

# a·b + c rounded once, and βᵗ rounded once, computed exactly with fractions.
rng = random.Random(0)
fma_cases = []
for _ in range(120):
    a, b = rng.uniform(-2, 2) * 10.0 ** rng.randint(-8, 8), rng.uniform(-2, 2) * 10.0 ** rng.randint(-8, 8)
    product = a * b
    for c in (rng.uniform(-2, 2) * 10.0 ** rng.randint(-20, 20), -product, -product * (1 + 2 ** -52),
              -math.nextafter(product, math.inf), rng.uniform(-1, 1) * abs(product) * 2 ** -40):
        fma_cases.append([a, b, c, float(Fraction(a) * Fraction(b) + Fraction(c))])
# Near-ties: c puts a·b + c within a hair of halfway between two doubles, where rounding twice
# (a·b, then + c) and careless emulations go wrong.
for _ in range(150):
    a, b = rng.uniform(0.5, 2) * 2.0 ** rng.randint(-30, 30), rng.uniform(-2, 2) * 2.0 ** rng.randint(-30, 30)
    exact = Fraction(a) * Fraction(b)
    rounded = a * b
    half_ulp = Fraction(math.ulp(rounded)) / 2 * rng.choice([1, -1])
    c = float(Fraction(rounded) + half_ulp - exact)
    fma_cases.append([a, b, c, float(exact + Fraction(c))])
for a, b, c in [(0.1, 10.0, -1.0), (1 + 2 ** -52, 1 - 2 ** -53, -1.0), (2 ** 27 + 1, 2 ** 27 - 1, -(2.0 ** 54)),
                (1 + 2 ** -30, 1 + 2 ** -30, -(1 + 2 ** -29)), (0.0, 5.0, -0.0), (3.0, 0.0, 2.5), (1e-200, 1e-200, 1e-300),
                (1e150, 1e150, -1e300), (-1.5, 2.0 ** -1074, 0.0)]:
    fma_cases.append([a, b, c, float(Fraction(a) * Fraction(b) + Fraction(c))])
pow_cases = [[beta, t, float(Fraction(beta) ** t)] for beta in (0.9, 0.999, 0.99, 0.5, 0.95, 0.0, 0.3)
             for t in list(range(0, 61)) + [97, 128, 255, 500, 1000, 4321, 10000]]

path = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "optimizers.json"
path.write_text(json.dumps({
    "torch": torch.__version__,
    "steps": STEPS,
    "problem": problem,
    "optimizers": optimizer_cases,
    "schedules": schedule_cases,
    "oneCycleOverrun": {"maxLr": 0.1, "totalSteps": 5, "message": one_cycle_overrun},
    "clip": clip_cases,
    "fma": fma_cases,
    "pow": pow_cases,
}, indent=1) + "\n")
print(f"wrote {len(optimizer_cases)} optimiser trajectories, {len(schedule_cases)} lr sequences and "
      f"{len(clip_cases)} clipping cases, {len(fma_cases)} fma and {len(pow_cases)} pow values to {path}")
