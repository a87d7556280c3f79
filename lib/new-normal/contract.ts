import { z } from "zod";
import { optionalText } from "@/lib/text-schema";
import { recordIdSchema } from "@/lib/record-id";

// The new normals' API (accepting a namespace's new level as its baseline) as the browser, the
// route handlers and the command line see it: input schemas and answers; no server code.

const id = recordIdSchema;

/** From a peak (its plateau's first window) or from a namespace and a window start; `preview` measures without writing. */
export const acceptNewNormalSchema = z
  .object({
    peakId: id.optional(),
    namespace: z.string().trim().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    comment: optionalText(500),
    preview: z.boolean().default(false),
  })
  .strict()
  .refine((value) => (value.peakId !== undefined) !== (value.namespace !== undefined || value.from !== undefined), {
    message: "give either peakId, or namespace and from",
    path: ["peakId"],
  })
  .refine((value) => value.peakId !== undefined || (value.namespace !== undefined && value.from !== undefined), {
    message: "namespace and from go together",
    path: ["from"],
  });
export type AcceptNewNormalInput = z.input<typeof acceptNewNormalSchema>;

export const newNormalIdSchema = id;

export const listNewNormalSchema = z.object({ namespace: z.string().trim().min(1).max(200).optional() }).strict();

/** An accepted new normal as the API shows it. */
export type NewNormalRecord = {
  id: number;
  namespace: string;
  /** ISO instant of the first window of the new level. */
  from: string;
  /** Errors per window added to the namespace's baseline (negative: a lower level). */
  levelOffset: number;
  /** Windows since `from` the level was measured on. */
  windows: number;
  peakId: number | null;
  comment: string | null;
  acceptedBy: string;
  acceptedAt: string;
  revertedBy: string | null;
  revertedAt: string | null;
};

/** What accepting would do, measured without writing anything; `openPeaks`: the ids of the open peaks since `from` it would acknowledge. */
export type NewNormalPreview = { namespace: string; from: string; levelOffset: number; windows: number; slots: number; openPeaks: number[] };

/** baseline_acceptances.slot_shifts: the level offset added to each baseline slot, by slot key. */
export const storedSlotShiftsSchema = z.record(z.string(), z.number());
export type StoredSlotShifts = z.output<typeof storedSlotShiftsSchema>;

/** baseline_acceptances.previous_values: each window's baseline value before the acceptance, by window start (UTC ms, as text). */
export const storedPreviousValuesSchema = z.record(z.string().regex(/^\d+$/), z.number().nullable());
export type StoredPreviousValues = z.output<typeof storedPreviousValuesSchema>;
