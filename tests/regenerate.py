"""`make golden`: rewrite every expected output of tests/cases and the shipped files."""

from tests.golden import regenerate

if __name__ == "__main__":
    regenerate()
