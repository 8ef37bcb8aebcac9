"""Writes of the fair, one module per concern (pretix's base/services/ layout)."""
