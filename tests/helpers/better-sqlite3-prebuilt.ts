import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "./python.js";

/**
 * A loopback "release host" for better-sqlite3's install script (`prebuild-install || node-gyp rebuild --release`),
 * so a real `npm install` that pulls better-sqlite3 does not compile SQLite from source (~3 minutes) when GitHub,
 * where prebuild-install normally downloads from, is out of reach.
 *
 * It serves ONE file: the binary this repo already compiled (node_modules/better-sqlite3/build/Release/better_sqlite3.node),
 * packed the way prebuild-install expects it, under the URL prebuild-install builds from
 * `npm_config_better_sqlite3_binary_host` (node_modules/prebuild-install/util.js, urlTemplate):
 *   <host>/v<version>/better-sqlite3-v<version>-node-v<abi>-<platform><libc>-<arch>.tar.gz
 * Anything else is a 404, after which the install script falls back to `node-gyp rebuild`, exactly as without a mirror:
 * another better-sqlite3 version resolved by npm, another Node ABI running the install, a binary that does not load.
 */
export interface BetterSqlite3Prebuilt {
  /** The environment to give the `npm install` (prebuild-install reads it from its own environment, which npm passes on). */
  env: Record<string, string>;
  /** The only URL answered 200. */
  url: string;
  /** Every path prebuild-install asked for (to tell, after the install, whether the prebuilt was used). */
  requests: string[];
  /** True when the tarball was downloaded at least once. */
  served(): boolean;
  /** Stops the server and removes the copy prebuild-install keeps in the npm cache (<cache>/_prebuilds, keyed by the URL). */
  close(): Promise<void>;
}

const PACKAGE_DIR = path.join(REPO_ROOT, "node_modules", "better-sqlite3");
const BINARY = path.join("build", "Release", "better_sqlite3.node");

/**
 * Starts the mirror for the better-sqlite3 in packageDir (default: the repo's), or returns the reason it cannot (then
 * install without it: better-sqlite3 compiles from source).
 * The binary is first loaded in a child `node` (the one on PATH, the one npm runs install scripts with) to learn the ABI
 * it was really built for: a copy compiled for another Node is never served.
 */
export async function serveRepoBetterSqlite3(packageDir = PACKAGE_DIR): Promise<BetterSqlite3Prebuilt | { unavailable: string }> {
  const binary = path.join(packageDir, BINARY);
  if (!existsSync(binary)) return { unavailable: `no ${binary}` };
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };

  const probe = spawnSync(
    "node",
    [
      "-e",
      `const Database = require(${JSON.stringify(packageDir)});
       new Database(":memory:").prepare("select sqlite_version()").get();
       const glibc = process.platform === "linux" && process.report.getReport().header.glibcVersionRuntime;
       console.log(JSON.stringify({ abi: process.versions.modules, platform: process.platform, arch: process.arch, libc: process.platform !== "linux" || glibc ? "" : "musl" }));`,
    ],
    { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, timeout: 30_000 },
  );
  if (probe.status !== 0) return { unavailable: `${packageDir} does not load in this node (${probe.error?.message ?? probe.stderr.split("\n").find((line) => /Error/.test(line))?.trim() ?? `exit ${probe.status}`})` };
  const { abi, platform, arch, libc } = JSON.parse(probe.stdout) as { abi: string; platform: string; arch: string; libc: string };

  const name = `better-sqlite3-v${version}-node-v${abi}-${platform}${libc}-${arch}.tar.gz`;
  const tarball = gzipSync(tar(BINARY.split(path.sep).join("/"), readFileSync(binary), statSync(binary).mode));
  const wanted = `/v${version}/${name}`;
  const requests: string[] = [];
  let hits = 0;
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.method === "GET" && req.url === wanted) {
      hits++;
      res.writeHead(200, { "content-type": "application/gzip", "content-length": tarball.length });
      res.end(tarball);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const host = `http://127.0.0.1:${port}`;
  const url = `${host}${wanted}`;

  return {
    env: { npm_config_better_sqlite3_binary_host: host },
    url,
    requests,
    served: () => hits > 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // prebuild-install caches each download as <npm cache>/_prebuilds/<sha512(url)[0..6]>-<file name> (util.js, cachedPrebuild);
      // the port changes every run, so without this each run would leave another copy.
      const cached = `${createHash("sha512").update(url).digest("hex").slice(0, 6)}-${name.replace(/[^a-zA-Z0-9.]+/g, "-")}`;
      for (const cache of new Set([process.env.npm_config_cache, path.join(os.homedir(), ".npm")])) {
        if (cache) rmSync(path.join(cache, "_prebuilds", cached), { force: true });
      }
    },
  };
}

/** A ustar archive holding one regular file (its parent folders are created on extraction). */
function tar(name: string, data: Buffer, mode: number): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, "ascii");
  const octal = (offset: number, length: number, value: number) => field(offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
  field(0, 100, name);
  octal(100, 8, mode & 0o7777);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, data.length);
  octal(136, 12, Math.floor(Date.now() / 1000));
  field(148, 8, "        ");
  field(156, 1, "0");
  field(257, 6, "ustar\0");
  field(263, 2, "00");
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}
