"""The environment files agree with each other, and Binder (repo2docker) reads what we think it reads.

One source of truth: binder/requirements.txt (pinned, universal) is installed by Binder, by `make lab` and
by the pip section of environment.yml. Each check is a function returning a list of problems, so the
self-tests at the bottom can run it on a deliberately broken copy and show that it fails.
"""

import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_FILES = (
    "pyproject.toml",
    "binder/requirements.in",
    "binder/requirements.txt",
    "binder/runtime.txt",
    "binder/postBuild",
    "binder/start",
    "environment.yml",
    "requirements-test.in",
    "requirements-test.txt",
)

# Where the pins are used: `make lab`/`make test` need Python >= 3.11 on Linux or macOS; Binder is Linux 3.12.
TARGETS = [
    (py, platform)
    for py in ("3.11", "3.12", "3.13")
    for platform in (("linux", "Linux", "x86_64"), ("darwin", "Darwin", "arm64"))
]


def target_env(python: str, platform: tuple[str, str, str]) -> dict[str, str]:
    env = dict(default_environment())
    env.update(
        python_version=python,
        python_full_version=f"{python}.0",
        implementation_name="cpython",
        platform_python_implementation="CPython",
        sys_platform=platform[0],
        platform_system=platform[1],
        platform_machine=platform[2],
        os_name="posix",
    )
    return env


def requirement_lines(path: Path) -> list[str]:
    """Requirement strings of a pip requirements file (comments, `# via` lines, options, hashes removed)."""
    text = path.read_text().replace("\\\n", " ")
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line or line.startswith("-"):
            continue
        line = re.sub(r"\s--hash[= ]\S+", "", line).strip()
        lines.append(line)
    return lines


def parse_requirements(path: Path) -> list[Requirement]:
    reqs = []
    for line in requirement_lines(path):
        try:
            reqs.append(Requirement(line))
        except InvalidRequirement as exc:  # pragma: no cover - reported as a test failure
            raise AssertionError(f"{path.name}: cannot parse requirement {line!r}: {exc}") from exc
    return reqs


def parse_pins(path: Path) -> tuple[dict[str, list[tuple[Version, Requirement]]], list[str]]:
    """name -> [(pinned version, requirement)], plus problems (entries that are not an exact `==` pin)."""
    pins: dict[str, list[tuple[Version, Requirement]]] = defaultdict(list)
    problems = []
    for req in parse_requirements(path):
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
            problems.append(f"{path.name}: {req} is not pinned with == to one version")
            continue
        pins[canonicalize_name(req.name)].append((Version(specs[0].version), req))
    return pins, problems


def pinned_version(pins, name: str, env: dict[str, str]) -> list[Version]:
    """The versions of `name` that apply in `env` (a correct lock file gives exactly one)."""
    return [v for v, req in pins.get(canonicalize_name(name), []) if applies(req, env)]


def applies(req: Requirement, env: dict[str, str]) -> bool:
    return req.marker is None or req.marker.evaluate(env)


def load_toml(path: Path) -> dict:
    import tomllib

    return tomllib.loads(path.read_text())


# ----------------------------------------------------------------------------------------------------
# Checks: each returns a list of human-readable problems (empty = consistent).


def check_lock_file_is_pinned(root: Path, name: str) -> list[str]:
    pins, problems = parse_pins(root / name)
    if not pins:
        problems.append(f"{name}: no pins found")
    for py, plat in TARGETS:
        env = target_env(py, plat)
        for pkg, entries in pins.items():
            live = [v for v, req in entries if applies(req, env)]
            if len(live) > 1:
                problems.append(f"{name}: {pkg} has {len(live)} pins for Python {py} on {plat[0]}: {live}")
    return problems


def check_declared_ranges(root: Path, declared: list[Requirement], source: str) -> list[str]:
    """Every requirement in `declared` is pinned in binder/requirements.txt, inside its declared range."""
    pins, _ = parse_pins(root / "binder/requirements.txt")
    problems = []
    for req in declared:
        for py, plat in TARGETS:
            env = target_env(py, plat)
            if not applies(req, env):
                continue
            versions = pinned_version(pins, req.name, env)
            where = f"Python {py} on {plat[0]}"
            if not versions:
                problems.append(f"{source}: {req.name} is not pinned in binder/requirements.txt for {where}")
            for v in versions:
                if not req.specifier.contains(v, prereleases=True):
                    problems.append(
                        f"{source} declares {req}, but binder/requirements.txt pins {req.name}=={v} ({where})"
                    )
    return sorted(set(problems))


def check_pyproject_dependencies(root: Path) -> list[str]:
    project = load_toml(root / "pyproject.toml")["project"]
    declared = [Requirement(d) for d in project.get("dependencies", [])]
    problems = [] if declared else ["pyproject.toml: [project.dependencies] is empty"]
    return problems + check_declared_ranges(root, declared, "pyproject.toml")


def check_requirements_in(root: Path) -> list[str]:
    declared = parse_requirements(root / "binder/requirements.in")
    problems = [] if declared else ["binder/requirements.in: no requirements found"]
    return problems + check_declared_ranges(root, declared, "binder/requirements.in")


def runtime_python(root: Path) -> str:
    text = (root / "binder/runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+\.\d+)(?:\.\d+)?", text)
    assert m, f"binder/runtime.txt must look like python-3.12, found {text!r}"
    return m.group(1)


def check_environment_yml(root: Path) -> list[str]:
    env = yaml.safe_load((root / "environment.yml").read_text())
    deps = env.get("dependencies") or []
    problems = []
    pythons = [
        d for d in deps if isinstance(d, str) and re.match(r"^python\s*(?:[=<>!~ ]|$)", d.split("::")[-1])
    ]
    runtime = runtime_python(root)
    if len(pythons) != 1:
        problems.append(f"environment.yml: expected one python dependency, found {pythons}")
    else:
        m = re.fullmatch(r"python\s*=?=\s*(\d+\.\d+)(?:\.\*|\.\d+)?", pythons[0].split("::")[-1].strip())
        if not m:
            problems.append(
                f"environment.yml: pin python to one minor version like python=3.12, not {pythons[0]!r}"
            )
        elif m.group(1) != runtime:
            problems.append(
                f"environment.yml has {pythons[0]!r} but binder/runtime.txt says python-{runtime}"
            )
    if "pip" not in deps:
        problems.append("environment.yml: `pip` must be a conda dependency so the pip section works")
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    pip_lines = [str(x).strip() for section in pip_sections for x in (section or [])]
    refs = [
        re.sub(r"^(-r|--requirement)[\s=]*", "", x)
        for x in pip_lines
        if re.match(r"^(-r|--requirement)\b", x)
    ]
    if "binder/requirements.txt" not in [r.removeprefix("./") for r in refs]:
        problems.append(
            f"environment.yml: pip section must contain `-r binder/requirements.txt`, found {pip_lines}"
        )
    if not any(re.fullmatch(r"(-e\s+)?\.(/)?", x) for x in pip_lines):
        problems.append("environment.yml: pip section must install the package itself (`-e .`)")
    other = [d for d in deps if isinstance(d, str) and d not in pythons and d != "pip"]
    if other:
        problems.append(f"environment.yml: conda packages besides python and pip bypass the pins: {other}")
    return problems


def check_test_pins_agree(root: Path) -> list[str]:
    runtime, _ = parse_pins(root / "binder/requirements.txt")
    test, _ = parse_pins(root / "requirements-test.txt")
    problems = []
    shared = sorted(set(runtime) & set(test))
    if not shared:
        problems.append(
            "requirements-test.txt shares no package with binder/requirements.txt (not constrained?)"
        )
    for name in shared:
        for py, plat in TARGETS:
            env = target_env(py, plat)
            a, b = pinned_version(runtime, name, env), pinned_version(test, name, env)
            if a and b and a != b:
                problems.append(
                    f"{name}: binder/requirements.txt pins {a[0]}, requirements-test.txt pins {b[0]} "
                    f"(Python {py} on {plat[0]})"
                )
    if not re.search(
        r"^-c\s+binder/requirements\.txt\s*$", (root / "requirements-test.in").read_text(), re.M
    ):
        problems.append("requirements-test.in must start from `-c binder/requirements.txt`")
    return sorted(set(problems))


def check_requires_python(root: Path) -> list[str]:
    from packaging.specifiers import SpecifierSet

    spec = SpecifierSet(load_toml(root / "pyproject.toml")["project"]["requires-python"])
    runtime = runtime_python(root)
    problems = []
    if not spec.contains(f"{runtime}.0"):
        problems.append(f"binder/runtime.txt python-{runtime} is outside requires-python {spec}")
    if spec.contains("3.10.0"):
        problems.append(
            f"requires-python {spec} admits Python 3.10, which pandas 3 / matplotlib 3.11 do not support"
        )
    return problems


# ----------------------------------------------------------------------------------------------------
# Tests on the real repository.


def assert_ok(problems: list[str]) -> None:
    assert not problems, "\n".join(["environment files disagree:", *problems])


@pytest.mark.parametrize("name", ["binder/requirements.txt", "requirements-test.txt"])
def test_lock_files_are_exact_pins(name):
    assert_ok(check_lock_file_is_pinned(REPO_ROOT, name))


def test_pyproject_dependencies_are_pinned_within_range():
    assert_ok(check_pyproject_dependencies(REPO_ROOT))


def test_requirements_in_names_are_pinned():
    assert_ok(check_requirements_in(REPO_ROOT))


def test_environment_yml_uses_the_pins_and_runtime_python():
    assert_ok(check_environment_yml(REPO_ROOT))


def test_test_requirements_agree_with_runtime_pins():
    assert_ok(check_test_pins_agree(REPO_ROOT))


def test_runtime_python_satisfies_requires_python():
    assert_ok(check_requires_python(REPO_ROOT))


def test_binder_scripts_are_sane():
    post_build = (REPO_ROOT / "binder/postBuild").read_text()
    assert post_build.startswith("#!"), "binder/postBuild needs a shebang line"
    commands = [re.sub(r"#.*$", "", line) for line in post_build.splitlines()[1:]]
    assert not any(re.search(r"\bjupyter\s+lab(extension)?\s+build\b", c) for c in commands), (
        "binder/postBuild must never run `jupyter lab build` (it runs Binder out of memory)"
    )
    assert "write_lab_settings.py" in post_build, "binder/postBuild must write the JupyterLab settings"
    start = (REPO_ROOT / "binder/start").read_text()
    assert re.search(r'^exec "\$@"\s*$', start, re.M), 'binder/start must end with `exec "$@"`'


def repo2docker_dockerfile(root: Path) -> tuple[str, str]:
    """Run `repo2docker --no-build --debug` (offline: no Docker needed) and return (Dockerfile, log)."""
    exe = Path(sys.executable).parent / "repo2docker"
    if not exe.exists():
        exe = shutil.which("repo2docker")
    assert exe, "repo2docker not found: it is pinned in requirements-test.txt (jupyter-repo2docker)"
    proc = subprocess.run(
        [str(exe), "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"repo2docker failed:\n{proc.stderr[-3000:]}"
    assert "FROM " in proc.stdout, f"repo2docker printed no Dockerfile:\n{proc.stdout[:2000]}"
    # Build-script file names are escaped (-2e is ".", -2f is "/"): decode so that versions are readable.
    decoded = re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), proc.stdout)
    return decoded, proc.stderr


def check_dockerfile(dockerfile: str) -> list[str]:
    problems = []
    if not re.search(r"^RUN .*\bpip install\b.*-r \"?binder/requirements\.txt\"?", dockerfile, re.M):
        problems.append("the Dockerfile does not pip-install binder/requirements.txt")
    if not re.search(r"^RUN \./binder/postBuild\s*$", dockerfile, re.M):
        problems.append("the Dockerfile does not run binder/postBuild")
    pythons = set(re.findall(r"environment\.py-(\d+\.\d+)-", dockerfile))
    if pythons != {"3.12"}:
        problems.append(f"the Dockerfile's base environment is for Python {sorted(pythons) or '?'}, not 3.12")
    if not re.search(r"R2D_ENTRYPOINT=.*binder/start", dockerfile):
        problems.append("the Dockerfile does not use binder/start as entrypoint")
    return problems


def test_repo2docker_reads_the_binder_folder():
    dockerfile, log = repo2docker_dockerfile(REPO_ROOT)
    assert_ok(check_dockerfile(dockerfile))
    if "conda environment for python=" in log:
        assert "conda environment for python=3.12" in log, log


# ----------------------------------------------------------------------------------------------------
# Self-tests: each check must fail on a broken copy (a test that cannot fail is a defect).


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    for name in ENV_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, tmp_path / name)
    return tmp_path


def bump_pin(path: Path, name: str, new_version: str) -> None:
    text = path.read_text()
    new, n = re.subn(rf"(?im)^({re.escape(name)})==[^\s;]+", rf"\g<1>=={new_version}", text)
    assert n, f"{name} is not pinned in {path}"
    path.write_text(new)


def test_self_check_consistent_copy_passes(repo_copy):
    assert_ok(check_pyproject_dependencies(repo_copy))
    assert_ok(check_requirements_in(repo_copy))
    assert_ok(check_environment_yml(repo_copy))
    assert_ok(check_test_pins_agree(repo_copy))


def test_self_check_pin_outside_declared_range_fails(repo_copy):
    bump_pin(repo_copy / "binder/requirements.txt", "numpy", "1.26.4")
    assert any("numpy" in p for p in check_pyproject_dependencies(repo_copy))
    assert any("numpy" in p for p in check_requirements_in(repo_copy))


def test_self_check_unpinned_dependency_fails(repo_copy):
    pyproject = repo_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"numpy>=2.0",', '"numpy>=2.0", "not-a-real-dep>=1",'))
    assert any("not-a-real-dep" in p for p in check_pyproject_dependencies(repo_copy))
    req_in = repo_copy / "binder/requirements.in"
    req_in.write_text(req_in.read_text() + "another-missing-package  # comment\n")
    assert any("another-missing-package" in p for p in check_requirements_in(repo_copy))


def test_self_check_test_pin_bumped_in_one_file_fails(repo_copy):
    runtime, _ = parse_pins(repo_copy / "binder/requirements.txt")
    test, _ = parse_pins(repo_copy / "requirements-test.txt")
    name = sorted(set(runtime) & set(test))[0]
    bump_pin(repo_copy / "requirements-test.txt", name, "999.0")
    assert any(p.startswith(f"{name}:") for p in check_test_pins_agree(repo_copy))


def test_self_check_environment_yml_drift_fails(repo_copy):
    (repo_copy / "binder/runtime.txt").write_text("python-3.13\n")
    assert any("runtime.txt" in p for p in check_environment_yml(repo_copy))
    (repo_copy / "binder/runtime.txt").write_text("python-3.12\n")
    env = repo_copy / "environment.yml"
    env.write_text(env.read_text().replace("-r binder/requirements.txt", "-r requirements.txt"))
    assert any("binder/requirements.txt" in p for p in check_environment_yml(repo_copy))


def test_self_check_unpinned_lock_line_fails(repo_copy):
    lock = repo_copy / "binder/requirements.txt"
    lock.write_text(lock.read_text() + "somepackage>=1.0 ; python_version >= '3.11'\n")
    assert any("somepackage" in p for p in check_lock_file_is_pinned(repo_copy, "binder/requirements.txt"))


def test_self_check_parser_handles_markers_comments_and_hashes(tmp_path):
    lock = tmp_path / "r.txt"
    lock.write_text(
        "# header comment\n"
        "--index-url https://example.invalid/simple\n"
        "numpy==2.2.6 ; python_version < '3.12'  # old python\n"
        "    # via pandas\n"
        "numpy==2.4.6 ; python_version >= '3.12' \\\n"
        "    --hash=sha256:0123456789abcdef\n"
        "Jupyter_Lab==4.6.6\n"
    )
    pins, problems = parse_pins(lock)
    assert problems == []
    assert pinned_version(pins, "numpy", target_env("3.11", TARGETS[0][1])) == [Version("2.2.6")]
    assert pinned_version(pins, "numpy", target_env("3.12", TARGETS[0][1])) == [Version("2.4.6")]
    assert pinned_version(pins, "jupyter-lab", target_env("3.12", TARGETS[0][1])) == [Version("4.6.6")]


def test_self_check_dockerfile_check_fails_without_runtime_txt(repo_copy):
    (repo_copy / "binder/runtime.txt").unlink()
    (repo_copy / "binder/postBuild").unlink()
    dockerfile, _ = repo2docker_dockerfile(repo_copy)
    problems = check_dockerfile(dockerfile)
    assert any("3.12" in p for p in problems), problems
    assert any("postBuild" in p for p in problems), problems
