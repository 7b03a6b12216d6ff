"""Audio models (WaveNet over 8-bit mu-law audio; samples written as .npz and .wav).

  python -m experiments.audio --workdir=/tmp/wavenet
  python -m experiments.audio --workdir=/tmp/wavenet --mode=sample     (or continue, eval)
  python -m experiments.audio --workdir=/tmp/wavenet_sc \
      --config=experiments/configs/audio/wavenet_speech_commands.py
"""
from experiments import launch

launch.define_flags('audio/wavenet_tones.py')

if __name__ == '__main__':
  launch.main('audio')
