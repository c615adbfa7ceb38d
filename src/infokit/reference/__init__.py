"""NumPy reference implementations: the definitions the compiled kernels are tested against.

Each module mirrors a public module of infokit and is written for clarity, not speed.
"""
