"""Reference trajectories of torch.optim.SGD (float64) for test/optim.test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 scripts/pytorch/sgd.py
Each case minimises f(θ) = Σ c·θ² + sin(θ) from a fixed start for 6 steps and records θ after
every step. Writes test/fixtures/sgd.json.
"""
import json
import pathlib

import torch

start = [0.5, -1.25, 2.0, 0.1]
coeff = [1.0, 0.3, -0.2, 2.0]
configs = [
    {"name": "plain", "lr": 0.1},
    {"name": "momentum", "lr": 0.1, "momentum": 0.9},
    {"name": "momentum with dampening", "lr": 0.05, "momentum": 0.8, "dampening": 0.3},
    {"name": "nesterov", "lr": 0.1, "momentum": 0.9, "nesterov": True},
    {"name": "nesterov with weight decay", "lr": 0.1, "momentum": 0.7, "nesterov": True, "weightDecay": 0.05},
    {"name": "weight decay without momentum", "lr": 0.2, "weightDecay": 0.1},
]
cases = []
for cfg in configs:
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    c = torch.tensor(coeff, dtype=torch.float64)
    opt = torch.optim.SGD([theta], lr=cfg["lr"], momentum=cfg.get("momentum", 0), dampening=cfg.get("dampening", 0),
                          nesterov=cfg.get("nesterov", False), weight_decay=cfg.get("weightDecay", 0))
    trajectory = []
    for _ in range(6):
        opt.zero_grad()
        loss = (c * theta ** 2 + torch.sin(theta)).sum()
        loss.backward()
        opt.step()
        trajectory.append(theta.detach().tolist())
    cases.append({**cfg, "trajectory": trajectory})

path = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "sgd.json"
path.write_text(json.dumps({"torch": torch.__version__, "start": start, "coeff": coeff, "cases": cases}, indent=1) + "\n")
print(f"wrote {len(cases)} SGD trajectories to {path}")
