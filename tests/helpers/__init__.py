"""Helpers shared by the test files; the tests folder is on sys.path, so ``from helpers import mag``."""
