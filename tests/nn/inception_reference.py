"""Independent numpy transcription of pytorch-fid's FIDInceptionV3 (NCHW, torch layouts).

Written from torchvision's models/inception.py (Inception3, BasicConv2d, InceptionB/D and the
__init__ of InceptionA/C/E) and pytorch-fid's inception.py (fid_inception_v3 and the forwards
of FIDInceptionA, FIDInceptionC, FIDInceptionE_1, FIDInceptionE_2), not from gdm's Flax code:
the tests compare the two. Computed in float64.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# name -> (in_channels, out_channels, (kh, kw), stride, (ph, pw)) for every BasicConv2d,
# in torch's module registration order.
CONVS: dict[str, tuple] = {}


def _c(d, name, cin, cout, k, stride=1, pad=0):
  k = (k, k) if isinstance(k, int) else k
  pad = (pad, pad) if isinstance(pad, int) else pad
  d[name] = (cin, cout, k, stride, pad)


def _block_a(d, p, cin, pool_features):
  _c(d, f'{p}.branch1x1', cin, 64, 1)
  _c(d, f'{p}.branch5x5_1', cin, 48, 1)
  _c(d, f'{p}.branch5x5_2', 48, 64, 5, pad=2)
  _c(d, f'{p}.branch3x3dbl_1', cin, 64, 1)
  _c(d, f'{p}.branch3x3dbl_2', 64, 96, 3, pad=1)
  _c(d, f'{p}.branch3x3dbl_3', 96, 96, 3, pad=1)
  _c(d, f'{p}.branch_pool', cin, pool_features, 1)


def _block_b(d, p, cin):
  _c(d, f'{p}.branch3x3', cin, 384, 3, stride=2)
  _c(d, f'{p}.branch3x3dbl_1', cin, 64, 1)
  _c(d, f'{p}.branch3x3dbl_2', 64, 96, 3, pad=1)
  _c(d, f'{p}.branch3x3dbl_3', 96, 96, 3, stride=2)


def _block_c(d, p, cin, c7):
  _c(d, f'{p}.branch1x1', cin, 192, 1)
  _c(d, f'{p}.branch7x7_1', cin, c7, 1)
  _c(d, f'{p}.branch7x7_2', c7, c7, (1, 7), pad=(0, 3))
  _c(d, f'{p}.branch7x7_3', c7, 192, (7, 1), pad=(3, 0))
  _c(d, f'{p}.branch7x7dbl_1', cin, c7, 1)
  _c(d, f'{p}.branch7x7dbl_2', c7, c7, (7, 1), pad=(3, 0))
  _c(d, f'{p}.branch7x7dbl_3', c7, c7, (1, 7), pad=(0, 3))
  _c(d, f'{p}.branch7x7dbl_4', c7, c7, (7, 1), pad=(3, 0))
  _c(d, f'{p}.branch7x7dbl_5', c7, 192, (1, 7), pad=(0, 3))
  _c(d, f'{p}.branch_pool', cin, 192, 1)


def _block_d(d, p, cin):
  _c(d, f'{p}.branch3x3_1', cin, 192, 1)
  _c(d, f'{p}.branch3x3_2', 192, 320, 3, stride=2)
  _c(d, f'{p}.branch7x7x3_1', cin, 192, 1)
  _c(d, f'{p}.branch7x7x3_2', 192, 192, (1, 7), pad=(0, 3))
  _c(d, f'{p}.branch7x7x3_3', 192, 192, (7, 1), pad=(3, 0))
  _c(d, f'{p}.branch7x7x3_4', 192, 192, 3, stride=2)


def _block_e(d, p, cin):
  _c(d, f'{p}.branch1x1', cin, 320, 1)
  _c(d, f'{p}.branch3x3_1', cin, 384, 1)
  _c(d, f'{p}.branch3x3_2a', 384, 384, (1, 3), pad=(0, 1))
  _c(d, f'{p}.branch3x3_2b', 384, 384, (3, 1), pad=(1, 0))
  _c(d, f'{p}.branch3x3dbl_1', cin, 448, 1)
  _c(d, f'{p}.branch3x3dbl_2', 448, 384, 3, pad=1)
  _c(d, f'{p}.branch3x3dbl_3a', 384, 384, (1, 3), pad=(0, 1))
  _c(d, f'{p}.branch3x3dbl_3b', 384, 384, (3, 1), pad=(1, 0))
  _c(d, f'{p}.branch_pool', cin, 192, 1)


d = CONVS
# Inception3.__init__ with fid_inception_v3's replacements (num_classes=1008, no AuxLogits).
_c(d, 'Conv2d_1a_3x3', 3, 32, 3, stride=2)
_c(d, 'Conv2d_2a_3x3', 32, 32, 3)
_c(d, 'Conv2d_2b_3x3', 32, 64, 3, pad=1)
_c(d, 'Conv2d_3b_1x1', 64, 80, 1)
_c(d, 'Conv2d_4a_3x3', 80, 192, 3)
_block_a(d, 'Mixed_5b', 192, 32)
_block_a(d, 'Mixed_5c', 256, 64)
_block_a(d, 'Mixed_5d', 288, 64)
_block_b(d, 'Mixed_6a', 288)
_block_c(d, 'Mixed_6b', 768, 128)
_block_c(d, 'Mixed_6c', 768, 160)
_block_c(d, 'Mixed_6d', 768, 160)
_block_c(d, 'Mixed_6e', 768, 192)
_block_d(d, 'Mixed_7a', 768)
_block_e(d, 'Mixed_7b', 1280)
_block_e(d, 'Mixed_7c', 2048)
FC = (1008, 2048)
del d
_REGISTRY = dict(CONVS)   # CONVS plus stand-alone test blocks, for basic_conv


def reference_shapes(convs=None) -> dict[str, tuple]:
  """{torch state_dict key: shape} without num_batches_tracked (the loader's contract)."""
  shapes = {}
  for name, (cin, cout, (kh, kw), _, _) in (CONVS if convs is None else convs).items():
    shapes[f'{name}.conv.weight'] = (cout, cin, kh, kw)
    for leaf in ('bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'):
      shapes[f'{name}.{leaf}'] = (cout,)
  if convs is None:
    shapes['fc.weight'] = FC
    shapes['fc.bias'] = (FC[0],)
  return shapes


def random_state(shapes: dict, seed: int = 0) -> dict[str, np.ndarray]:
  """Random float32 weights in torch layout, scaled so activations stay O(1) through the net."""
  rng = np.random.default_rng(seed)
  state = {}
  for key, shape in shapes.items():
    if key.endswith('conv.weight') or key == 'fc.weight':
      fan_in = int(np.prod(shape[1:]))
      value = rng.normal(size=shape) * np.sqrt(2.0 / fan_in)
    elif key.endswith(('bn.weight', 'running_var')):
      value = rng.uniform(0.5, 1.5, size=shape)
    else:
      value = rng.normal(size=shape) * 0.1
    state[key] = value.astype(np.float32)
  return state


# ---- torch functional ops on NCHW float64 ----

def conv2d(x, w, stride, pad):
  x = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
  kh, kw = w.shape[2:]
  win = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
  out = np.tensordot(win, w.astype(np.float64), axes=([1, 4, 5], [1, 2, 3]))  # N Ho Wo O
  return out.transpose(0, 3, 1, 2)


def basic_conv(state, name, x):
  """BasicConv2d.forward: conv (no bias) -> BatchNorm2d(eps=0.001) eval -> ReLU."""
  _, _, _, stride, pad = _REGISTRY[name]
  g = lambda leaf: state[f'{name}.{leaf}'].astype(np.float64)[None, :, None, None]
  y = conv2d(x, state[f'{name}.conv.weight'], stride, pad)
  y = (y - g('bn.running_mean')) / np.sqrt(g('bn.running_var') + 1e-3) * g('bn.weight')
  return np.maximum(y + g('bn.bias'), 0.0)


def block_specs(kind, prefix, cin, arg=None) -> dict:
  """Conv specs of one stand-alone block with a chosen in_channels (registered for
  basic_conv under `prefix`, which must not clash with the full model's names)."""
  specs = {}
  {'A': lambda: _block_a(specs, prefix, cin, arg), 'B': lambda: _block_b(specs, prefix, cin),
   'C': lambda: _block_c(specs, prefix, cin, arg), 'D': lambda: _block_d(specs, prefix, cin),
   'E': lambda: _block_e(specs, prefix, cin)}[kind]()
  _REGISTRY.update(specs)
  return specs


def _window(x, k, stride, pad, fill):
  x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
  return sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]


def max_pool(x, k, stride, pad=0):
  return _window(x, k, stride, pad, -np.inf).max(axis=(4, 5))


def avg_pool_exclude_pad(x, k, stride, pad):
  """F.avg_pool2d(..., count_include_pad=False)."""
  total = _window(x, k, stride, pad, 0.0).sum(axis=(4, 5))
  count = _window(np.ones_like(x[:1, :1]), k, stride, pad, 0.0).sum(axis=(4, 5))
  return total / count


# ---- block forwards (pytorch-fid / torchvision forward methods) ----

def block_a(s, p, x):
  b = lambda n, y: basic_conv(s, f'{p}.{n}', y)
  b5 = b('branch5x5_2', b('branch5x5_1', x))
  b3 = b('branch3x3dbl_3', b('branch3x3dbl_2', b('branch3x3dbl_1', x)))
  bp = b('branch_pool', avg_pool_exclude_pad(x, 3, 1, 1))
  return np.concatenate([b('branch1x1', x), b5, b3, bp], axis=1)


def block_b(s, p, x):
  b = lambda n, y: basic_conv(s, f'{p}.{n}', y)
  b3 = b('branch3x3', x)
  bd = b('branch3x3dbl_3', b('branch3x3dbl_2', b('branch3x3dbl_1', x)))
  return np.concatenate([b3, bd, max_pool(x, 3, 2)], axis=1)


def block_c(s, p, x):
  b = lambda n, y: basic_conv(s, f'{p}.{n}', y)
  b7 = b('branch7x7_3', b('branch7x7_2', b('branch7x7_1', x)))
  bd = x
  for i in range(1, 6):
    bd = b(f'branch7x7dbl_{i}', bd)
  bp = b('branch_pool', avg_pool_exclude_pad(x, 3, 1, 1))
  return np.concatenate([b('branch1x1', x), b7, bd, bp], axis=1)


def block_d(s, p, x):
  b = lambda n, y: basic_conv(s, f'{p}.{n}', y)
  b3 = b('branch3x3_2', b('branch3x3_1', x))
  b7 = x
  for i in range(1, 5):
    b7 = b(f'branch7x7x3_{i}', b7)
  return np.concatenate([b3, b7, max_pool(x, 3, 2)], axis=1)


def block_e(s, p, x, pool):
  """pool='avg': FIDInceptionE_1 (count_include_pad=False); 'max': FIDInceptionE_2."""
  b = lambda n, y: basic_conv(s, f'{p}.{n}', y)
  t = b('branch3x3_1', x)
  b3 = np.concatenate([b('branch3x3_2a', t), b('branch3x3_2b', t)], axis=1)
  t = b('branch3x3dbl_2', b('branch3x3dbl_1', x))
  bd = np.concatenate([b('branch3x3dbl_3a', t), b('branch3x3dbl_3b', t)], axis=1)
  pooled = avg_pool_exclude_pad(x, 3, 1, 1) if pool == 'avg' else max_pool(x, 3, 1, 1)
  return np.concatenate([b('branch1x1', x), b3, bd, b('branch_pool', pooled)], axis=1)


def forward(s, x):
  """Inception3._forward in eval mode: x [N, 3, H, W] in [-1, 1] -> (pool, logits)."""
  for name in ('Conv2d_1a_3x3', 'Conv2d_2a_3x3', 'Conv2d_2b_3x3'):
    x = basic_conv(s, name, x)
  x = max_pool(x, 3, 2)
  x = basic_conv(s, 'Conv2d_4a_3x3', basic_conv(s, 'Conv2d_3b_1x1', x))
  x = max_pool(x, 3, 2)
  for name in ('Mixed_5b', 'Mixed_5c', 'Mixed_5d'):
    x = block_a(s, name, x)
  x = block_b(s, 'Mixed_6a', x)
  for name in ('Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e'):
    x = block_c(s, name, x)
  x = block_d(s, 'Mixed_7a', x)
  x = block_e(s, 'Mixed_7b', x, 'avg')
  x = block_e(s, 'Mixed_7c', x, 'max')
  pool = x.mean(axis=(2, 3))
  logits = pool @ s['fc.weight'].astype(np.float64).T + s['fc.bias']
  return pool, logits


def resize_bilinear_torch(x, out_h, out_w):
  """upsample_bilinear2d(align_corners=False) per output pixel, on NCHW. Source coordinates
  in float32 as torch computes them (accscalar_t is float for float inputs), the blend in
  float64."""
  n, c, in_h, in_w = x.shape
  out = np.empty((n, c, out_h, out_w))
  f32 = np.float32

  def src(d, in_size, out_size):
    scale = f32(in_size) / f32(out_size)
    r = scale * (f32(d) + f32(0.5)) - f32(0.5)
    r = f32(0) if r < 0 else r
    i0 = int(r)
    return i0, i0 + (1 if i0 < in_size - 1 else 0), float(r - f32(i0))

  w0, w1, lw = map(np.array, zip(*[src(ow, in_w, out_w) for ow in range(out_w)]))
  for oh in range(out_h):
    h0, h1, lh = src(oh, in_h, out_h)
    out[:, :, oh] = ((1 - lh) * ((1 - lw) * x[:, :, h0, w0] + lw * x[:, :, h0, w1])
                     + lh * ((1 - lw) * x[:, :, h1, w0] + lw * x[:, :, h1, w1]))
  return out
