"""Datasets as deterministic random-access sources, batching, and on-device preprocessing."""
from gdm.data.pipeline import DomainPipeline, Pipeline, eval_batches, make_pipeline
from gdm.data.preprocess import data_range, make_prepare, to_uint8
from gdm.data.registry import DATASETS, load_source
from gdm.data.source import DatasetInfo

__all__ = ['DATASETS', 'DatasetInfo', 'DomainPipeline', 'Pipeline', 'data_range', 'eval_batches',
           'load_source', 'make_pipeline', 'make_prepare', 'to_uint8']
