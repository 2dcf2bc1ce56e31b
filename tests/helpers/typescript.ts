/**
 * TypeScript checks in the test process, as `tsc --noEmit -p <config> --pretty false` reports them, sharing the
 * declaration files across every program of a test file: TypeScript's libs and node_modules (through the fixtures'
 * symlink, resolved to the repo's real files) are the same files in every program, and parsing them (lib.dom.d.ts,
 * React's and Next's types) is most of a check's time. Project files are parsed afresh each time.
 */
import path from "node:path";
import ts from "typescript";

const LIB_DIR = path.dirname(ts.getDefaultLibFilePath({}));
const sharedSourceFiles = new Map<string, ts.SourceFile>();

const isShared = (fileName: string) => fileName.endsWith(".d.ts") && (fileName.includes("/node_modules/") || fileName.startsWith(LIB_DIR));

/** A compiler host that keeps the declaration files it parses for the next program. */
function sharingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, onError, shouldCreate) => {
    if (!isShared(fileName)) return parse(fileName, version, onError, shouldCreate);
    const key = `${fileName}|${JSON.stringify(typeof version === "object" ? { v: version.languageVersion, f: version.impliedNodeFormat } : version)}`;
    let file = sharedSourceFiles.get(key);
    if (!file) {
      file = parse(fileName, version, onError, shouldCreate);
      if (file) sharedSourceFiles.set(key, file);
    }
    return file;
  };
  return host;
}

const formatHost = (dir: string): ts.FormatDiagnosticsHost => ({ getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" });

/** A tsconfig's program (noEmit), with the config's own errors. */
function programOf(configPath: string): { program: ts.Program; errors: readonly ts.Diagnostic[] } {
  const config = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.formatDiagnostics([d], formatHost(path.dirname(configPath))));
    },
  })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, host: sharingHost(config.options) });
  return { program, errors: config.errors };
}

/** Type-checks a tsconfig: exit code (0, or 2 as tsc's for errors) and tsc's output, paths relative to the config's folder. */
export function typecheckConfig(configPath: string): { code: number; output: string } {
  const { program, errors } = programOf(configPath);
  const diagnostics = [...errors, ...ts.getPreEmitDiagnostics(program)];
  return diagnostics.length === 0 ? { code: 0, output: "" } : { code: 2, output: ts.formatDiagnostics(diagnostics, formatHost(path.dirname(configPath))) };
}

/** The files a tsconfig's program holds (as `tsc --listFilesOnly`), node_modules and TypeScript's libs left out. */
export function projectFiles(configPath: string): string[] {
  return programOf(configPath)
    .program.getSourceFiles()
    .map((file) => file.fileName)
    .filter((file) => !file.includes("/node_modules/") && !file.startsWith(LIB_DIR));
}
