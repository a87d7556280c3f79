import { z } from "zod";

/** The largest id a table's `integer` key can hold (PostgreSQL int4). */
export const MAX_RECORD_ID = 2_147_483_647;

const ID_MESSAGE = `must be a whole number from 1 to ${MAX_RECORD_ID}`;

/**
 * An id in a path, query or body: a whole number from 1 up to MAX_RECORD_ID, so that an id no
 * record can have is a 400 naming the field (once), not a failed database query. Text must be
 * plain decimal digits: "1e3", "0x10" or " 7" name no record, though Number() would read them.
 */
export const recordIdSchema = z.union([z.number(), z.string()], { error: ID_MESSAGE }).transform((value, context) => {
  const id = typeof value === "number" ? value : /^[0-9]{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(id) || id < 1 || id > MAX_RECORD_ID) {
    context.addIssue({ code: "custom", message: ID_MESSAGE });
    return z.NEVER;
  }
  return id;
});
