#!/usr/bin/env node
// Builds what the npm package ships (`npm run build`, and `prepack` before `npm pack`/`npm publish`):
//   dist/mod.js      the library, what `import … from "chroma-mod"` loads (mod.ts bundled);
//   dist/settle.js   the bundle loader's worker entry (engine/settle.ts bundled: engine/loader.ts compiles it beside
//                    a user's bundle; the installed package ships no .ts sources);
//   dist/cli/        the CLI (cli/main.ts bundled, code-split so the Kubernetes client loads only for the commands
//                    that talk to a cluster); bin/chroma-mod.js runs dist/cli/main.js;
//   dist/mod.d.ts    the types of mod.ts's exports, written out by the type checker (see buildDeclarations).
// esbuild writes the JavaScript (one file per entry plus shared chunks, so the CLI starts by reading a few files
// instead of ~90 modules); npm dependencies stay imports (packages: "external").
// In a git checkout bin/chroma-mod.js also calls buildCli() for its own bundle under dist/dev/ (see there).
import { realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
};

/**
 * Of @kubernetes/client-node the CLI uses KubeConfig alone (kubeconfig files, credentials, TLS), in the chunk only
 * cluster commands load. Its files are marked free of side effects, so the generated API clients and the watch, log
 * and metrics helpers the package index re-exports are left out; and node-fetch, which the config module imports
 * only for a Headers class the CLI never uses (and which brings 350 KB of Unicode tables), is Node's own Headers.
 * Loading it costs 12 MB of memory instead of 86 MB (the package as a whole) on every cluster command.
 */
const kubeConfigOnly = {
  name: "kube-config-only",
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: "node-fetch", namespace: "kube-config-only" }));
    build.onLoad({ filter: /.*/, namespace: "kube-config-only" }, () => ({
      contents:
        "export const Headers = globalThis.Headers; export class AbortError extends Error {} export class FetchError extends Error {} export default globalThis.fetch;",
      loader: "js",
    }));
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "kube-config-only") return undefined;
      if (!args.importer.includes("@kubernetes/client-node") && args.path !== "@kubernetes/client-node") return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "kube-config-only",
      });
      if (resolved.errors.length > 0 || !resolved.path.includes("@kubernetes/client-node/dist/")) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** The CLI bundled into `outdir` (main.js + chunks). `dev`: inline source maps, for a checkout's stack traces. */
export async function buildCli(outdir, { dev = false } = {}) {
  const esbuild = await import("esbuild");
  await esbuild.build({
    ...common,
    entryPoints: { main: join(root, "cli", "main.ts") },
    // The CLI's libraries are bundled in (one file to read and compile at start, no CommonJS loader, no package
    // resolution); esbuild, a native binary, stays a package of its own.
    packages: undefined,
    external: ["esbuild"],
    plugins: [kubeConfigOnly],
    // CommonJS libraries bundled into ESM still call require() for Node's built-ins.
    banner: { js: 'import { createRequire as __chromaModRequire } from "node:module"; const require = __chromaModRequire(import.meta.url);' },
    outdir,
    splitting: true,
    chunkNames: "chunk-[hash]",
    ...(dev ? { sourcemap: "inline", sourcesContent: false } : {}),
  });
}

/**
 * dist/mod.d.ts: every export of mod.ts with its type written out in full, from the type checker, in one file that
 * imports nothing. tsc's own declarations repeat the valibot schema types the public types are inferred from
 * (360 KB), and a bundle checked against them alone, as an editor checks the open file or tsc with skipLibCheck,
 * fails with "Type instantiation is excessively deep" (TS2589) at defineBundle. Written out, the types are plain
 * objects and unions: nothing left to instantiate, no valibot needed in the user's project.
 */
async function buildDeclarations(outFile) {
  const { default: ts } = await import("typescript");
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  };
  // The project's compiler options, without Node's types: the public API must not need @types/node.
  const { options } = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), { types: [], noEmit: true }, host);
  const entry = join(root, "mod.ts");
  const program = ts.createProgram({ rootNames: [entry], options });
  const failures = ts.getPreEmitDiagnostics(program);
  if (failures.length > 0)
    throw new Error(
      `mod.ts does not type-check on its own:\n${ts.formatDiagnostics(failures, { ...host, getCanonicalFileName: (f) => f, getNewLine: () => "\n" })}`,
    );
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const printer = ts.createPrinter();
  const print = (node) => printer.printNode(ts.EmitHint.Unspecified, node, source);
  const flags = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.MultilineObjectLiterals;
  // Written out in full: with no enclosing declaration, no name from the sources can appear.
  const written = (type, extra = 0) => print(checker.typeToTypeNode(type, undefined, flags | extra));
  const doc = (symbol) => {
    const text = ts.displayPartsToString(symbol.getDocumentationComment(checker));
    if (text === "") return "";
    return text.includes("\n") ? `/**\n * ${text.split("\n").join("\n * ")}\n */\n` : `/** ${text} */\n`;
  };
  // mod.ts's own leading comment, then each export with its doc comment.
  const header = (ts.getLeadingCommentRanges(source.text, 0) ?? []).map((range) => source.text.slice(range.pos, range.end));
  const lines = [...header, "// Generated by scripts/build.mjs from mod.ts: the public types written out in full.", ""];
  const exportKeyword = [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword), ts.factory.createModifier(ts.SyntaxKind.DeclareKeyword)];
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source))) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = exported.name;
    if (symbol.flags & ts.SymbolFlags.TypeAlias) {
      lines.push(`${doc(symbol)}export type ${name} = ${written(checker.getDeclaredTypeOfSymbol(symbol), ts.NodeBuilderFlags.InTypeAlias)};`);
    } else if (symbol.flags & ts.SymbolFlags.Function) {
      // Signatures name the exported types (mod.ts is their scope), declared above or below in this same file.
      for (const signature of checker.getTypeOfSymbol(symbol).getCallSignatures()) {
        const node = checker.signatureToSignatureDeclaration(signature, ts.SyntaxKind.FunctionDeclaration, source, flags);
        const declaration = ts.factory.createFunctionDeclaration(exportKeyword, undefined, name, node.typeParameters, node.parameters, node.type, undefined);
        lines.push(`${doc(symbol)}${print(declaration)}`);
      }
    } else if (symbol.flags & ts.SymbolFlags.Variable) {
      lines.push(`${doc(symbol)}export declare const ${name}: ${written(checker.getTypeOfSymbol(symbol))};`);
    } else {
      throw new Error(`mod.ts exports ${name}, neither a type alias, a function nor a constant: teach scripts/build.mjs to declare it`);
    }
    lines.push("");
  }
  const text = lines.join("\n");
  writeFileSync(outFile, text);
  // The file must stand alone: a name of the sources left in it would be an error here.
  const check = ts.createProgram({
    rootNames: [outFile],
    options: { strict: true, noEmit: true, types: [], module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  });
  const problems = ts.getPreEmitDiagnostics(check);
  if (problems.length > 0 || text.includes("import(")) {
    throw new Error(`${outFile} does not stand alone:\n${ts.formatDiagnostics(problems, { ...host, getCanonicalFileName: (f) => f, getNewLine: () => "\n" })}`);
  }
}

export async function buildPackage() {
  const dist = join(root, "dist");
  // Only this build's outputs: dist/dev/ (a checkout's own CLI bundles) may be in use by a running CLI.
  for (const name of ["mod.js", "mod.d.ts", "settle.js", "cli"]) rmSync(join(dist, name), { recursive: true, force: true });
  const esbuild = await import("esbuild");
  // Each a single self-contained file: the loader bundles them into a user's bundle, so no chunk shared with the CLI.
  await esbuild.build({ ...common, entryPoints: { mod: join(root, "mod.ts"), settle: join(root, "engine", "settle.ts") }, outdir: dist });
  await buildCli(join(dist, "cli"));
  await buildDeclarations(join(dist, "mod.d.ts"));
}

// Run as a script (not imported by bin/chroma-mod.js); import.meta.url is the real path, argv[1] maybe a symlink's.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await buildPackage();
