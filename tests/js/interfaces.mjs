// Compiles every abi/I<Contract>.sol with solc (npm `solc`) and checks that the compiled ABI
// is the committed abi/<Contract>.json: the same functions (name, parameter and return types,
// mutability), events (types and indexed flags) and errors. Parameter names and the
// constructor (interfaces have none) are not compared. Exits non-zero on any difference.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import solc from "solc";

const abiDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "abi");

function type(param) {
  if (!param.type.startsWith("tuple")) return param.type;
  return `(${param.components.map(type).join(",")})${param.type.slice("tuple".length)}`;
}

function signature(item) {
  const inputs = (item.inputs || []).map((p) => (item.type === "event" && p.indexed ? `${type(p)} indexed` : type(p)));
  let text = `${item.type} ${item.name || ""}(${inputs.join(",")})`;
  if (item.type === "function") {
    text += ` ${item.stateMutability} returns (${(item.outputs || []).map(type).join(",")})`;
  }
  if (item.type === "event" && item.anonymous) text += " anonymous";
  return text;
}

function signatures(abi) {
  return new Set(abi.filter((i) => i.type !== "constructor").map(signature));
}

const sources = {};
for (const file of readdirSync(abiDir).filter((f) => /^I.*\.sol$/.test(f)).sort()) {
  sources[file] = { content: readFileSync(join(abiDir, file), "utf8") };
}
const input = {
  language: "Solidity",
  sources,
  settings: { outputSelection: { "*": { "*": ["abi"] } } },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === "error");
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}

let failed = false;
const report = [];
for (const file of Object.keys(sources)) {
  const contracts = output.contracts[file];
  const [iname] = Object.keys(contracts);
  const name = iname.slice(1);
  const committed = JSON.parse(readFileSync(join(abiDir, `${name}.json`), "utf8"));
  const compiled = signatures(contracts[iname].abi);
  const expected = signatures(committed);
  const missing = [...expected].filter((s) => !compiled.has(s));
  const extra = [...compiled].filter((s) => !expected.has(s));
  for (const s of missing) console.error(`${file}: in ${name}.json but not in the interface: ${s}`);
  for (const s of extra) console.error(`${file}: in the interface but not in ${name}.json: ${s}`);
  if (missing.length + extra.length > 0) failed = true;
  report.push({ interface: iname, items: compiled.size, missing: missing.length, extra: extra.length });
}
console.log(JSON.stringify({ solc: solc.version(), interfaces: report }));
process.exit(failed ? 1 : 0);
