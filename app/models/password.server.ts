import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id parameters: 19 MiB memory, 2 iterations, 1 lane. Algorithm 2 is Argon2id. */
const argon2idOptions = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2idOptions);
}

/** A hash of a password nobody has, verified when the account is unknown so that timing does not tell. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoyHash ??= hashPassword("decoy password that matches no account");
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
