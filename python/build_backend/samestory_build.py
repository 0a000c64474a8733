"""A PEP 517 build backend for `pip install .` without a network.

pip runs build backends in an isolated environment it fills from PyPI; this one needs nothing but
the standard library, CMake and the Debian packages scripts/deps.sh installs, so `pip install .`
works offline. It builds the module with CMake for the interpreter running pip and zips the
package into a wheel by hand (the wheel format is a zip with a dist-info folder).

SAMESTORY_BUILD_DIR reuses an existing build folder (the tests do, to skip a second full build).
"""

import base64
import hashlib
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NAME = "samestory"


def _version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("project(samestory VERSION "):
                return line.split("VERSION ")[1].split()[0].rstrip(")")
    raise RuntimeError("no version in CMakeLists.txt")


def _metadata():
    return "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {NAME}",
        f"Version: {_version()}",
        "Summary: Find the same news story across outlets: copies, shared passages, stories",
        "Requires-Python: >=3.9",
        "Requires-Dist: numpy",
        "Provides-Extra: dask",
        "Requires-Dist: dask[dataframe]; extra == 'dask'",
        "Requires-Dist: distributed; extra == 'dask'",
        "Requires-Dist: pandas; extra == 'dask'",
        "",
    ])


def _tag():
    impl = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{impl}-{impl}-{platform}"


def _build_package():
    build = os.environ.get("SAMESTORY_BUILD_DIR") or os.path.join(ROOT, "build", "pip-wheel")
    if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
        subprocess.run(["cmake", "-S", ROOT, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        "-DSAMESTORY_TESTS=OFF", "-DSAMESTORY_BENCH=OFF", f"-DPython_EXECUTABLE={sys.executable}"],
                       check=True, stdout=sys.stderr)
    subprocess.run(["cmake", "--build", build, "--target", "samestory_python"], check=True, stdout=sys.stderr)
    return os.path.join(build, "python", NAME)


def _dist_info():
    return f"{NAME}-{_version()}.dist-info"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    path = os.path.join(metadata_directory, _dist_info())
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    return _dist_info()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    package = _build_package()
    wheel_name = f"{NAME}-{_version()}-{_tag()}.whl"
    records = []

    def add(zf, arcname, data):
        zf.writestr(arcname, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        records.append(f"{arcname},sha256={digest},{len(data)}")

    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(os.listdir(package)):
            full = os.path.join(package, name)
            if os.path.isfile(full) and not name.endswith(".pyc"):
                with open(full, "rb") as f:
                    add(zf, f"{NAME}/{name}", f.read())
        info = _dist_info()
        add(zf, f"{info}/METADATA", _metadata().encode())
        wheel = f"Wheel-Version: 1.0\nGenerator: samestory_build\nRoot-Is-Purelib: false\nTag: {_tag()}\n"
        add(zf, f"{info}/WHEEL", wheel.encode())
        records.append(f"{info}/RECORD,,")
        zf.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    base = f"{NAME}-{_version()}"
    with tarfile.open(os.path.join(sdist_directory, base + ".tar.gz"), "w:gz") as tar:
        for name in files:
            tar.add(os.path.join(ROOT, name), arcname=f"{base}/{name}")
    return base + ".tar.gz"
