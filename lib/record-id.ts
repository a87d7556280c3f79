import { z } from "zod";

/** The largest id a table's `integer` key can hold (PostgreSQL int4). */
export const MAX_RECORD_ID = 2_147_483_647;

/**
 * An id in a path, query or body: a whole number from 1 up to MAX_RECORD_ID, so that an id no
 * record can have is a 400 naming the field (once), not a failed database query.
 */
export const recordIdSchema = z.coerce
  .number()
  .refine((value) => Number.isInteger(value) && value >= 1 && value <= MAX_RECORD_ID, `must be a whole number from 1 to ${MAX_RECORD_ID}`);
