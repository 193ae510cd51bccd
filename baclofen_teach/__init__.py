"""baclofen_teach: tested decay and dosing models of baclofen for teaching.

Educational model, not dosing advice.
"""

__version__ = "0.1.0"
