"""Small helpers shared across gdm: image mosaics and PNG output."""
