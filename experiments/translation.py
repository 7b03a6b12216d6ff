"""Image-to-image translation: pix2pix (paired) and CycleGAN (unpaired).

  python -m experiments.translation --workdir=/tmp/p2p
  python -m experiments.translation --workdir=/tmp/p2p --mode=translate [--split=train]
  python -m experiments.translation --workdir=/tmp/p2p --mode=translate --input_dir=MY_IMAGES
  python -m experiments.translation --workdir=/tmp/cyclegan \
      --config=experiments/configs/translation/cyclegan_digits_invert.py
  python -m experiments.evaluate --workdir=/tmp/p2p --features=raw --metrics=fid,kid \
      --num_samples=297 --kid_subset_size=100

--mode=translate writes WORKDIR/samples/translate_<split or input_dir>_<step>.npz (inputs,
outputs, targets where known; file names for --input_dir) and a PNG of the first rows.
"""
from absl import flags

from experiments import launch

flags.DEFINE_string('input_dir', '', '--mode=translate: a folder of images to translate '
                    '(resized to the model\'s size and channels).')
flags.DEFINE_string('split', '', '--mode=translate: the split to translate (default '
                    'data.eval_split).')
launch.define_flags('translation/pix2pix_digits_edges.py')
flags.register_multi_flags_validator(
    ['mode', 'input_dir', 'split'],
    lambda f: f['mode'] == 'translate' or not (f['input_dir'] or f['split']),
    message='--input_dir and --split apply to --mode=translate only')
flags.register_multi_flags_validator(
    ['input_dir', 'split'], lambda f: not (f['input_dir'] and f['split']),
    message='--mode=translate takes --input_dir or --split, not both')


def translate(exp, state, evaluator) -> str:
  # Imported here, as launch.run imports JAX: flag errors come before JAX starts.
  from gdm.models.translation import modes
  return modes.translate(exp, state, evaluator, flags.FLAGS.input_dir, flags.FLAGS.split)


if __name__ == '__main__':
  launch.main('translation', {'translate': translate})
