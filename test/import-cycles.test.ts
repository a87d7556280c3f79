import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Import cycles, measured from the source as it is (type-only imports included): none between
// files, none between the folders of lib/. A query module of lib/db therefore imports no
// domain module, not even a contract: the domain's use cases import lib/db, never the reverse.

const root = path.resolve(import.meta.dirname, "..");
const SOURCE_FOLDERS = ["app", "components", "lib", "cli"];
const EXTENSIONS = [".ts", ".tsx", ".js", ".mjs"];

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(root, folder)).flatMap((name) => {
    const relative = path.join(folder, name);
    if (name === "node_modules" || name === "generated") return [];
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(relative);
    const isSource = EXTENSIONS.some((extension) => name.endsWith(extension)) && !name.endsWith(".d.ts");
    return isSource && !/\.test\.tsx?$/.test(name) ? [relative] : [];
  });
}

/** The project file an import names, or null for a package. */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.join(path.dirname(from), specifier);
  else return null;
  const candidates = [base, ...EXTENSIONS.map((extension) => `${base}${extension}`), ...EXTENSIONS.map((extension) => path.join(base, `index${extension}`))];
  return candidates.find((candidate) => files.has(candidate)) ?? null;
}

function importGraph(): Map<string, Set<string>> {
  const files = SOURCE_FOLDERS.flatMap(sourceFiles);
  const known = new Set(files);
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), "utf8");
    const targets = new Set<string>();
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g)) {
      const target = resolveImport(file, match[1] ?? match[2] ?? "", known);
      if (target && target !== file) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components of more than one node (Tarjan), each sorted, sorted by first member. */
function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components.sort((left, right) => left[0]!.localeCompare(right[0]!));
}

/** lib/<folder> for a file in a folder of lib, lib/<file> for one at its top, else the top folder. */
function folderOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[0] === "lib" ? `lib/${parts[1]!.replace(/\.(ts|tsx|js|mjs)$/, "")}` : parts[0]!;
}

describe("import cycles", () => {
  const graph = importGraph();

  it("reads the whole source: every folder and hundreds of imports", () => {
    expect(graph.size).toBeGreaterThan(300);
    expect([...graph.values()].reduce((sum, targets) => sum + targets.size, 0)).toBeGreaterThan(1000);
  });

  it("finds a cycle where there is one", () => {
    const sample = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(cyclesOf(sample)).toEqual([["a", "b", "c"]]);
  });

  it("has no cycle between files", () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it("has no cycle between folders of lib", () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      if (!from.startsWith("lib/")) continue;
      const edges = folders.get(from) ?? new Set<string>();
      for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
      folders.set(from, edges);
    }
    expect(cyclesOf(folders)).toEqual([]);
  });
});
