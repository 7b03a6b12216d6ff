"""Eight CPU devices for every test process, so sharded code paths run for real."""
import jax

jax.config.update('jax_num_cpu_devices', 8)
