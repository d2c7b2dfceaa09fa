"""Times one training step of ESeg in PyTorch eager mode: a measuring instrument to compare eseg's training path
with, not part of the product (nothing in eseg needs Python).

The architecture follows docs/design.md section 1 and eseg's model package (org.eseg.model): EfficientNet
encoder of MBConv (ESeg-S) or Fused-MBConv (ESeg-Lite-S) blocks, extra levels by 3x3/2 average pooling
(count_include_pad=False), 1x1 laterals (conv with bias + BN), BiFPN layers of fast-normalised fusion nodes
(fuse, act, separable 3x3, BN), and the head (softmax-weighted bilinear sum of the levels, separable 3x3 + BN +
act, 1x1 classifier, bilinear upsampling to the input). The parameter count printed must equal `eseg info`'s.

The step is what `eseg train --no-ohem --ema-decay 0` does: channels-last maps, drop-path in the residuals,
BatchNorm in training mode (eps 1e-3, momentum 0.01), plain cross-entropy with ignore index 255, SGD with
momentum 0.9 and weight decay. Data are random (no loader).
"""
import argparse
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-3
BN_MOMENTUM = 0.01
B0_STAGES = [  # kernel, repeats, stride, expand, out channels (EfficientNet-B0)
    (3, 1, 1, 1, 16), (3, 2, 2, 6, 24), (5, 2, 2, 6, 40), (3, 3, 2, 6, 80),
    (5, 3, 1, 6, 112), (5, 4, 2, 6, 192), (3, 1, 1, 6, 320)]
# name: width, depth, block kind, act, SE ratio, BiFPN width, repeats, min level
VARIANTS = {
    "eseg-lite-s": (0.4, 0.6, "fused", "relu", 0.0, 64, 1, 3),
    "eseg-lite-m": (0.6, 1.0, "fused", "relu", 0.0, 80, 2, 3),
    "eseg-lite-l": (1.0, 1.0, "fused", "relu", 0.0, 96, 3, 3),
    "eseg-s": (1.0, 1.1, "mbconv", "silu", 0.25, 96, 4, 2),
    "eseg-m": (1.4, 1.8, "mbconv", "silu", 0.25, 192, 5, 2),
    "eseg-l": (2.0, 3.1, "mbconv", "silu", 0.25, 288, 6, 2),
}
MAX_LEVEL = 9
DROP_PATH = 0.2


def round_filters(c, width):
    x = c * width
    r = max(8, int(x + 4) // 8 * 8)
    return r + 8 if r < 0.9 * x else r


def act_fn(name):
    return nn.SiLU(inplace=True) if name == "silu" else nn.ReLU(inplace=True)


def bn(c):
    return nn.BatchNorm2d(c, eps=BN_EPS, momentum=BN_MOMENTUM)


class ConvBnAct(nn.Sequential):
    def __init__(self, cin, cout, k=1, s=1, groups=1, act=None, bias=False):
        layers = [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=bias), bn(cout)]
        if act:
            layers.append(act_fn(act))
        super().__init__(*layers)


class SqueezeExcite(nn.Module):
    def __init__(self, c, squeeze, act):
        super().__init__()
        self.reduce = nn.Conv2d(c, squeeze, 1)
        self.expand = nn.Conv2d(squeeze, c, 1)
        self.act = act_fn(act)

    def forward(self, x):
        s = self.act(self.reduce(F.adaptive_avg_pool2d(x, 1)))
        return x * torch.sigmoid(self.expand(s))


def drop_path(x, rate, training):
    if not training or rate == 0:
        return x
    keep = 1 - rate
    mask = x.new_empty((x.shape[0], 1, 1, 1)).bernoulli_(keep)
    return x * mask / keep


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, k, s, e, squeeze, act, rate, fused):
        super().__init__()
        hidden = cin * e
        layers = []
        if fused:
            if e == 1:
                layers.append(ConvBnAct(cin, cout, k, s, act=act))
            else:
                layers.append(ConvBnAct(cin, hidden, k, s, act=act))
                if squeeze:
                    layers.append(SqueezeExcite(hidden, squeeze, act))
                layers.append(ConvBnAct(hidden, cout))
        else:
            if e != 1:
                layers.append(ConvBnAct(cin, hidden, act=act))
            layers.append(ConvBnAct(hidden, hidden, k, s, groups=hidden, act=act))
            if squeeze:
                layers.append(SqueezeExcite(hidden, squeeze, act))
            layers.append(ConvBnAct(hidden, cout))
        self.body = nn.Sequential(*layers)
        self.residual = s == 1 and cin == cout
        self.rate = rate

    def forward(self, x):
        y = self.body(x)
        return drop_path(y, self.rate, self.training) + x if self.residual else y


class Encoder(nn.Module):
    """The EfficientNet stages; returns the taps P2..P5 (outputs of stages 2, 3, 5 and 7)."""

    def __init__(self, width, depth, fused, act, se_ratio):
        super().__init__()
        cin = round_filters(32, width)
        self.stem = ConvBnAct(3, cin, 3, 2, act=act)
        total = sum(math.ceil(depth * r) for _, r, _, _, _ in B0_STAGES)
        index = 0
        self.stages = nn.ModuleList()
        self.tap = []
        self.channels = []
        for i, (k, r, s, e, c) in enumerate(B0_STAGES):
            cout = round_filters(c, width)
            blocks = []
            for j in range(math.ceil(depth * r)):
                squeeze = max(1, int(cin * se_ratio)) if se_ratio > 0 else 0
                blocks.append(InvertedResidual(cin, cout, k, s if j == 0 else 1, e, squeeze, act,
                                               DROP_PATH * index / total, fused))
                cin = cout
                index += 1
            self.stages.append(nn.Sequential(*blocks))
            tap = i == len(B0_STAGES) - 1 or B0_STAGES[i + 1][2] == 2
            self.tap.append(tap)
            if tap and i > 0:
                self.channels.append(cout)

    def forward(self, x):
        x = self.stem(x)
        taps = []
        for stage, tap in zip(self.stages, self.tap):
            x = stage(x)
            if tap:
                taps.append(x)
        return taps  # levels 1(stage 1 is stride 1 after the stem: not a tap), 2, 3, 4, 5


class SeparableConv(nn.Sequential):
    def __init__(self, c):
        super().__init__(nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False), nn.Conv2d(c, c, 1))


class Node(nn.Module):
    def __init__(self, inputs, width, act):
        super().__init__()
        self.weights = nn.Parameter(torch.ones(inputs))
        self.act = act_fn(act)
        self.conv = SeparableConv(width)
        self.bn = bn(width)

    def forward(self, maps):
        w = F.relu(self.weights)
        w = w / (w.sum() + 1e-4)
        x = maps[0] * w[0]
        for j in range(1, len(maps)):
            x = x + maps[j] * w[j]
        return self.bn(self.conv(self.act(x)))


def like(x, ref):
    return x if x.shape[-2:] == ref.shape[-2:] else F.interpolate(x, size=ref.shape[-2:], mode="nearest")


class BiFpnLayer(nn.Module):
    def __init__(self, levels, width, act):
        super().__init__()
        self.levels = levels
        self.td = nn.ModuleList([Node(2, width, act) for _ in range(levels - 1)])
        self.out = nn.ModuleList([Node(3 if i < levels - 1 else 2, width, act) for i in range(1, levels)])

    def forward(self, ins):
        n = self.levels
        td = [None] * n
        td[n - 1] = ins[n - 1]
        for i in range(n - 2, -1, -1):
            td[i] = self.td[i]([ins[i], like(td[i + 1], ins[i])])
        out = [td[0]]
        for i in range(1, n):
            down = like(F.max_pool2d(out[i - 1], 3, 2, 1), ins[i])
            maps = [ins[i], td[i], down] if i < n - 1 else [ins[i], down]
            out.append(self.out[i - 1](maps))
        return out


class ESeg(nn.Module):
    def __init__(self, name, classes):
        super().__init__()
        width, depth, kind, act, se, fpn_width, repeats, self.min_level = VARIANTS[name]
        self.encoder = Encoder(width, depth, kind == "fused", act, se)
        self.levels = MAX_LEVEL - self.min_level + 1
        tap_channels = self.encoder.channels  # P2..P5
        lateral_in = [tap_channels[lv - 2] if lv <= 5 else tap_channels[-1]
                      for lv in range(self.min_level, MAX_LEVEL + 1)]
        self.lateral = nn.ModuleList([ConvBnAct(c, fpn_width, bias=True) for c in lateral_in])
        self.bifpn = nn.ModuleList([BiFpnLayer(self.levels, fpn_width, act) for _ in range(repeats)])
        self.fusion = nn.Parameter(torch.ones(self.levels))
        self.head = nn.Sequential(SeparableConv(fpn_width), bn(fpn_width), act_fn(act))
        self.classifier = nn.Conv2d(fpn_width, classes, 1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):  # He-normal, fan-out per group (eseg's ConvInit)
                fan_out = m.out_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
                nn.init.normal_(m.weight, 0, math.sqrt(2.0 / fan_out))
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, image):
        taps = self.encoder(image)[1:]  # drop stage 1's (level 1) output: taps are P2..P5
        levels = []
        current = None
        for level in range(2, MAX_LEVEL + 1):
            current = taps[level - 2] if level <= 5 else F.avg_pool2d(current, 3, 2, 1, count_include_pad=False)
            if level >= self.min_level:
                levels.append(current)
        x = [lat(f) for lat, f in zip(self.lateral, levels)]
        for layer in self.bifpn:
            x = layer(x)
        soft = torch.softmax(self.fusion, 0)
        base = x[0]
        s = base * soft[0]
        for i in range(1, self.levels):
            s = s + F.interpolate(x[i], size=base.shape[-2:], mode="bilinear", align_corners=False) * soft[i]
        logits = self.classifier(self.head(s))
        return F.interpolate(logits, size=image.shape[-2:], mode="bilinear", align_corners=False)


def compare(mine, other):
    """Prints the worst relative difference max|a-b| / max|b| among gradients and among BN running statistics.
    Tensors whose largest value is below 1e-3 of their kind's largest are left out: a conv bias followed by BN
    has a zero gradient in exact arithmetic, so its float value is rounding noise and any ratio on it is too."""
    for kind in ("grad.", "buf."):
        names = [n for n in other if n.startswith(kind)]
        scale = max(other[n].abs().max().item() for n in names)
        worst, where, kept = 0.0, "", 0
        for n in names:
            m = other[n].abs().max().item()
            if m <= 1e-3 * scale:
                continue
            kept += 1
            rel = (mine[n] - other[n]).abs().max().item() / m
            if rel > worst:
                worst, where = rel, n
        what = "gradients" if kind == "grad." else "BN running statistics"
        print(f"{what}: worst relative difference {worst:.2e} over {kept} of {len(names)} tensors, at {where[len(kind):]}")


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="eseg-s", choices=sorted(VARIANTS))
    p.add_argument("--crop", default="256x512", help="HxW")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--steps", type=int, default=5, help="timed steps")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--classes", type=int, default=19)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    p.add_argument("--nchw", action="store_true", help="keep NCHW maps instead of channels-last")
    p.add_argument("--params-only", action="store_true", help="print the parameter count and stop")
    p.add_argument("--save-grad", metavar="FILE",
                   help="one step on a fixed batch: save every gradient and BN running stat to FILE, then stop")
    p.add_argument("--float64", action="store_true", help="with --save-grad: compute in float64 (a reference)")
    p.add_argument("--compare-grad", metavar="FILE",
                   help="with --save-grad: also compare with FILE (saved by another setting) and print the worst")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    h, w = (int(v) for v in a.crop.lower().split("x"))
    torch.manual_seed(0)
    model = ESeg(a.model, a.classes)
    params = sum(t.numel() for t in model.parameters())
    print(f"pytorch {torch.__version__} threads={torch.get_num_threads()} "
          f"ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA', '(default)')} "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}")
    print(f"{a.model}: {params} parameters")
    if a.params_only:
        return
    fmt = torch.contiguous_format if a.nchw else torch.channels_last
    model = model.to(memory_format=fmt).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-5)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(a.batch, 3, h, w, generator=g).contiguous(memory_format=fmt)
    y = torch.randint(0, a.classes, (a.batch, h, w), generator=g)

    if a.save_grad:
        if a.float64:
            model, x = model.double(), x.double()
        model.zero_grad()
        F.cross_entropy(model(x), y, ignore_index=255).backward()
        state = {"grad." + n: t.grad.detach().double() for n, t in model.named_parameters()}
        state.update({"buf." + n: t.detach().double() for n, t in model.named_buffers() if t.is_floating_point()})
        torch.save(state, a.save_grad)
        if a.compare_grad:
            compare(state, torch.load(a.compare_grad))
        return

    times = []
    cpu = []
    for i in range(a.warmup + a.steps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y, ignore_index=255)
        loss.backward()
        opt.step()
        dt = time.perf_counter() - t0
        if i >= a.warmup:
            times.append(dt * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        print(f"step {i + 1}: {dt * 1000:.0f} ms loss {loss.item():.4f}{' (warm-up)' if i < a.warmup else ''}",
              flush=True)
    p50 = statistics.median(times)
    print(f"RESULT model={a.model} crop={h}x{w} batch={a.batch} threads={torch.get_num_threads()} "
          f"layout={'nchw' if a.nchw else 'channels-last'} step_ms_p50={p50:.0f} "
          f"step_ms_mean={statistics.mean(times):.0f} cpu_ms_mean={statistics.mean(cpu):.0f} images_per_s={a.batch * 1000 / p50:.2f} "
          f"peak_rss_mb={peak_rss_mb():.0f}")


if __name__ == "__main__":
    sys.exit(main())
