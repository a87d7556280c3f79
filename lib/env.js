// The environment of this process, parsed once (the schema is lib/env-schema.js, the reading
// lib/env-source.js). Plain JavaScript (type-checked through JSDoc) because next.config.mjs
// imports it, so that a bad environment fails the build.
import { environmentSource } from "./env-source.js";
import { parseEnvironment } from "./env-schema.js";

export { ENVIRONMENT_VARIABLES, EnvironmentError, environmentProblems, parseEnvironment } from "./env-schema.js";

/** @typedef {import("./env-schema.js").Environment} Environment */

/** The environment of this process, parsed once. */
export const env = parseEnvironment(environmentSource());

/**
 * The environment for a child process: this process's variables plus overrides
 * (an `undefined` override removes the variable).
 * @param {Record<string, string | undefined>} [overrides]
 * @returns {NodeJS.ProcessEnv}
 */
export function childProcessEnvironment(overrides = {}) {
  /** @type {Record<string, string>} */
  const result = {};
  for (const [key, value] of Object.entries({ ...process.env, ...overrides })) {
    if (value !== undefined && !(key in overrides && overrides[key] === undefined)) {
      result[key] = value;
    }
  }
  return /** @type {NodeJS.ProcessEnv} */ (/** @type {unknown} */ (result));
}
