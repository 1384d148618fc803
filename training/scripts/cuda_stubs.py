"""Generate no-op stand-ins for the CUDA shared libraries a PyPI torch wheel links against.

Why: PyPI's Linux torch wheel is built with CUDA and lists ~3 GB of nvidia-* wheels as
dependencies. libtorch_cpu.so itself has DT_NEEDED entries on libcudart/libcupti, so
`pip install torch --no-deps` cannot even be imported. On a CPU-only machine none of those
functions is ever called except the device probes, so tiny stub libraries with the same
sonames and symbol versions let the real CPU kernels load. Every stub function reports
failure (cudaErrorNoDevice for device counting, an error code elsewhere), so torch sees
"no GPU" and stays on CPU. Never used when a GPU is present (venv.sh installs the real deps).

Usage: python cuda_stubs.py <site-packages>/torch
Writes lib<soname> stubs into <torch>/lib (on the wheel's $ORIGIN rpath). Needs readelf + cc.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

SYSTEM_PREFIXES = (
    "libc.so",
    "libm.so",
    "libdl.so",
    "libpthread.so",
    "librt.so",
    "ld-linux",
    "libstdc++.so",
    "libgcc_s.so",
    "libgomp.so",
    "libutil.so",
)
SYM_RE = re.compile(r"^\s*\d+:\s+[0-9a-f]+\s+(\d+)\s+(\w+)\s+(\w+)\s+\w+\s+(\S+)\s+(\S+)")


def readelf(args: list[str], path: Path) -> str:
    return subprocess.run(["readelf", "-W", *args, str(path)], check=True, capture_output=True, text=True).stdout


def main(torch_dir: Path) -> None:
    lib_dir = torch_dir / "lib"
    elves = sorted(lib_dir.glob("*.so*")) + sorted(torch_dir.glob("_C*.so"))
    elves = [e for e in elves if not e.name.startswith("libseqlane_stub")]
    present = {p.name for p in lib_dir.iterdir()}
    defined: set[str] = set()
    needed: set[str] = set()
    versioned: dict[str, dict[str, str]] = defaultdict(dict)  # version -> symbol -> FUNC/OBJECT
    version_file: dict[str, str] = {}  # version name -> soname that must define it
    unversioned: dict[str, str] = {}
    for elf in elves:
        for line in readelf(["-d"], elf).splitlines():
            m = re.search(r"\(NEEDED\).*\[(.+)\]", line)
            if m:
                needed.add(m.group(1))
        current = ""
        for line in readelf(["-V"], elf).splitlines():
            m = re.search(r"File: (\S+)", line)
            if m:
                current = m.group(1)
            m = re.search(r"Name: (\S+)", line)
            if m and current:
                version_file[m.group(1)] = current
        for line in readelf(["--dyn-syms"], elf).splitlines():
            m = SYM_RE.match(line)
            if not m:
                continue
            _size, kind, bind, ndx, name = m.groups()
            name = name.split(" ")[0]
            if ndx != "UND":
                defined.add(name.split("@")[0])
                continue
            if bind == "WEAK" or not name:
                continue
            base, _, ver = name.partition("@")
            kind = "OBJECT" if kind == "OBJECT" else "FUNC"
            if ver:
                versioned[ver][base] = kind
            else:
                unversioned[base] = kind
    missing = sorted(n for n in needed if n not in present and not n.startswith(SYSTEM_PREFIXES) and not _system_has(n))
    if not missing:
        print("cuda_stubs: every needed library is present; nothing to do")
        return
    # Unversioned undefined symbols that no torch library defines must come from the missing
    # (unversioned-export) CUDA libraries: cudnn, nccl, cufile, cusparseLt, nvshmem.
    orphans = {s: k for s, k in unversioned.items() if s not in defined and _is_cuda_symbol(s)}
    host = missing[0]
    for soname in missing:
        versions = sorted(v for v, f in version_file.items() if f == soname)
        symbols: dict[str, str] = {}
        for v in versions:
            symbols.update(versioned.get(v, {}))
        if soname == host:
            symbols.update(orphans)
        _build(lib_dir / soname, soname, versions, symbols)
    print(f"cuda_stubs: wrote {len(missing)} stub libraries: {' '.join(missing)}")


def _system_has(soname: str) -> bool:
    out = subprocess.run(["ldconfig", "-p"], check=False, capture_output=True, text=True).stdout
    return f"{soname} " in out


def _is_cuda_symbol(name: str) -> bool:
    return bool(
        re.match(r"^_*(cu|nccl|nvshmem|nvrtc|nvJit|cusparseLt|cupti|cublas|cudnn|CUDA)", name, re.IGNORECASE)
    ) or name.startswith(("__cuda", "__fatbinwrap"))


def _build(out: Path, soname: str, versions: list[str], symbols: dict[str, str]) -> None:
    lines = ['static const char msg[] = "CUDA is not available (seqlane CPU stub)";', "typedef long L;"]
    for name, kind in sorted(symbols.items()):
        if kind == "OBJECT":
            lines.append(f"char {name}[256];")
        elif name in ("cudaGetDeviceCount", "cuDeviceGetCount"):
            lines.append(f"int {name}(int* n) {{ if (n) *n = 0; return 100; }}")
        elif re.search(r"ErrorString|GetErrorName|GetString|GetErrorStr", name):
            lines.append(f"const char* {name}(L a) {{ (void)a; return msg; }}")
        else:
            lines.append(f"L {name}(void) {{ return 100; }}")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stub.c"
        src.write_text("\n".join(lines) + "\n")
        cmd = ["cc", "-shared", "-fPIC", "-O0", "-w", f"-Wl,-soname,{soname}", "-o", str(out), str(src)]
        if versions:
            # one version node per needed version; all symbols bound to the first is enough
            # because ld.so checks only that each needed version node exists in the file.
            script = Path(tmp) / "ver.map"
            body = [f"{versions[0]} {{ global: *; }};"] + [f"{v} {{ }};" for v in versions[1:]]
            script.write_text("\n".join(body) + "\n")
            cmd.insert(-1, f"-Wl,--version-script={script}")
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
