#!/usr/bin/python3
"""The bad-input suite (ctest `bad-inputs`): hostile and broken inputs to every
deepseek tool and to compiled executables. Each case asserts the exit code
(never a signal: no crash, no abort), a message that names the problem, and,
where the case writes, that nothing is left behind and an existing output
file is untouched.

    /usr/bin/python3 scripts/bad_inputs.py --build build --work /tmp/bad [-k SUBSTRING]

Prints one line per case and exits 1 if any case fails.
"""
import argparse
import os
import pathlib
import re
import struct
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = pathlib.Path(__file__).resolve().parent.parent
TINY = ROOT / "examples/tiny_cnn.onnx"
DIGIT = ROOT / "examples/digit_7.npy"
CASES = []


def case(name, code, message, untouched=None):
    """Registers a case: the function builds its files in `w` (a Work) and
    returns the command; `code` is the expected exit status, `message` a regex
    stderr (or stdout) must match; `untouched` names a file (relative to the
    work dir) that must still hold what it held before."""
    def register(build):
        CASES.append((name, code, message, untouched, build))
        return build
    return register


class Work:
    def __init__(self, root, build):
        self.root, self.build = root, build

    def path(self, name):
        return self.root / name

    def tool(self, name):
        return str(self.build / "bin" / name)

    def write(self, name, data):
        p = self.path(name)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
        return str(p)

    def model(self, name, graph_nodes, inputs, outputs, inits=(), opset=17, ir=8):
        graph = helper.make_graph(graph_nodes, "g", inputs, outputs, list(inits))
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = ir
        p = self.path(name)
        p.write_bytes(model.SerializeToString())  # unchecked: some are invalid on purpose
        return str(p)

    def relu_model(self, name, dims):
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, dims)
        return self.model(name, [helper.make_node("Relu", ["x"], ["y"])], [x], [y])

    def tiny_exe(self):
        exe = self.path("tiny")
        if not exe.exists():
            subprocess.run([self.tool("deepseek-compile"), str(TINY), "--input-shape",
                            "image=1x1x8x8", "--emit", "exe", "-o", str(exe)], check=True,
                           capture_output=True)
        return str(exe)

    def npy(self, name, array):
        p = self.path(name)
        np.save(p, array)
        return str(p)


# ---- model files -----------------------------------------------------------

@case("empty model file", 1, r"empty\.onnx: error: the model has no graph")
def _(w):
    return [w.tool("deepseek-compile"), w.write("empty.onnx", b""), "--emit", "mlir"]


@case("garbage model file", 1, r"garbage\.onnx: error: not a valid ONNX model")
def _(w):
    return [w.tool("deepseek-compile"), w.write("garbage.onnx", os.urandom(4096)), "--emit", "mlir"]


@case("truncated model file", 1, r"truncated\.onnx: error: not a valid ONNX model")
def _(w):
    return [w.tool("deepseek-compile"), w.write("truncated.onnx", TINY.read_bytes()[:1500]),
            "--emit", "mlir"]


@case("missing model file", 1, r"nonexistent\.onnx: error: cannot open: No such file")
def _(w):
    return [w.tool("deepseek-compile"), str(w.path("nonexistent.onnx")), "--emit", "mlir"]


@case("a directory as the model", 1, r"adir\.onnx: error: is a folder, not a model file")
def _(w):
    w.path("adir.onnx").mkdir(exist_ok=True)
    return [w.tool("deepseek-compile"), str(w.path("adir.onnx")), "--emit", "mlir"]


@case("unreadable model file", 1, r"noperm\.onnx: error: cannot open: Permission denied")
def _(w):
    p = w.write("noperm.onnx", TINY.read_bytes())
    os.chmod(p, 0)
    # root reads anything: run as nobody.
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            w.tool("deepseek-compile"), p, "--emit", "mlir"]


@case("opset from the future", 1,
      r"future\.onnx: error: the model uses default-domain opset 99; this build's ONNX library knows opsets up to")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    return [w.tool("deepseek-compile"),
            w.model("future.onnx", [helper.make_node("Relu", ["x"], ["y"])], [x], [y], opset=99),
            "--emit", "mlir"]


@case("no default-domain opset", 1, r"noopset\.onnx: error: ")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("ai.example", 1)])
    w.path("noopset.onnx").write_bytes(model.SerializeToString())
    return [w.tool("deepseek-compile"), str(w.path("noopset.onnx")), "--emit", "mlir"]


@case("missing initializer", 1, r"noinit\.onnx: error: the ONNX checker rejected the model: .*W")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    return [w.tool("deepseek-compile"),
            w.model("noinit.onnx", [helper.make_node("MatMul", ["x", "W"], ["y"])], [x], [y]),
            "--emit", "mlir"]


@case("unsupported operator in a custom domain", 1,
      r"(?s)custom\.onnx: error: 1 node\(s\) use operators the importer does not support:.*Frobnicate \(domain ai.example")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    graph = helper.make_graph([helper.make_node("Frobnicate", ["x"], ["y"], domain="ai.example")],
                              "g", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("ai.example", 1)])
    w.path("custom.onnx").write_bytes(model.SerializeToString())
    return [w.tool("deepseek-compile"), str(w.path("custom.onnx")), "--emit", "mlir"]


@case("graph output nothing produces", 1, r"dangling\.onnx: error: .*'z'")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    z = helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4])
    return [w.tool("deepseek-compile"),
            w.model("dangling.onnx", [helper.make_node("Relu", ["x"], ["y"])], [x], [z]),
            "--emit", "mlir"]


@case("input dim 0 compiles and runs (an empty tensor)", 0, r"")
def _(w):
    return [w.tool("deepseek-compile"), w.relu_model("dim0.onnx", [2, 0, 3]), "--emit", "obj",
            "-o", str(w.path("dim0"))]


@case("input dim -5", 1, r"dimneg\.onnx: error: graph input/output 'x': dimension 1 is -5")
def _(w):
    return [w.tool("deepseek-compile"), w.relu_model("dimneg.onnx", [1, -5]), "--emit", "exe",
            "-o", str(w.path("dimneg"))]


@case("input dim 2^40", 1, r"dimhuge\.onnx: node '#0' \(Relu\): error: a value of type 'tensor<1x1099511627776xf32>' takes 4398046511104 bytes, more than the 1 TiB")
def _(w):
    return [w.tool("deepseek-compile"), w.relu_model("dimhuge.onnx", [1, 2**40]), "--emit", "exe",
            "-o", str(w.path("dimhuge"))]


@case("element count past int64", 1, r"dimoverflow\.onnx: node '#0' \(Relu\): error: .* has more elements than int64 can count")
def _(w):
    return [w.tool("deepseek-compile"), w.relu_model("dimoverflow.onnx", [2**31, 2**31, 2**31]),
            "--emit", "exe", "-o", str(w.path("dimoverflow"))]


@case("initializer data shorter than its dims", 1,
      r"shortinit\.onnx: initializer 'W': error: tensor 'W' holds 20 bytes of data, but its shape needs 64")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    t = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[4, 4], raw_data=b"\0" * 20)
    return [w.tool("deepseek-compile"),
            w.model("shortinit.onnx", [helper.make_node("MatMul", ["x", "W"], ["y"])], [x], [y],
                    inits=[t]), "--emit", "exe", "-o", str(w.path("shortinit"))]


@case("initializer of 2^40 elements without data", 1, r"hugeinit\.onnx: error: .*W")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2**38])
    t = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[4, 2**38], raw_data=b"")
    return [w.tool("deepseek-compile"),
            w.model("hugeinit.onnx", [helper.make_node("MatMul", ["x", "W"], ["y"])], [x], [y],
                    inits=[t]), "--emit", "exe", "-o", str(w.path("hugeinit"))]


@case("Reshape to a shape of 2^62 elements", 1,
      r"reshape\.onnx: node .*\(Reshape\): error: .*expected the same number of elements")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2**31, 2**31])
    shape = numpy_helper.from_array(np.array([2**31, 2**31], dtype=np.int64), "shape")
    return [w.tool("deepseek-compile"),
            w.model("reshape.onnx", [helper.make_node("Reshape", ["x", "shape"], ["y"])], [x], [y],
                    inits=[shape]), "--emit", "exe", "-o", str(w.path("reshape"))]


@case("wrong node input count", 1, r"arity\.onnx: error: ")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    return [w.tool("deepseek-compile"),
            w.model("arity.onnx", [helper.make_node("Relu", ["x", "x", "x"], ["y"])], [x], [y]),
            "--emit", "mlir"]


@case("ONNX text syntax error", 1, r"bad\.onnxtxt: error: not valid ONNX textual syntax")
def _(w):
    return [w.tool("deepseek-compile"), w.write("bad.onnxtxt", "<ir_version: 8>\nagraph (float x) => ("),
            "--emit", "mlir"]


@case("ds IR that does not parse", 1, r"bad\.mlir:1:.*error")
def _(w):
    return [w.tool("deepseek-compile"), w.write("bad.mlir", "module { func.func @main( }"),
            "--emit", "obj", "-o", str(w.path("badmlir"))]


@case("a TorchScript archive that crashes libtorch's loader", 1,
      r"crash\.pt: error: (libtorch failed reading this file: its loader was killed by signal 11"
      r"|.*no TorchScript importer)")
def _(w):
    # Found by torchscript_import_fuzzer: libtorch 1.13 dereferences null in
    # its debug-info unpickler. The loader runs in a child process.
    crash = ROOT / "fuzz/regressions/torchscript_import_fuzzer/debug-pkl-null-deref.pt"
    return [w.tool("deepseek-compile"), w.write("crash.pt", crash.read_bytes()), "--emit", "mlir"]


@case("a TorchScript archive claiming 18 GB", 1,
      r"(claims\.pt: error: libtorch could not load the TorchScript model: std::bad_alloc"
      r"|claims\.pt: error: libtorch failed reading this file: its loader exited with status 1"
      r"|.*no TorchScript importer)")
def _(w):
    # Found by torchscript_import_fuzzer: from a 16 KB archive libtorch asked
    # for 9 and 18 GB and paged for 38 s before failing. The child's address
    # space is limited (IsolatedProcess.cpp): the allocation fails at once.
    # (Under ASan, whose operator new reports and exits instead of throwing,
    # the child ends with status 1.)
    bomb = ROOT / "fuzz/regressions/torchscript_import_fuzzer/zip-entry-claims-18gb.pt"
    return [w.tool("deepseek-compile"), w.write("claims.pt", bomb.read_bytes()), "--emit", "mlir"]


@case("5,000 If nodes under 50,000 declared values", 1,
      r"many_if\.onnx: error: 5000 node\(s\) use operators the importer does not support")
def _(w):
    # The checks before libonnx once copied the graph's declarations into
    # every subgraph: 26 s on this 1.8 MB model before its error; 0.5 s since
    # subgraph scopes chain to their parent's (InferencePrechecks.cpp).
    t = helper.make_tensor_value_info
    body = lambda name, out: helper.make_graph(
        [helper.make_node("Identity", ["x"], [out])], name, [], [t(out, TensorProto.FLOAT, [1])])
    cond = helper.make_node("Constant", [], ["c"],
                            value=helper.make_tensor("t", TensorProto.BOOL, [], [True]))
    ifs = [helper.make_node("If", ["c"], [f"y{i}"], then_branch=body("then", "a"),
                            else_branch=body("else", "b")) for i in range(5000)]
    graph = helper.make_graph([cond] + ifs, "g", [t("x", TensorProto.FLOAT, [1])],
                              [t("y0", TensorProto.FLOAT, [1])],
                              value_info=[t(f"v{i}", TensorProto.FLOAT, [1]) for i in range(50000)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return [w.tool("deepseek-compile"), w.write("many_if.onnx", model.SerializeToString()),
            "--emit", "mlir"]


@case("ds IR nested 20000 brackets deep", 1, r"deep\.mlir:2:.*error: brackets nest more than 1000 deep")
def _(w):
    # MLIR's parser recurses per level: this overflowed the stack (SIGSEGV).
    n = 20000
    return [w.tool("deepseek-compile"),
            w.write("deep.mlir", "// crafted\nmodule attributes {x = " + "[" * n + "]" * n + "} {}\n"),
            "--emit", "mlir"]


@case("a TorchScript file that is not a zip archive", 1, r"broken\.pt: error: .*TorchScript")
def _(w):
    return [w.tool("deepseek-compile"), w.write("broken.pt", b"PK\x03\x04" + os.urandom(64)),
            "--emit", "mlir"]


# ---- flags -----------------------------------------------------------------

@case("--input-shape not a number", 2, r"--input-shape 'image=1xAx8x8': 'A' is not a dimension")
def _(w):
    return [w.tool("deepseek-compile"), str(TINY), "--input-shape", "image=1xAx8x8", "--emit", "mlir"]


@case("--input-shape negative", 2, r"'-5' is not a dimension")
def _(w):
    return [w.tool("deepseek-compile"), str(TINY), "--input-shape", "image=-5x1x8x8", "--emit", "mlir"]


@case("--input-shape 2^40 batch", 1, r"tiny_cnn\.onnx: node 'conv1' \(Conv\): error: .* bytes, more than the 1 TiB")
def _(w):
    return [w.tool("deepseek-compile"), str(TINY), "--input-shape", f"image={2**40}x1x8x8",
            "--emit", "exe", "-o", str(w.path("hugebatch"))]


@case("--input-shape past int64", 2, r"is not a dimension")
def _(w):
    return [w.tool("deepseek-compile"), str(TINY), "--input-shape", "image=99999999999999999999x1x8x8",
            "--emit", "mlir"]


@case("unknown flag", 109, r"(The following argument was not expected|not expected)")
def _(w):
    return [w.tool("deepseek-compile"), str(TINY), "--frobnicate"]


# ---- output paths ----------------------------------------------------------

@case("output in a missing folder", 1, r"error: .*(No such file|cannot)")
def _(w):
    return [w.tool("deepseek-compile"), str(TINY), "--input-shape", "image=1x1x8x8",
            "--emit", "obj", "-o", str(w.path("no/such/dir/model"))]


@case("output path is a folder", 1, r"error: ")
def _(w):
    w.path("outdir.o").mkdir(exist_ok=True)
    return [w.tool("deepseek-compile"), str(TINY), "--input-shape", "image=1x1x8x8",
            "--emit", "obj", "-o", str(w.path("outdir"))]


@case("a failing compile leaves the existing output untouched", 1, r"garbage2\.onnx: error",
      untouched="keep.o")
def _(w):
    w.write("keep.o", b"precious")
    return [w.tool("deepseek-compile"), w.write("garbage2.onnx", os.urandom(512)), "--emit", "obj",
            "-o", str(w.path("keep"))]


@case("unwritable output folder", 1, r"error: .*(Permission denied|cannot)")
def _(w):
    d = w.path("ro")
    d.mkdir(exist_ok=True)
    os.chmod(d, 0o555)
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            w.tool("deepseek-compile"), str(TINY), "--input-shape", "image=1x1x8x8", "--emit",
            "mlir", "-o", str(d / "m.mlir")]


# ---- compiled executables --------------------------------------------------

@case("executable: missing input file", 1, r"nothere\.npy: .*(No such file|cannot open)")
def _(w):
    return [w.tiny_exe(), "--input", str(w.path("nothere.npy"))]


@case("executable: .npy whose header claims more data than the file has", 1,
      r"lying\.npy: .*(truncated|short|size|bytes)")
def _(w):
    data = DIGIT.read_bytes()
    header_end = data.index(b"\n") + 1
    header = data[:header_end].replace(b"(1, 1, 8, 8)", b"(1, 1, 8, 9)")
    return [w.tiny_exe(), "--input", w.write("lying.npy", header + data[header_end:])]


@case("executable: truncated .npy", 1, r"cut\.npy: ")
def _(w):
    return [w.tiny_exe(), "--input", w.write("cut.npy", DIGIT.read_bytes()[:100])]


@case("executable: .npy header of absurd dims", 1, r"absurd\.npy: ")
def _(w):
    data = DIGIT.read_bytes()
    header_end = data.index(b"\n") + 1
    header = data[:header_end].replace(b"(1, 1, 8, 8)", b"(1099511627776, 1099511627776, 8, 8)")
    return [w.tiny_exe(), "--input", w.write("absurd.npy", header + data[header_end:])]


@case("executable: .npy with a garbage header", 1, r"junk\.npy: ")
def _(w):
    return [w.tiny_exe(), "--input", w.write("junk.npy", b"\x93NUMPY\x01\x00\x10\x00{garbage    }\n" + b"\0" * 256)]


@case("executable: input of the wrong dtype", 1, r"float64|f8|double")
def _(w):
    return [w.tiny_exe(), "--input", w.npy("f64.npy", np.zeros((1, 1, 8, 8), np.float64))]


@case("executable: input of the wrong shape", 1, r"(shape|dim)")
def _(w):
    return [w.tiny_exe(), "--input", w.npy("shape.npy", np.zeros((1, 1, 8, 7), np.float32))]


@case("executable: too many inputs", 2, r"the model has 1 input, got 2 --input")
def _(w):
    return [w.tiny_exe(), "--input", str(DIGIT), "--input", str(DIGIT)]


@case("executable: garbage .pb input", 1, r"garbage\.pb: ")
def _(w):
    return [w.tiny_exe(), "--input", w.write("garbage.pb", os.urandom(200))]


@case("executable: corrupt .jpg", 1, r"corrupt\.jpg: ")
def _(w):
    return [w.tiny_exe(), "--input", w.write("corrupt.jpg", b"\xff\xd8\xff\xe0" + os.urandom(300))]


# CI's image smoke run: a baseline scan whose AC table was never defined
# (stb 2.27 decoded it with stale heap bytes; fuzz/regressions/image_fuzzer).
@case("executable: JPEG scan with an undefined Huffman table", 1,
      r"undefined\.jpg: cannot read as a JPEG or PNG image: corrupt JPEG \(an invalid Huffman table\)")
def _(w):
    source = ROOT / "fuzz/regressions/image_fuzzer/baseline-scan-undefined-ac-table-index-minus-1.jpg"
    return [w.tiny_exe(), "--input", w.write("undefined.jpg", source.read_bytes())]


# stb 2.27 grew its buffer to the 2 GiB this 58-byte file's IDAT claims.
@case("executable: PNG chunk longer than the file", 1,
      r"claims\.png: cannot read as a JPEG or PNG image: corrupt PNG \(a chunk longer than the file\)")
def _(w):
    source = ROOT / "fuzz/regressions/image_fuzzer/png-idat-claims-2gb.png"
    return [w.tiny_exe(), "--input", w.write("claims.png", source.read_bytes())]


@case("executable: empty .png", 1, r"empty\.png: ")
def _(w):
    return [w.tiny_exe(), "--input", w.write("empty.png", b"")]


@case("executable: unwritable output", 1, r"(Permission denied|cannot)",)
def _(w):
    d = w.path("ro2")
    d.mkdir(exist_ok=True)
    os.chmod(d, 0o555)
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", w.tiny_exe(), "--input",
            str(DIGIT), "--output", str(d / "y.npy")]


@case("executable: a failing run leaves the existing output untouched", 1, r"dim 3 is 7",
      untouched="keep.npy")
def _(w):
    w.write("keep.npy", b"precious")
    return [w.tiny_exe(), "--input", w.npy("shape2.npy", np.zeros((1, 1, 8, 7), np.float32)),
            "--output", str(w.path("keep.npy"))]


@case("executable: the disk fills while writing the output", 1,
      r"keep2\.npy: write failed: File too large", untouched="keep2.npy")
def _(w):
    w.write("keep2.npy", b"precious")
    # A 64-byte file size limit fails the write part way (EFBIG), as a full
    # disk would (ENOSPC); SIGXFSZ ignored so the executable sees the error.
    limit = ("import os, resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
             "resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64)); os.execv(sys.argv[1], sys.argv[1:])")
    return [sys.executable, "-c", limit, w.tiny_exe(), "--input", str(DIGIT),
            "--output", str(w.path("keep2.npy"))]


@case("LSTM weights that do not match the data", 1,
      r"lstm\.onnx: node 'rnn' \(LSTM\): error: W must be 1x16x3 of the data's type, got tensor<1x16x96xf32>")
def _(w):
    # Found by onnx_import_fuzzer: the unrolled cell assumed consistent shapes.
    f = TensorProto.FLOAT
    ins = [helper.make_tensor_value_info("X", f, [1, 3, 3]), helper.make_tensor_value_info("W", f, [1, 16, 96]),
           helper.make_tensor_value_info("R", f, [1, 16, 4])]
    y = helper.make_tensor_value_info("Y", f, [1, 1, 3, 4])
    node = helper.make_node("LSTM", ["X", "W", "R"], ["Y"], name="rnn", hidden_size=4)
    return [w.tool("deepseek-compile"), w.model("lstm.onnx", [node], ins, [y]), "--emit", "mlir"]


@case("Shape of a map", 1,
      r"shape_of_map\.onnx: error: node 'shape' \(Shape\): input 'x' is a map; Shape takes a tensor")
def _(w):
    # Found by onnx_import_fuzzer: libonnx's Shape inference dereferenced null
    # on maps, sequences, optionals and opaque values.
    x = onnx.ValueInfoProto(name="x")
    x.type.map_type.key_type = TensorProto.INT64
    x.type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    y = helper.make_tensor_value_info("y", TensorProto.INT64, [1])
    node = helper.make_node("Shape", ["x"], ["y"], name="shape")
    return [w.tool("deepseek-compile"), w.model("shape_of_map.onnx", [node], [x], [y]), "--emit", "mlir"]


@case("a libonnx crash the pre-checks miss", 1,
      r"hidden_crash\.onnx: error: libonnx failed on this model: its version converter or shape "
      r"inference was killed by signal 11 \(Segmentation fault\)")
def _(w):
    # Shape of a sequence that only inference knows is one (Identity passes it
    # on): libonnx still crashes, in its child process (IsolatedProcess.h).
    x = onnx.ValueInfoProto(name="x")
    x.type.sequence_type.elem_type.tensor_type.elem_type = TensorProto.FLOAT
    y = helper.make_tensor_value_info("y", TensorProto.INT64, [1])
    nodes = [helper.make_node("Identity", ["x"], ["t"], name="copy"),
             helper.make_node("Shape", ["t"], ["y"], name="shape")]
    return [w.tool("deepseek-compile"), w.model("hidden_crash.onnx", nodes, [x], [y], opset=15),
            "--emit", "mlir"]


@case("pooling stride of 0", 1,
      r"stride0\.onnx: error: node 'pool' \(MaxPool\): strides has the value 0")
def _(w):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 8, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 4, 4])
    pool = helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2],
                            strides=[2, 0])
    return [w.tool("deepseek-compile"), w.model("stride0.onnx", [pool], [x], [y]), "--emit", "mlir"]


@case("subgraphs nested 400 deep", 1, r"nested\.onnx: error: ")
def _(w):
    # If -> then_branch -> If -> ...: a recursion bomb for every recursive walk.
    leaf = helper.make_graph([helper.make_node("Identity", ["x"], ["y0"])], "g0", [],
                             [helper.make_tensor_value_info("y0", TensorProto.FLOAT, [1])])
    inner = leaf
    for depth in range(1, 400):
        node = helper.make_node("If", ["c"], [f"y{depth}"], then_branch=inner, else_branch=leaf)
        inner = helper.make_graph([node], f"g{depth}", [],
                                  [helper.make_tensor_value_info(f"y{depth}", TensorProto.FLOAT, [1])])
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    c = helper.make_tensor_value_info("c", TensorProto.BOOL, [])
    top = helper.make_graph(list(inner.node), "top", [x, c], list(inner.output))
    model = helper.make_model(top, opset_imports=[helper.make_opsetid("", 17)])
    w.path("nested.onnx").write_bytes(model.SerializeToString())
    return [w.tool("deepseek-compile"), str(w.path("nested.onnx")), "--emit", "mlir"]


@case("executable: NaN input runs (NaN out, no crash)", 0, r"")
def _(w):
    x = np.full((1, 1, 8, 8), np.nan, np.float32)
    return [w.tiny_exe(), "--input", w.npy("nan.npy", x), "--output", str(w.path("nan_out.npy"))]


# ---- deepseek-optimize -----------------------------------------------------

def calib_dir(w, name, value):
    d = w.path(name)
    d.mkdir(exist_ok=True)
    for i in range(4):
        x = np.random.default_rng(i).standard_normal((1, 1, 8, 8)).astype(np.float32)
        if i == 2:
            x[0, 0, 3, 3] = value
        np.save(d / f"s{i}.npy", x)
    return str(d)


@case("calibration data with NaN", 1, r"(NaN|not finite)")
def _(w):
    return [w.tool("deepseek-optimize"), "--model", str(TINY), "--output", str(w.path("q.onnx")),
            "--quantize", "INT8", "--calibration", calib_dir(w, "calib_nan", np.nan),
            "--input-shape", "image=1x1x8x8"]


@case("calibration data with Inf", 1, r"(Inf|not finite)")
def _(w):
    return [w.tool("deepseek-optimize"), "--model", str(TINY), "--output", str(w.path("q2.onnx")),
            "--quantize", "INT8", "--calibration", calib_dir(w, "calib_inf", np.inf),
            "--input-shape", "image=1x1x8x8"]


@case("empty calibration folder", 2, r"calib_empty.*(no|empty)")
def _(w):
    w.path("calib_empty").mkdir(exist_ok=True)
    return [w.tool("deepseek-optimize"), "--model", str(TINY), "--output", str(w.path("q3.onnx")),
            "--quantize", "INT8", "--calibration", str(w.path("calib_empty"))]


@case("calibration sample of the wrong shape", 1, r"(shape|dim)")
def _(w):
    d = w.path("calib_shape")
    d.mkdir(exist_ok=True)
    np.save(d / "s0.npy", np.zeros((1, 3, 8, 8), np.float32))
    return [w.tool("deepseek-optimize"), "--model", str(TINY), "--output", str(w.path("q4.onnx")),
            "--quantize", "INT8", "--calibration", str(d), "--input-shape", "image=1x1x8x8"]


@case("prune ratio out of range", 2, r"--prune_ratio .*expected 0 <= R < 1")
def _(w):
    return [w.tool("deepseek-optimize"), "--model", str(TINY), "--output", str(w.path("p.onnx")),
            "--prune_ratio", "1.5"]


@case("optimize: output is the input", 2, r"--output is the input model", untouched="same.onnx")
def _(w):
    p = w.path("same.onnx")
    p.write_bytes(TINY.read_bytes())
    return [w.tool("deepseek-optimize"), "--model", str(p), "--output", str(p), "--quantize", "FP16"]


@case("optimize: ds IR as input", 1, r"holds ds IR .*not an ONNX or TorchScript model")
def _(w):
    return [w.tool("deepseek-optimize"), "--model", w.write("m.mlir", "module {}\n"), "--output",
            str(w.path("o.onnx")), "--quantize", "FP16"]


# ---- deepseek-run ----------------------------------------------------------

@case("run: expected output of another shape", 1, r"(shape|got .*expected)")
def _(w):
    return [w.tool("deepseek-run"), str(TINY), "--input-shape", "image=1x1x8x8", "--input",
            str(DIGIT), "--expect", w.npy("wrong_expect.npy", np.zeros((1, 5), np.float32))]


@case("run: input of the wrong dtype", 1, r"(int32|i4|dtype|type)")
def _(w):
    return [w.tool("deepseek-run"), str(TINY), "--input-shape", "image=1x1x8x8", "--input",
            w.npy("i32.npy", np.zeros((1, 1, 8, 8), np.int32))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("-k", default="", help="run only cases whose name contains this")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.chmod(args.work, 0o777)  # the cases run as nobody need to reach their files
    w = Work(args.work.resolve(), args.build.resolve())
    # The compiled model is rebuilt each run: one left by an earlier build
    # would carry that build's runtime.
    w.path("tiny").unlink(missing_ok=True)
    failures = 0
    count = 0
    for name, code, message, untouched, build in CASES:
        if args.k not in name:
            continue
        count += 1
        before = None
        try:
            cmd = build(w)
            if cmd[0] == "setpriv" and os.geteuid() != 0:
                cmd = cmd[4:]  # not root: the permissions already apply to us
            if untouched:
                before = w.path(untouched).read_bytes()
            result = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                                    timeout=300)
        except subprocess.TimeoutExpired:
            print(f"FAIL  {name}: timed out (a hang)")
            failures += 1
            continue
        text = result.stderr + result.stdout
        problems = []
        if result.returncode < 0 or result.returncode >= 128 and result.returncode != code:
            problems.append(f"killed by a signal (status {result.returncode}): a crash")
        elif result.returncode != code:
            problems.append(f"exit {result.returncode}, expected {code}")
        if message and not re.search(message, text):
            problems.append(f"message does not match /{message}/")
        if "Stack dump" in text or "Assertion" in text or "LLVM ERROR" in text:
            problems.append("an internal error escaped (stack dump / assertion)")
        if untouched and w.path(untouched).read_bytes() != before:
            problems.append(f"{untouched} was changed")
        leftovers = sorted(p.name for p in w.root.glob("*.partial*"))
        if leftovers:
            problems.append(f"temporary files left behind: {', '.join(leftovers)}")
            for p in w.root.glob("*.partial*"):
                p.unlink()
        if problems:
            failures += 1
            print(f"FAIL  {name}: {'; '.join(problems)}\n      $ {' '.join(map(str, cmd))}\n"
                  f"      {text.strip()[:600]}")
        else:
            first = text.strip().splitlines()[0][:150] if text.strip() else "(no output)"
            print(f"ok    {name}: exit {result.returncode}: {first}")
    print(f"\n{count - failures} of {count} cases pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
