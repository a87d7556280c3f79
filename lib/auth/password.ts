import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";

// bcrypt cost 12: about 0.2-0.3 s per hash on a current core, slow enough to make guessing expensive.
const BCRYPT_COST = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

// Compared against when the e-mail is unknown, so that timing does not reveal which e-mails
// exist. Made on first use: hashing at import would slow every command that never signs in.
let unknownUserHash: string | undefined;

/** Checks a password against a stored hash (or against nothing, in the same time). */
export function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  unknownUserHash ??= bcrypt.hashSync("unknown-user-placeholder", BCRYPT_COST);
  return bcrypt.compare(password, hash ?? unknownUserHash).then((matches) => matches && Boolean(hash));
}

/** A random password of 24 URL-safe characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
