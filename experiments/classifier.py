"""Domain-feature classifiers (for FID/KID on datasets where Inception features mean little).

  python -m experiments.classifier --workdir=/tmp/clf_digits
"""
from experiments import launch

launch.define_flags('classifier/digits.py')

if __name__ == '__main__':
  launch.main('classifier')
