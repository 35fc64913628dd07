"""loopready: practise an AI product-manager interview loop, locally."""

__version__ = "0.1.0"
