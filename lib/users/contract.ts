import { z } from "zod";
import { recordIdSchema } from "@/lib/record-id";
import { roles, type Role } from "@/lib/roles";

// The users API as the browser, the route handlers and the command line see it: inputs and
// answers, no server code.

export const MIN_PASSWORD_LENGTH = 10;

const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^\s@]+@[^\s@]+$/, "must be an e-mail address");

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(roles),
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

/** A user as lists show it; never the password hash, only whether there is one. */
export type UserSummary = {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  isDisabled: boolean;
  hasPassword: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
};

export const userIdSchema = recordIdSchema;

const userChangesShape = { role: z.enum(roles).optional(), disabled: z.boolean().optional() };
const hasAChange = (changes: { role?: Role; disabled?: boolean }) => changes.role !== undefined || changes.disabled !== undefined;
const NO_CHANGE = "give a role, disabled, or both";

export const changeUserSchema = z.object(userChangesShape).strict().refine(hasAChange, NO_CHANGE);
export type UserChanges = z.input<typeof changeUserSchema>;
export const changeUserRequestSchema = z
  .object({ id: userIdSchema, ...userChangesShape })
  .strict()
  .refine(hasAChange, NO_CHANGE);

export const resetPasswordSchema = z.object({ password: passwordSchema.optional() }).strict();
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;
export const resetPasswordRequestSchema = resetPasswordSchema.extend({ id: userIdSchema });
export const userRequestSchema = z.object({ id: userIdSchema });
