// Issue 9, item 2: the backend's requirements go into every manifest the deploy actually installs from. The detector
// reads Dockerfiles, render.yaml, Procfiles, workflows... (nothing is run); the bin runs check what a run then writes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dockerInstructions, findDeployInstalls, type DeployInstall } from "../../generators/lib/detect/deploy-installs.js";
import { shellCommands } from "../../generators/lib/detect/shell-commands.js";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeFixture(root);
});
const fixture = (files: Record<string, string>) => {
  const root = makeFixture(files);
  roots.push(root);
  return root;
};
/** The findings without their command ids (a counter), for comparisons. */
const scan = (files: Record<string, string>, backend = "backend") => {
  const found = findDeployInstalls(fixture(files), backend);
  return { ...found, installs: found.installs.map(({ commandId: _, ...rest }) => rest) };
};
const REQS = "fastapi>=0.115\nuvicorn\n";

describe("the deploy-install detector", () => {
  it("follows a Dockerfile's WORKDIR and COPY to the requirements file it installs", () => {
    const { installs } = scan({
      "backend/requirements.txt": REQS,
      "backend/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
    });
    expect(installs).toEqual([
      { file: "backend/Dockerfile", line: 4, kind: "requirements", command: "pip install --no-cache-dir -r requirements.txt", dir: "/app", requirementsFile: "backend/requirements.txt" },
    ]);
  });

  it("reads a multi-line RUN: continuations, a comment inside, && chains, each install at its own line", () => {
    const dockerfile = [
      "FROM python:3.11",
      "WORKDIR /srv/api",
      "COPY ./requirements.txt /srv/api/requirements.txt",
      "RUN apt-get update \\",
      "    # build tools for wheels",
      "    && python -m pip install --upgrade pip setuptools \\",
      "    && pip install \\",
      "         -r requirements.txt \\",
      "    && rm -rf /var/lib/apt/lists/*",
    ].join("\n");
    const { installs } = scan({ "backend/requirements.txt": REQS, "backend/Dockerfile": dockerfile });
    // Upgrading pip and setuptools installs no dependency of the app.
    expect(installs).toEqual([
      { file: "backend/Dockerfile", line: 7, kind: "requirements", command: "pip install -r requirements.txt", dir: "/srv/api", requirementsFile: "backend/requirements.txt" },
    ]);
    expect(dockerInstructions(dockerfile).map((i) => [i.keyword, i.line])).toEqual([["FROM", 1], ["WORKDIR", 2], ["COPY", 3], ["RUN", 4]]);
  });

  it("follows a root Dockerfile's COPY of the backend folder, a bind mount, and names a path no COPY explains", () => {
    const { installs } = scan({
      "backend/requirements.txt": REQS,
      "backend/requirements-prod.txt": "-r requirements.txt\ngunicorn\n",
      "Dockerfile.api": [
        "FROM python:3.12 AS build",
        "WORKDIR /code",
        "COPY backend/ ./",
        "RUN pip install -r requirements-prod.txt",
        "FROM build",
        "RUN --mount=type=cache,target=/root/.cache/pip \\",
        "    --mount=type=bind,source=backend/requirements.txt,target=/tmp/req.txt \\",
        "    python -m pip install -r /tmp/req.txt",
        'RUN ["pip", "install", "-r", "/opt/other.txt"]',
      ].join("\n"),
    });
    expect(installs.map((i) => [i.line, i.requirementsFile ?? i.unresolved])).toEqual([
      [4, "backend/requirements-prod.txt"],
      [8, "backend/requirements.txt"],
      [9, { given: "/opt/other.txt", reason: "no COPY puts /opt/other.txt in the image" }],
    ]);
  });

  it("knows `pip install .` of the folder a COPY put in the image", () => {
    const { installs } = scan({ "backend/pyproject.toml": "[project]\nname = 'api'\n", "backend/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n" });
    expect(installs).toMatchObject([{ line: 4, kind: "project", projectDir: "backend" }]);
    // The bundled example's way: uv reads the pyproject.toml itself.
    const example = scan({ "backend/pyproject.toml": "[project]\nname = 'api'\n", "backend/Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\nCOPY pyproject.toml .\nRUN uv pip install --system -r pyproject.toml\n" });
    expect(example.installs).toMatchObject([{ line: 4, kind: "project", projectDir: "backend" }]);
  });

  it("finds an inline package list, and a tool that installs its lockfile", () => {
    const { installs } = scan({
      "backend/Dockerfile": 'FROM python:3.12\nRUN pip install fastapi "uvicorn[standard]" \\\n    sqlmodel\nRUN uv sync --frozen --no-dev\nRUN poetry install --no-root\n',
    });
    expect(installs.map((i) => [i.line, i.kind, i.packages ?? i.frozen])).toEqual([
      [2, "packages", ["fastapi", "uvicorn[standard]", "sqlmodel"]],
      [4, "uv-sync", true],
      [5, "poetry-install", true],
    ]);
  });

  it("reads render.yaml: the build command runs in the service's rootDir, a block script line by line", () => {
    const { installs } = scan({
      "backend/requirements.txt": REQS,
      "backend/requirements-render.txt": REQS,
      "render.yaml": [
        "services:",
        "  - type: web",
        "    name: api",
        "    runtime: python",
        "    rootDir: backend",
        "    buildCommand: pip install -r requirements.txt",
        "    startCommand: uvicorn main:app --host 0.0.0.0 --port $PORT",
        "  - type: worker",
        "    name: jobs",
        "    runtime: python",
        "    buildCommand: |",
        "      echo building",
        "      cd backend && pip install -r requirements-render.txt",
      ].join("\n"),
    });
    expect(installs).toEqual([
      { file: "render.yaml", line: 6, kind: "requirements", command: "pip install -r requirements.txt", dir: "backend", requirementsFile: "backend/requirements.txt" },
      { file: "render.yaml", line: 13, kind: "requirements", command: "pip install -r requirements-render.txt", dir: "backend", requirementsFile: "backend/requirements-render.txt" },
    ]);
  });

  it("reads a GitHub workflow step in its working-directory, and names a file that does not exist", () => {
    const { installs } = scan({
      "backend/requirements.txt": REQS,
      ".github/workflows/test.yml": [
        "name: test",
        "on: [push]",
        "jobs:",
        "  api:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - name: Install",
        "        working-directory: ./backend",
        "        run: |",
        "          python -m pip install --upgrade pip",
        "          pip install -r requirements.txt -r requirements-dev.txt",
      ].join("\n"),
    });
    expect(installs.map((i) => [i.file, i.line, i.requirementsFile ?? i.unresolved?.reason])).toEqual([
      [".github/workflows/test.yml", 12, "backend/requirements.txt"],
      [".github/workflows/test.yml", 12, "backend/requirements-dev.txt does not exist"],
    ]);
  });

  it("a Procfile runs no install itself; its buildpack installs the requirements.txt beside it", () => {
    expect(scan({ "backend/Procfile": "web: uvicorn main:app --host 0.0.0.0 --port $PORT\n" }).installs).toEqual([]);
    const { installs } = scan({ "backend/Procfile": "web: uvicorn main:app --port $PORT\n", "backend/requirements.txt": REQS });
    expect(installs).toMatchObject([{ file: "backend/Procfile", kind: "requirements", requirementsFile: "backend/requirements.txt", implicit: true }]);
  });

  it("reads vercel.json and railway.toml commands from their own folder", () => {
    const { installs } = scan({
      "backend/requirements.txt": REQS,
      "vercel.json": JSON.stringify({ installCommand: "pip install -r backend/requirements.txt" }, null, 2),
      "backend/railway.toml": '[build]\nbuildCommand = "pip install fastapi uvicorn"\n',
    });
    expect(installs.map((i: Omit<DeployInstall, "commandId">) => [i.file, i.line, i.kind, i.requirementsFile ?? i.packages])).toEqual([
      ["backend/railway.toml", 2, "packages", ["fastapi", "uvicorn"]],
      ["vercel.json", 2, "requirements", "backend/requirements.txt"],
    ]);
  });

  it("a render.yaml that is not YAML is a problem at its line, not an error: the other files are still read", () => {
    const found = scan({
      "backend/requirements.txt": REQS,
      "render.yaml": "services:\n  - type: web\n    buildCommand: pip install -r requirements.txt\n   rootDir: [backend\n",
      "backend/Dockerfile": "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n",
    });
    expect(found.problems).toEqual([{ file: "render.yaml", line: expect.any(Number), reason: expect.stringMatching(/^not valid YAML/) }]);
    expect(found.installs.map((i) => i.file)).toEqual(["backend/Dockerfile"]);
  });

  it("splits shell commands at operators and keeps quoted words whole", () => {
    const commands = shellCommands(`cd api && pip install "a b" 'c' 2>&1 | tee log; echo $HOME`);
    expect(commands.map((c) => c.words)).toEqual([["cd", "api"], ["pip", "install", "a b", "c"], ["tee", "log"], ["echo", "$HOME"]]);
    expect(commands[3].dynamic).toEqual([false, true]);
  });
});

// ---------------------------------------------------------------- through the bin

const DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\"]\n";
const HASHED = [
  "fastapi==0.115.0 \\",
  "    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000001",
  "uvicorn==0.30.0 \\",
  "    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000002",
  "",
].join("\n");

async function runAuth(root: string) {
  const run = await runBin(["auth", "--cwd", root, "--yes", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { warnings: string[]; nextSteps: string[]; files: Array<{ path: string; status: string }> };
}
const read = (root: string, rel: string) => readFileSync(path.join(root, rel), "utf8");

describe("a run with deploy files", () => {
  it("gives pyjwt to pyproject.toml and to the requirements.txt the Dockerfile installs, records it, and a second run changes nothing", async () => {
    const workflow = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd backend && pip install -r requirements-dev.txt\n";
    const root = fixture({
      ...SMALL_MONOREPO,
      "backend/requirements.txt": "fastapi>=0.115\nuvicorn[standard]  # server\n",
      "backend/requirements-dev.txt": "-r requirements.txt\npytest\n",
      "backend/Dockerfile": DOCKERFILE,
      ".github/workflows/test.yml": workflow,
    });
    const result = await runAuth(root);
    expect(read(root, "backend/pyproject.toml")).toContain('"pyjwt[crypto]>=2.14",');
    expect(read(root, "backend/requirements.txt")).toBe("fastapi>=0.115\nuvicorn[standard]  # server\npyjwt[crypto]>=2.14\npython-dotenv>=1.0\n");
    expect(read(root, "backend/Dockerfile")).toBe(DOCKERFILE);
    // CI installs requirements-dev.txt, which includes requirements.txt: it has them through that file.
    expect(read(root, "backend/requirements-dev.txt")).toBe("-r requirements.txt\npytest\n");
    expect(result.files).toContainEqual({ path: "backend/requirements.txt", status: "modified" });
    expect(JSON.parse(read(root, ".auth-integrator.json")).added["backend/requirements.txt"]).toEqual({ pyjwt: "pyjwt[crypto]>=2.14", "python-dotenv": "python-dotenv>=1.0" });
    expect(result.warnings.join("\n")).not.toMatch(/Dockerfile/);

    const before = snapshotTree(root);
    const again = await runBin(["auth", "--cwd", root, "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Nothing to do");
    expect(snapshotTree(root)).toEqual(before);
  });

  it("leaves a hashed requirements.txt alone and names the command that regenerates it; its .in source gets the packages", async () => {
    const root = fixture({ ...SMALL_MONOREPO, "backend/requirements.txt": HASHED, "backend/requirements.in": "fastapi\nuvicorn\n", "backend/Dockerfile": DOCKERFILE });
    const result = await runAuth(root);
    expect(read(root, "backend/requirements.txt")).toBe(HASHED);
    expect(read(root, "backend/requirements.in")).toBe("fastapi\nuvicorn\npyjwt[crypto]>=2.14\npython-dotenv>=1.0\n");
    const step = result.nextSteps.find((s) => s.includes("backend/requirements.txt"));
    expect(step).toContain("(cd backend && pip-compile --generate-hashes requirements.in)");
    expect(step).toContain("installed by backend/Dockerfile:4");
    // Regenerating comes before the install that reads it.
    expect(result.nextSteps.indexOf(step!)).toBeLessThan(result.nextSteps.findIndex((s) => s.startsWith("Install:")));
  });

  it("a hashed requirements.txt without a source: the next step says to regenerate it with the tool that made it", async () => {
    const root = fixture({ ...SMALL_MONOREPO, "backend/requirements.txt": HASHED, "backend/Dockerfile": DOCKERFILE });
    const result = await runAuth(root);
    expect(read(root, "backend/requirements.txt")).toBe(HASHED);
    expect(result.nextSteps.join("\n")).toMatch(/Regenerate backend\/requirements\.txt .*the tool that made it/);
  });

  it("uv.lock is never edited: the next steps say uv lock in the backend folder, naming the frozen install", async () => {
    const lock = 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "fastapi"\nversion = "0.115.0"\n';
    const root = fixture({ ...SMALL_MONOREPO, "backend/uv.lock": lock, "backend/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n" });
    const result = await runAuth(root);
    expect(read(root, "backend/uv.lock")).toBe(lock);
    expect(result.nextSteps[0]).toMatch(/^Update backend\/uv\.lock, which lacks pyjwt, python-dotenv, and commit it: \(cd backend && uv lock\); backend\/Dockerfile:4 installs only what it holds$/);
  });

  it("poetry.lock is never edited: Poetry 1.x's gets poetry lock --no-update", async () => {
    const lock = '# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n[[package]]\nname = "fastapi"\nversion = "0.115.0"\n';
    const pyproject = '[tool.poetry]\nname = "api"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.115"\nsqlmodel = "*"\n';
    const root = fixture({ ...SMALL_MONOREPO, "backend/pyproject.toml": pyproject, "backend/poetry.lock": lock });
    const result = await runAuth(root);
    expect(read(root, "backend/poetry.lock")).toBe(lock);
    expect(result.nextSteps[0]).toBe("Update backend/poetry.lock, which lacks pyjwt, python-dotenv, and commit it: (cd backend && poetry lock --no-update)");
  });

  it("an inline pip install is not edited: a warning names file:line and the packages to append", async () => {
    const dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir fastapi uvicorn sqlmodel\n";
    const root = fixture({ ...SMALL_MONOREPO, "backend/Dockerfile": dockerfile });
    const result = await runAuth(root);
    expect(read(root, "backend/Dockerfile")).toBe(dockerfile);
    expect(result.warnings).toContainEqual(
      "backend/Dockerfile:4: `pip install --no-cache-dir fastapi uvicorn sqlmodel` installs the backend's packages inline, which auth-integrator does not edit: append 'pyjwt[crypto]>=2.14' 'python-dotenv>=1.0' to it",
    );
  });

  it("render.yaml's rootDir requirements get the packages; a render.yaml that is not YAML is a warning at its line, and the run goes on", async () => {
    const render = "services:\n  - type: web\n    name: api\n    runtime: python\n    rootDir: backend\n    buildCommand: pip install -r requirements.txt\n";
    const root = fixture({ ...SMALL_MONOREPO, "backend/requirements.txt": "fastapi\n", "render.yaml": render });
    await runAuth(root);
    expect(read(root, "backend/requirements.txt")).toBe("fastapi\npyjwt[crypto]>=2.14\npython-dotenv>=1.0\n");

    const broken = fixture({ ...SMALL_MONOREPO, "render.yaml": "services:\n  - type: web\n    buildCommand: pip install -r requirements.txt\n   rootDir: [backend\n" });
    const result = await runAuth(broken);
    expect(result.warnings.find((w) => w.startsWith("render.yaml:"))).toMatch(/^render\.yaml:\d+: not valid YAML: .*; the Python installs it runs were not checked: make sure they install 'pyjwt\[crypto\]>=2\.14' 'python-dotenv>=1\.0'$/);
  });
});
