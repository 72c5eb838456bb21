// Compiles the Solidity test fixtures (tests/fixtures/*.sol) with solc (npm `solc`, pinned in
// package-lock.json) into tests/fixtures/<Name>.json ({abi, bytecode}), the artifacts the Rust
// bindings are generated from. Deterministic: fixed compiler, optimizer and EVM version, no
// metadata hash in the bytecode.
//   node fixtures.mjs          writes the artifacts
//   node fixtures.mjs --check  exits non-zero when a committed artifact differs from solc's output
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import solc from "solc";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const check = process.argv.includes("--check");

const sources = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(".sol")).sort()) {
  sources[file] = { content: readFileSync(join(dir, file), "utf8") };
}
const input = {
  language: "Solidity",
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "cancun",
    metadata: { bytecodeHash: "none", appendCBOR: false },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === "error");
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}

let stale = [];
const report = [];
for (const file of Object.keys(sources)) {
  for (const [name, contract] of Object.entries(output.contracts[file])) {
    const artifact = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
    const text = `${JSON.stringify(artifact, null, 2)}\n`;
    const path = join(dir, `${name}.json`);
    if (check) {
      let committed = "";
      try {
        committed = readFileSync(path, "utf8");
      } catch {}
      if (committed !== text) stale.push(`${name}.json`);
    } else {
      writeFileSync(path, text);
    }
    report.push({ contract: name, bytecodeBytes: contract.evm.bytecode.object.length / 2 });
  }
}
for (const name of stale) console.error(`tests/fixtures/${name} differs from solc's output: run \`node fixtures.mjs\` in tests/js`);
console.log(JSON.stringify({ solc: solc.version(), fixtures: report }));
process.exit(stale.length > 0 ? 1 : 0);
