import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { detectComposeFile } from "../../lib/detect/compose-file.js";
import { joinRel } from "../../lib/detect/paths.js";
import { composeEnvironment, findComposeServices } from "../../lib/editors/compose.js";
import { parseEnv } from "../../lib/editors/env.js";
import { UserInputError } from "../../lib/errors.js";
import { isObject, parseJsonObject, type JsonObject } from "../../lib/formats/json.js";
import { lazyModule } from "../../lib/lazy-module.js";
import { decodeFile, normalizeText } from "../../lib/text-style.js";
import { MANIFEST_PATH } from "../../lib/tree.js";
import type { SecretMode } from "../../lib/types.js";

const yaml = lazyModule<typeof import("yaml")>("yaml");

/** The manifest's parts doctor reads (see generators/lib/tree.ts). */
export interface DoctorManifest {
  answers: Record<string, string>;
  /** Generated files → content hash. */
  files: Record<string, string>;
}

/** One compose service the frontend or backend is built by, with the environment compose gives it. */
export interface ComposeService {
  name: string;
  env: Map<string, string>;
  /** True when the service also reads an `env_file`: a variable missing from `environment` may come from there. */
  hasEnvFile: boolean;
}

export interface ComposeInfo {
  file: string;
  frontend: ComposeService | null;
  backend: ComposeService | null;
}

/** Where the secret mode was read from, in the order doctor tries them. */
export interface ModeInfo {
  value: SecretMode;
  /** "saved in .auth-integrator.json", "read from backend/auth_jwt.py" (or lib/auth.ts, the backend's .env), "default". */
  source: string;
  /** What the generated files say, when that disagrees with the saved answer. */
  conflict: string | null;
}

/** A file that exists but does not parse: `message` leads with `file:line`. */
export interface FileProblem {
  file: string;
  message: string;
}

/** The verifier module's file names (generators/lib/backend/layout.ts VERIFIER_STEMS). */
const VERIFIER = /(^|\/)(?:better_)?auth_jwt\.py$/;
/** `ENV_FILE = Path(__file__).resolve().parent / ".env"` (or `.parents[N]`): which file the backend reads, and where the backend folder is. */
const ENV_FILE_LINE = /^ENV_FILE = Path\(__file__\)\.resolve\(\)\.(?:parent|parents\[(\d+)\]) \/ "([^"\\]+)"/m;

/**
 * Everything the offline checks read, each file read and parsed at most once. Nothing here throws for a file of the
 * user's: a file that does not parse is recorded in `problems` (reported as a ✗ with its line) and reads as absent.
 */
export class DoctorContext {
  readonly manifest: DoctorManifest | null;
  readonly frontendDir: string | null;
  readonly backendDir: string | null;
  /** The generated verifier module (backend/auth_jwt.py), when the manifest lists one. */
  readonly verifierFile: string | null;
  /** The env file the backend reads (the verifier's ENV_FILE; <backend>/.env by default). */
  readonly backendEnvFile: string | null;
  readonly composeFile: string | null;
  readonly mode: ModeInfo;
  readonly problems: FileProblem[] = [];
  private readonly texts = new Map<string, string | null>();
  private readonly envs = new Map<string, Map<string, string> | null>();
  private composeInfo: ComposeInfo | null | undefined;

  constructor(
    readonly root: string,
    /** The folders detection found, for a repo whose manifest does not say (see loadContext). */
    detected: { frontend: string | null; backend: string | null } = { frontend: null, backend: null },
  ) {
    this.manifest = this.readManifest();
    const files = Object.keys(this.manifest?.files ?? {});
    this.verifierFile = files.find((file) => VERIFIER.test(file) && this.text(file) !== null) ?? files.find((file) => VERIFIER.test(file)) ?? null;
    const saved = this.manifest?.answers ?? {};
    this.frontendDir = this.dirAnswer(saved.frontend) ?? this.appDirOf(files.filter((f) => /\.(?:ts|tsx|js|jsx)$/.test(f)), ["package.json"]) ?? detected.frontend;
    const fromVerifier = this.verifierFile ? this.verifierEnv(this.verifierFile) : null;
    this.backendDir =
      this.dirAnswer(saved.backend) ?? fromVerifier?.dir ?? this.appDirOf(files.filter((f) => f.endsWith(".py")), ["pyproject.toml", "requirements.txt"]) ?? detected.backend;
    this.backendEnvFile = fromVerifier && (!saved.backend || fromVerifier.dir === this.backendDir) ? fromVerifier.envFile : this.backendDir === null ? null : joinRel(this.backendDir, ".env");
    this.composeFile = detectComposeFile(root);
    this.mode = this.readMode(saved.secretMode);
  }

  /** LF-only text of a repo file (BOM dropped), or null when it is absent or not a file. */
  text(rel: string): string | null {
    if (!this.texts.has(rel)) {
      let text: string | null = null;
      try {
        const file = path.join(this.root, rel);
        if (statSync(file, { throwIfNoEntry: false })?.isFile()) text = normalizeText(decodeFile(readFileSync(file)).raw).text;
      } catch {
        text = null;
      }
      this.texts.set(rel, text);
    }
    return this.texts.get(rel)!;
  }

  exists(rel: string): boolean {
    return statSync(path.join(this.root, rel), { throwIfNoEntry: false }) !== undefined;
  }

  /** A dotenv file's variables; null when it is absent or does not parse (then it is in `problems`). */
  env(rel: string): Map<string, string> | null {
    if (!this.envs.has(rel)) {
      const text = this.text(rel);
      let values: Map<string, string> | null = null;
      if (text !== null) {
        try {
          values = parseEnv(text, rel);
        } catch (error) {
          this.problem(rel, error);
        }
      }
      this.envs.set(rel, values);
    }
    return this.envs.get(rel)!;
  }

  /** True when a file exists but did not parse. */
  isBroken(rel: string): boolean {
    return this.problems.some((p) => p.file === rel);
  }

  /** A package.json's object; null when absent or malformed (then in `problems`). */
  json(rel: string): JsonObject | null {
    const text = this.text(rel);
    if (text === null) return null;
    try {
      return parseJsonObject(text, rel);
    } catch (error) {
      this.problem(rel, error);
      return null;
    }
  }

  /** The frontend's env files Next.js reads, most important first (.env.local beats .env). */
  frontendEnvFiles(): string[] {
    return this.frontendDir === null ? [] : [joinRel(this.frontendDir, ".env.local"), joinRel(this.frontendDir, ".env")];
  }

  /** The first of the frontend's env files that sets `key`: the value Next.js runs with. */
  frontendValue(key: string): { file: string; value: string } | null {
    for (const file of this.frontendEnvFiles()) {
      const value = this.env(file)?.get(key);
      if (value !== undefined) return { file, value };
    }
    return null;
  }

  /** The root .env compose interpolates `${VAR}` from (only when there is a compose file). */
  composeEnvFile(): string | null {
    return this.composeFile ? ".env" : null;
  }

  /** The compose file's frontend and backend services (by build context), or null when there is none or it does not parse. */
  compose(): ComposeInfo | null {
    if (this.composeInfo !== undefined) return this.composeInfo;
    this.composeInfo = null;
    const file = this.composeFile;
    const text = file === null ? null : this.text(file);
    if (file === null || text === null) return null;
    try {
      const names = findComposeServices(text, { file, composeDir: ".", frontendDir: this.frontendDir ?? "\0", backendDir: this.backendDir ?? "\0" });
      const services = (yaml().parse(text, { merge: true, maxAliasCount: -1 }) as { services?: Record<string, unknown> } | null)?.services ?? {};
      const service = (name: string | null): ComposeService | null =>
        name === null ? null : { name, env: composeEnvironment(text, { file, service: name }), hasEnvFile: isObject(services[name]) && services[name].env_file !== undefined };
      this.composeInfo = { file, frontend: service(names.frontend), backend: service(names.backend) };
    } catch (error) {
      this.problem(file, error);
    }
    return this.composeInfo;
  }

  /** The value compose gives a service's variable: a `${VAR}` (or `$VAR`, `${VAR:-default}`) read from the root .env. */
  resolveCompose(value: string): { value: string | null; variable: string | null; literal: boolean } {
    const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value.trim());
    if (!match) return { value, variable: null, literal: true };
    const variable = match[1] ?? match[4];
    const fromEnv = this.env(".env")?.get(variable);
    const fallback = match[2]?.includes("-") ? match[3] : undefined;
    const resolved = fromEnv !== undefined && !(match[2] === ":-" && fromEnv === "") ? fromEnv : (fallback ?? null);
    return { value: resolved, variable, literal: false };
  }

  /** The fix hint's `(cd <dir> && …)` prefix. */
  inDir(dir: string, command: string): string {
    return dir === "." ? command : `(cd ${dir} && ${command})`;
  }

  private problem(file: string, error: unknown): void {
    if (!(error instanceof UserInputError)) throw error;
    if (!this.isBroken(file)) this.problems.push({ file, message: error.message.startsWith(file) ? error.message : `${file}: ${error.message}` });
  }

  private readManifest(): DoctorManifest | null {
    const text = this.text(MANIFEST_PATH);
    if (text === null) return null;
    try {
      const parsed = parseJsonObject(text, MANIFEST_PATH);
      if (!isObject(parsed.files)) throw new UserInputError('no "files" object', MANIFEST_PATH, 1);
      const strings = (value: unknown) => Object.fromEntries(Object.entries(isObject(value) ? value : {}).filter((e): e is [string, string] => typeof e[1] === "string"));
      return { answers: strings(parsed.answers), files: strings(parsed.files) };
    } catch (error) {
      this.problem(MANIFEST_PATH, error);
      return null;
    }
  }

  /** A saved frontend/backend answer as a folder of the repo, or null. */
  private dirAnswer(answer: string | undefined): string | null {
    if (answer === undefined) return null;
    const rel = joinRel(answer.trim() || ".");
    return rel.startsWith("..") || path.isAbsolute(rel) ? null : rel;
  }

  /** The nearest folder above the generated files (of one app) that holds one of `markers`. */
  private appDirOf(files: string[], markers: string[]): string | null {
    const counts = new Map<string, number>();
    for (const file of files) {
      for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
        if (markers.some((marker) => this.exists(joinRel(dir, marker)))) {
          counts.set(dir, (counts.get(dir) ?? 0) + 1);
          break;
        }
        if (dir === ".") break;
      }
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }

  /** The backend folder and env file the generated verifier reads, from its ENV_FILE line. */
  private verifierEnv(verifier: string): { dir: string; envFile: string } | null {
    const match = ENV_FILE_LINE.exec(this.text(verifier) ?? "");
    if (!match) return null;
    let dir = path.posix.dirname(verifier);
    for (let up = Number(match[1] ?? 0); up > 0; up--) dir = path.posix.dirname(dir);
    return { dir: joinRel(dir), envFile: joinRel(dir, match[2]) };
  }

  /**
   * The secret mode: the saved answer when there is one; else what the generated verifier does (PyJWKClient and
   * BETTER_AUTH_JWKS_URL, or HS256 with API_JWT_SECRET), else the generated lib/auth.ts (a sign hook with API_JWT_SECRET),
   * else the backend's env file (API_JWT_SECRET in it); jwks (the default) when nothing says.
   */
  private readMode(saved: string | undefined): ModeInfo {
    const inferred = this.inferredMode();
    if (saved === "jwks" || saved === "shared-secret") {
      const conflict = inferred && inferred.value !== saved ? `but ${inferred.source.replace(/^read from /, "")} is generated for ${inferred.value}` : null;
      return { value: saved, source: `saved in ${MANIFEST_PATH}`, conflict };
    }
    return inferred ? { ...inferred, conflict: null } : { value: "jwks", source: "default", conflict: null };
  }

  private inferredMode(): { value: SecretMode; source: string } | null {
    const verifier = this.verifierFile ? this.text(this.verifierFile) : null;
    if (verifier !== null) {
      const jwks = /\bPyJWKClient\b/.test(verifier) && /environ\.get\("BETTER_AUTH_JWKS_URL"/.test(verifier);
      const shared = /environ\.get\("API_JWT_SECRET"/.test(verifier) && /algorithms=\["HS256"\]/.test(verifier);
      if (jwks !== shared) return { value: jwks ? "jwks" : "shared-secret", source: `read from ${this.verifierFile}` };
    }
    const files = Object.keys(this.manifest?.files ?? {}).filter((file) => /(^|\/)lib\/auth\.ts$/.test(file));
    const authConfig = files.map((file) => ({ file, text: this.text(file) })).find((entry) => entry.text !== null);
    if (authConfig && /\bjwt\(/.test(authConfig.text!)) {
      return { value: /process\.env\.API_JWT_SECRET/.test(authConfig.text!) ? "shared-secret" : "jwks", source: `read from ${authConfig.file}` };
    }
    if (this.backendEnvFile && this.env(this.backendEnvFile)?.has("API_JWT_SECRET")) return { value: "shared-secret", source: `read from ${this.backendEnvFile} (it holds API_JWT_SECRET)` };
    return null;
  }
}

/**
 * The context for `root`. Where the apps are comes from the saved answers or the manifest's generated files; only
 * when neither says is detection's folder search loaded (package.json and Python manifests, never the Python parser).
 */
export async function loadContext(root: string): Promise<DoctorContext> {
  const context = new DoctorContext(root);
  if (context.frontendDir !== null && context.backendDir !== null) return context;
  const [{ walkDirs }, { findFrontendCandidates }, { findBackendCandidates }] = await Promise.all([
    import("../../lib/detect/walk.js"),
    import("../../lib/detect/frontend.js"),
    import("../../lib/detect/backend.js"),
  ]);
  const dirs = walkDirs(root);
  const found = (find: () => string[]) => {
    try {
      return find()[0] ?? null;
    } catch (error) {
      if (error instanceof UserInputError) return null;
      throw error;
    }
  };
  return new DoctorContext(root, { frontend: found(() => findFrontendCandidates(root, dirs)), backend: found(() => findBackendCandidates(root, dirs)) });
}
