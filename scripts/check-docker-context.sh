#!/usr/bin/env bash
# Builds the Docker image's build stage without a Docker engine, so that a
# Dockerfile missing a file cargo needs, or a .dockerignore that leaves one
# out, fails CI instead of `docker compose up --build`:
#
#   1. the build context: the files of this clone that .dockerignore lets in
#      (Docker's rules: patterns in order, the last match wins, `!` lets a path
#      back in, a match on a directory covers everything under it);
#   2. the stage the final image copies its binary from, replayed in
#      target/docker-context/root (standing for the image's /): WORKDIR, ENV,
#      each COPY from the context (directories copied by content, files'
#      times kept as Docker keeps them) and each RUN with /bin/sh in the
#      working directory;
#   3. every COPY from the context in the other stages must find its source.
#
#   scripts/check-docker-context.sh           # RUN's `cargo build` runs as `cargo check`
#   scripts/check-docker-context.sh --build   # RUN lines exactly as written
#
# `cargo check` reads the same files as `cargo build` (manifests, sources,
# templates and migrations embedded by macros, build scripts) without
# generating code, in a fraction of the time; with it, the script also checks
# that the last compilation of the package read its real sources, not the
# dependency layer's stubs. The stage's target directory is kept between runs,
# inside the clone, like Docker's cached layers.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
mode=check
case "${1:-}" in
  "") ;;
  --build) mode=build ;;
  *) echo "usage: $0 [--build]" >&2; exit 2 ;;
esac

python3 - "$mode" "$PWD" "$PWD/target/docker-context" <<'PYTHON'
import json, os, re, shlex, shutil, subprocess, sys, time

mode, context, scratch = sys.argv[1], sys.argv[2], sys.argv[3]
root = os.path.join(scratch, "root")


def fail(message):
    sys.exit(f"docker context check: {message}")


# --- .dockerignore -----------------------------------------------------------
def ignore_patterns():
    path = os.path.join(context, ".dockerignore")
    patterns = []
    if not os.path.exists(path):
        return patterns
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:].strip()
        line = os.path.normpath(line).lstrip("/")
        if line in ("", "."):
            continue
        patterns.append((negated, line, re.compile(glob_regex(line))))
    return patterns


def glob_regex(pattern):
    """Go's filepath.Match, plus `**` for any number of directories."""
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
            continue
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                fail(f"unclosed [ in .dockerignore pattern {pattern!r}")
            body = pattern[i + 1 : end]
            if body.startswith("^"):
                body = "!" + body[1:]
            out += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
            i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return "^" + out + "$"


def excluded(relpath, patterns):
    parts = relpath.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for negated, _, regex in patterns:
        if any(regex.match(p) for p in prefixes):
            result = not negated
    return result


def may_let_back_in(directory, patterns):
    """Whether a `!` pattern could let in something under an excluded directory."""
    for negated, text, _ in patterns:
        if not negated:
            continue
        literal = re.split(r"[*?\[\\]", text, maxsplit=1)[0]
        if literal != text and "/" not in literal:
            return True  # starts with a wildcard: may match anywhere
        if literal.startswith(directory + "/"):
            return True
    return False


def build_context():
    patterns = ignore_patterns()
    files = set()
    for dirpath, dirnames, filenames in os.walk(context):
        rel = os.path.relpath(dirpath, context)
        rel = "" if rel == "." else rel
        keep = []
        for d in dirnames:
            sub = f"{rel}/{d}" if rel else d
            if excluded(sub, patterns) and not may_let_back_in(sub, patterns):
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in filenames:
            sub = f"{rel}/{f}" if rel else f
            if not excluded(sub, patterns):
                files.add(sub)
    return files


# --- Dockerfile ----------------------------------------------------------------
def instructions():
    lines = open(os.path.join(context, "Dockerfile"), encoding="utf-8").read().splitlines()
    out, current = [], ""
    for line in lines:
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        keyword, _, rest = current.strip().partition(" ")
        out.append((keyword.upper(), rest.strip()))
        current = ""
    return out


def stages(steps):
    result = []
    for keyword, rest in steps:
        if keyword == "FROM":
            words = rest.split()
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else str(len(result))
            result.append((name, []))
        elif result:
            result[-1][1].append((keyword, rest))
    return result


def copy_args(rest):
    words = json.loads(rest) if rest.startswith("[") else shlex.split(rest)
    flags = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    source_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
    return source_stage, paths[:-1], paths[-1]


def context_sources(pattern, files):
    pattern = os.path.normpath(pattern).lstrip("/")
    if pattern == ".":
        return sorted(files)
    regex = re.compile(glob_regex(pattern))
    found = sorted(f for f in files if regex.match(f) or any(
        regex.match("/".join(f.split("/")[: n + 1])) for n in range(f.count("/"))))
    return found


def image_path(path, workdir):
    path = path if path.startswith("/") else os.path.join(workdir, path)
    return os.path.join(root, os.path.normpath(path).lstrip("/"))


def replay_copy(sources, dest, workdir, files):
    target = image_path(dest, workdir)
    into_directory = dest.endswith("/") or len(sources) > 1
    for source in sources:
        matched = context_sources(source, files)
        if not matched:
            fail(f"COPY {source}: not in the build context (missing, or left out by .dockerignore)")
        base = os.path.normpath(source).lstrip("/")
        is_directory = any(m != base for m in matched)
        for m in matched:
            if is_directory:
                destination = os.path.join(target, os.path.relpath(m, base))
            elif into_directory:
                destination = os.path.join(target, os.path.basename(m))
            else:
                destination = target
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            shutil.copy2(os.path.join(context, m), destination)


def main():
    files = build_context()
    all_stages = stages(instructions())
    if not all_stages:
        fail("no FROM in the Dockerfile")
    final_name, final_steps = all_stages[-1]
    wanted = [copy_args(rest) for keyword, rest in final_steps if keyword == "COPY"]
    from_stage = [(s, src) for s, src, _ in wanted if s]
    if not from_stage:
        fail("the final stage copies nothing from a build stage")
    build_name = from_stage[0][0]
    build_steps = dict(all_stages).get(build_name)
    if build_steps is None:
        fail(f"no stage named {build_name}")

    for name, steps in all_stages:
        for keyword, rest in steps:
            if keyword == "COPY":
                stage, sources, _ = copy_args(rest)
                for source in sources if stage is None else []:
                    if not context_sources(source, files):
                        fail(f"stage {name}: COPY {source}: not in the build context")

    # The stage builds in its own target directory, as in the image.
    env = {k: v for k, v in os.environ.items() if k not in ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR")}
    fresh_root(build_steps)
    run_started = time.time()
    workdir = "/"
    for keyword, rest in build_steps:
        if keyword == "WORKDIR":
            workdir = os.path.join(workdir, rest)
            os.makedirs(image_path(".", workdir), exist_ok=True)
        elif keyword == "ENV":
            words = shlex.split(rest)
            if words and "=" not in words[0]:
                env[words[0]] = " ".join(words[1:])
            else:
                env.update(w.split("=", 1) for w in words)
        elif keyword == "COPY":
            stage, sources, dest = copy_args(rest)
            if stage is not None:
                fail(f"COPY --from in the build stage is not replayed: {rest}")
            print(f"-- COPY {rest}", flush=True)
            replay_copy(sources, dest, workdir, files)
        elif keyword == "RUN":
            command = rest
            if mode == "check":
                command = re.sub(r"\bcargo build\b", "cargo check", command)
            print(f"-- RUN {command}", flush=True)
            status = subprocess.run(["/bin/sh", "-c", command], cwd=image_path(".", workdir), env=env).returncode
            if status != 0:
                fail(f"RUN {command} exited with {status}")
        else:
            print(f"-- {keyword} is not replayed", flush=True)

    for stage, sources in from_stage:
        for source in sources if stage == build_name else []:
            produced = image_path(source, workdir)
            if mode == "build":
                if not os.path.exists(produced):
                    fail(f"the final stage copies {source}, which the build stage did not produce")
            else:
                check_real_sources_compiled(os.path.dirname(produced), run_started)
    print(f"docker context check ({mode}): {len(files)} files in the context, stage {build_name} built")


def fresh_root(build_steps):
    """Everything starts afresh but the stage's target directory, kept like a
    cached layer."""
    workdir = "/"
    for keyword, rest in build_steps:
        if keyword == "WORKDIR":
            workdir = os.path.join(workdir, rest)
            break
    target = os.path.join(image_path(".", workdir), "target")
    parked = os.path.join(scratch, "target-kept")
    if os.path.isdir(target):
        shutil.rmtree(parked, ignore_errors=True)
        os.rename(target, parked)
    shutil.rmtree(root, ignore_errors=True)
    if os.path.isdir(parked):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.rename(parked, target)


def check_real_sources_compiled(release_dir, since):
    """The stage's last compilation of the package read more than its stubs."""
    deps = os.path.join(release_dir, "deps")
    name = re.search(r'^name\s*=\s*"([^"]+)"', open(os.path.join(context, "Cargo.toml")).read(), re.M).group(1)
    listed = set()
    for f in os.listdir(deps) if os.path.isdir(deps) else []:
        path = os.path.join(deps, f)
        if f.startswith(name.replace("-", "_") + "-") and f.endswith(".d") and os.path.getmtime(path) >= since:
            for line in open(path):
                # One line `file:` per file read, relative or absolute.
                if line.rstrip().endswith(".rs:"):
                    listed.add("/" + line.rstrip()[:-1])
    sources = {p.rsplit("/src/", 1)[-1] for p in listed if "/src/" in p}
    if not sources - {"lib.rs", "main.rs"}:
        fail("the last compilation read only the stub sources: are the copied files older than the stubs?")


main()
PYTHON
echo "docker context check took $((SECONDS - started)) s"
