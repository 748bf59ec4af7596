// Times aws-jwt-verify's verifySync (cached JWKS) and Node's raw crypto.verify on the same token.
// Prints two medians in nanoseconds per verification: aws-jwt-verify, then crypto.verify + JSON.parse.
import { readFileSync } from "node:fs";
import { createPublicKey, verify } from "node:crypto";
import { CognitoJwtVerifier } from "aws-jwt-verify";

const dir = process.argv[2];
const token = readFileSync(`${dir}/token`, "utf8");
const jwks = JSON.parse(readFileSync(`${dir}/jwks.json`, "utf8"));
const { pool, client } = JSON.parse(readFileSync(`${dir}/params.json`, "utf8"));

const verifier = CognitoJwtVerifier.create({ userPoolId: pool, tokenUse: "access", clientId: client });
verifier.cacheJwks(jwks);
verifier.verifySync(token); // throws if the token does not verify

const key = createPublicKey({ key: jwks.keys[0], format: "jwk" });
const [header, payload, signature] = token.split(".");
const signed = Buffer.from(`${header}.${payload}`);
const sig = Buffer.from(signature, "base64url");
const raw = () => {
  if (!verify("RSA-SHA256", signed, key, sig)) throw new Error("bad signature");
  JSON.parse(Buffer.from(payload, "base64url").toString());
};

function median(fn, batches = 60, batch = 100) {
  for (let i = 0; i < 500; i++) fn();
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / batch);
  }
  samples.sort((x, y) => x - y);
  return samples[samples.length >> 1];
}
console.log(median(() => verifier.verifySync(token)), median(raw));
