// A wallet's view of the agentdao devnode, with ethers.js v6: connect over JSON-RPC, read the
// agent token, send a taxed transfer, sign and submit an EIP-2612 permit, cast a SubDAO vote.
//
// Driven by tests/tests/e2e/js_wallet.rs, which deploys the system and passes (environment):
//   RPC_URL, CHAIN_ID, TOKEN, SUBDAO, PROPOSAL_ID, HOLDER_KEY (holds agent tokens, taxed),
//   SPENDER_KEY (submits the permit), VOTER_KEY (a validator), RECIPIENT.
// Prints one JSON line with what it observed; exits non-zero on any mismatch.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { ethers } from "ethers";

const here = dirname(fileURLToPath(import.meta.url));
const abi = (name) => JSON.parse(readFileSync(join(here, "..", "..", "abi", `${name}.json`), "utf8"));

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function confirmed(txPromise, what) {
  const tx = await txPromise;
  const receipt = await tx.wait();
  check(receipt.status === 1, `${what} reverted`);
  return receipt;
}

async function main() {
  const chainId = BigInt(env("CHAIN_ID"));
  const provider = new ethers.JsonRpcProvider(env("RPC_URL"), undefined, { staticNetwork: false });
  const network = await provider.getNetwork();
  check(network.chainId === chainId, `chain id ${network.chainId}, want ${chainId}`);

  const holder = new ethers.Wallet(env("HOLDER_KEY"), provider);
  const spender = new ethers.Wallet(env("SPENDER_KEY"), provider);
  const voter = new ethers.Wallet(env("VOTER_KEY"), provider);
  const recipient = ethers.getAddress(env("RECIPIENT"));
  const token = new ethers.Contract(env("TOKEN"), abi("AgentToken"), holder);
  const dao = new ethers.Contract(env("SUBDAO"), abi("SubDao"), voter);

  // Read the token as a wallet's token list does.
  const [name, symbol, decimals, supply] = await Promise.all([
    token.name(), token.symbol(), token.decimals(), token.totalSupply(),
  ]);
  check(decimals === 18n, `decimals ${decimals}`);
  const treasury = await token.treasury();
  const taxBps = await token.taxBps();

  // A taxed transfer: the recipient gets the value minus the quoted tax, the treasury the tax.
  const amount = ethers.parseUnits("1000", 18);
  const quoted = await token.quoteTax(holder.address, recipient, amount);
  const [holderBefore, recipientBefore, treasuryBefore] = await Promise.all([
    token.balanceOf(holder.address), token.balanceOf(recipient), token.balanceOf(treasury),
  ]);
  const transfer = await confirmed(token.transfer(recipient, amount), "transfer");
  const [holderAfter, recipientAfter, treasuryAfter] = await Promise.all([
    token.balanceOf(holder.address), token.balanceOf(recipient), token.balanceOf(treasury),
  ]);
  check(quoted === (amount * taxBps) / 10000n, `quoted tax ${quoted}`);
  check(holderBefore - holderAfter === amount, "holder paid the value");
  check(recipientAfter - recipientBefore === amount - quoted, "recipient got value minus tax");
  check(treasuryAfter - treasuryBefore === quoted, "treasury got the tax");
  const taxEvents = transfer.logs
    .map((log) => { try { return token.interface.parseLog(log); } catch { return null; } })
    .filter((e) => e && e.name === "TaxCharged");
  check(taxEvents.length === 1 && taxEvents[0].args[2] === quoted, "one TaxCharged event");

  // EIP-2612 permit, signed off chain by the holder, submitted by the spender.
  const nonce = await token.nonces(holder.address);
  const deadline = BigInt((await provider.getBlock("latest")).timestamp) + 3600n;
  const value = ethers.parseUnits("250", 18);
  const domain = { name, version: "1", chainId, verifyingContract: await token.getAddress() };
  check(
    ethers.TypedDataEncoder.hashDomain(domain) === (await token.DOMAIN_SEPARATOR()),
    "DOMAIN_SEPARATOR matches ethers' EIP-712 domain (name, version 1, chain id, contract)",
  );
  const types = {
    Permit: [
      { name: "owner", type: "address" }, { name: "spender", type: "address" },
      { name: "value", type: "uint256" }, { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const message = { owner: holder.address, spender: spender.address, value, nonce, deadline };
  const signature = ethers.Signature.from(await holder.signTypedData(domain, types, message));
  await confirmed(
    token.connect(spender).permit(
      holder.address, spender.address, value, deadline, signature.v, signature.r, signature.s,
    ),
    "permit",
  );
  check((await token.allowance(holder.address, spender.address)) === value, "permit allowance");
  check((await token.nonces(holder.address)) === nonce + 1n, "permit nonce used");
  // Replaying the same signature is refused with the typed error.
  let replay = null;
  try {
    await token.connect(spender).permit.staticCall(
      holder.address, spender.address, value, deadline, signature.v, signature.r, signature.s,
    );
  } catch (error) {
    replay = error.revert ? error.revert.name : String(error.shortMessage || error.message);
  }
  check(replay === "ERC2612InvalidSigner", `replayed permit: ${replay}`);

  // A validator casts a vote from its wallet.
  const proposalId = BigInt(env("PROPOSAL_ID"));
  const weight = await dao.castVote.staticCall(proposalId, 1);
  const vote = await confirmed(dao.castVote(proposalId, 1), "castVote");
  check(await dao.hasVoted(proposalId, voter.address), "vote recorded");
  const voteEvent = vote.logs
    .map((log) => { try { return dao.interface.parseLog(log); } catch { return null; } })
    .find((e) => e && e.name === "VoteCast");
  check(voteEvent && voteEvent.args[3] === weight, "VoteCast carries the weight");

  console.log(JSON.stringify({
    name, symbol, decimals: Number(decimals), supply: supply.toString(),
    taxPaid: quoted.toString(), permitNonce: (nonce + 1n).toString(),
    voteWeight: weight.toString(), replayRefusedWith: replay,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
