"""XLA flags for test processes (no imports: read before JAX starts)."""
XLA_TEST_FLAGS = '--xla_backend_optimization_level=1'


def xla_flags(devices: int) -> str:
  """XLA_FLAGS for a test subprocess with `devices` CPU devices."""
  return f'--xla_force_host_platform_device_count={devices} {XLA_TEST_FLAGS}'
