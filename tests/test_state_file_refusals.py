"""state.read_checkpoint (and its _read) refusing what is not a `pulumi stack export`,
each message read whole: a file larger than 64 MiB (its size known before reading), an
endless standard input (its size never known), bytes that are not UTF-8, and JSON's
forbidden constants NaN, Infinity and -Infinity (RFC 8259 section 6: "Numeric values
that cannot be represented ... (such as Infinity and NaN) are not permitted"), which
Python's json module would otherwise accept."""

from __future__ import annotations

import json
import sys

import pytest

from mlinfra_compile.state import StateError, read_checkpoint

MIB_64 = 64 * 2**20  # state.MAX_BYTES, written out


class Endless:
    """Standard input that never ends (as `yes | mlinfra adopt - ...`): zeros."""

    def read(self, n: int = -1) -> bytes:
        return bytes(max(n, 0))


class Stdin:
    buffer = Endless()


def refusal(path: str) -> str:
    with pytest.raises(StateError) as e:
        read_checkpoint(path)
    return str(e.value)


def test_a_file_over_64_mib_is_refused_with_its_size(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(MIB_64 + 1)  # (sparse: its size is all that is looked at)
    assert refusal(str(path)) == f"{path}: 67108865 bytes, more than the 64 MiB mlinfra reads"


def test_standard_input_over_64_mib_is_refused_without_a_size(monkeypatch):
    monkeypatch.setattr(sys, "stdin", Stdin())
    assert refusal("-") == "-: more than the 64 MiB mlinfra reads"


def test_bytes_that_are_not_utf8_are_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"version": 3, "deployment": {"x": "caf\xe9"}}')  # Latin-1 e-acute
    assert refusal(str(path)) == (f"{path}: not UTF-8 text; give what `pulumi stack export` "
                                  "prints")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_constant_json_does_not_have_is_refused(tmp_path, constant):
    # Otherwise a well-formed checkpoint: the stack's outputs hold the constant.
    stack = {"urn": "urn:pulumi:dev::acme::pulumi:pulumi:Stack::acme-dev",
             "type": "pulumi:pulumi:Stack", "outputs": {"ratio": 0}}
    text = json.dumps({"version": 3, "deployment": {"resources": [stack]}})
    path = tmp_path / "state.json"
    path.write_text(text)
    assert read_checkpoint(str(path)).outputs == {"ratio": 0}  # (as written, it is read)
    path.write_text(text.replace('"ratio": 0', f'"ratio": {constant}'))
    assert refusal(str(path)) == (f"{path}: not JSON (or nested deeper than a checkpoint "
                                  "is); give what `pulumi stack export` prints")
