"""Writes of the exchange programme, one module per sub-domain."""
