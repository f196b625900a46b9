"""`make golden`: show how every expected output of tests/cases and the shipped files
would change; `make golden ACCEPT=1` (or `--accept`) writes them."""

import sys

from tests.golden import regenerate

if __name__ == "__main__":
    sys.exit(regenerate(accept="--accept" in sys.argv[1:]))
